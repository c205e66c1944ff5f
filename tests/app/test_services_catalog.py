"""The units, the home page's key figures, the lists forms offer, and pages of results."""

from __future__ import annotations

import pytest

from kb.errors import DomainError
from kb.models import Organisation, Practitioner, Tool
from kb.models.base import utcnow
from kb.policy import ANONYMOUS, Viewer
from kb.services import Page, catalog, records_by_ids

TRAINER = Viewer(role="formateur", user_id=1)


def test_the_three_units_are_listed_by_name_and_found_by_slug(session):
    assert [t.slug for t in catalog.territories(session)] == ["arles", "avignon", "marseille"]
    assert catalog.territory_by_slug(session, "avignon").name == "Avignon"
    assert catalog.territory_by_slug(session, "nimes") is None


def test_key_figures_count_what_the_public_may_see(session, make):
    person = make.practitioner()
    make.practitioner(consent_listed=False)
    make.action(commune_insee="13004", people=[(person, "porteur")])
    make.action(commune_insee="13004")
    make.action(commune_insee="13056", publication_status="archivee")
    make.action(commune_insee="13055", publication_status="brouillon")
    make.action(commune_insee="84007", publication_status="en_attente")
    hidden = make.action(commune_insee="84007")
    hidden.hidden_at = utcnow()
    make.organisation()
    make.tool()
    make.tool()
    figures = {"actions": 3, "practitioners": 2, "organisations": 1, "communes": 2, "barriers": 3, "tools": 2}
    assert catalog.key_figures(session, ANONYMOUS) == figures
    assert catalog.key_figures(session, TRAINER) == figures  # the home page counts the same for everyone


def test_forms_offer_records_sorted_by_name(session, make):
    make.organisation(name="Centre social Zola")
    make.organisation(name="ADDAP 13")
    make.practitioner(first_name="Bruno", last_name="Blanc")
    make.practitioner(first_name="Zoé", last_name="Arnaud")
    make.practitioner(first_name="Alice", last_name="Arnaud")
    make.tool(title="Guide d'animation")
    make.tool(title="Carnet de bord")
    choices = catalog.form_choices(session)
    assert [t.slug for t in choices["territories"]] == ["arles", "avignon", "marseille"]
    assert [o.name for o in choices["organisations"]] == ["ADDAP 13", "Centre social Zola"]
    assert [p.full_name for p in choices["practitioners"]] == ["Alice Arnaud", "Zoé Arnaud", "Bruno Blanc"]
    assert [t.title for t in choices["tools"]] == ["Carnet de bord", "Guide d'animation"]
    assert [t.title for t in catalog.list_tools(session)] == ["Carnet de bord", "Guide d'animation"]


def test_a_tool_page_lists_only_its_public_actions(session, make):
    shown = make.action(title="Publiée")
    archived = make.action(title="Archivée", publication_status="archivee")
    tool = make.tool(actions=[shown, archived, make.action(title="Brouillon", publication_status="brouillon")])
    assert [a.title for a in catalog.visible_actions_of_tool(tool, TRAINER)] == ["Publiée", "Archivée"]


def test_records_chosen_in_a_form_must_still_exist(session, make):
    first, second = make.organisation(), make.organisation()
    assert {o.id for o in records_by_ids(session, Organisation, [second.id, first.id, first.id], "f", "m")} == {
        first.id, second.id}
    assert records_by_ids(session, Tool, [], "tool_ids", "Un outil a disparu.") == []
    with pytest.raises(DomainError) as gone:
        records_by_ids(session, Practitioner, [999_999], "people", "Une personne a disparu.")
    assert (gone.value.field, gone.value.message) == ("people", "Une personne a disparu.")


@pytest.mark.parametrize(("total", "page", "pages", "has_next"), [
    (0, 1, 1, False), (1, 1, 1, False), (20, 1, 1, False), (21, 1, 2, True), (40, 2, 2, False), (41, 2, 3, True),
    (41, 3, 3, False),
])
def test_a_page_of_results_knows_how_many_pages_there_are(total, page, pages, has_next):
    result = Page(items=[], total=total, page=page, per_page=20)
    assert (result.pages, result.has_next) == (pages, has_next)
