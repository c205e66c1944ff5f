"""Versions of an action as moderators read them: one French text per field, and what changed."""

from __future__ import annotations

from datetime import date

from kb.forms.actions import ActionInput, BarrierRow, EffectRow, LeverRow, PersonRow
from kb.services.versions import LABELS, canonical, changes, current_input, line_diff


def full_input(make, **fields) -> ActionInput:
    alice = make.practitioner(first_name="Alice", last_name="Arnaud")
    bruno = make.practitioner(first_name="Bruno", last_name="Blanc")
    values = dict(
        title="Jardin partagé de Barriol", summary="Un jardin cultivé par les habitant·es.", writeup="## Contexte",
        mode="dsl", territory_id=make.territory("arles").id, commune="13004", address="4, rue des Arènes",
        latitude=43.676601, longitude=4.6278, location_precision="commune", start_date=date(2012, 2, 24),
        end_date=date(2013, 6, 30), status="terminee", publication_status="en_attente",
        publics=["Familles", "Aînés"], themes=["Santé", "Alimentation"],
        partner_ids=[make.organisation(name="CCAS d'Arles").id, make.organisation(name="Bailleur 13").id],
        tool_ids=[make.tool(title="Grille").id, make.tool(title="Carnet").id],
        people=[PersonRow(practitioner_id=bruno.id, role="co_animateur"), PersonRow(practitioner_id=alice.id)],
        effects=[EffectRow(dimension="groupe", description="Entraide.", indicator="8 sur 10"),
                 EffectRow(dimension="territoire", description="Un conseil citoyen.")],
        barriers=[BarrierRow(kind="financier", actor_category="chef_service", description="Pas de budget.")],
        levers=[LeverRow(description="La direction."), LeverRow(description="Les habitant·es.")],
    )
    values.update(fields)
    return ActionInput(**values)


def test_every_field_reads_as_french_text(session, make):
    assert canonical(session, full_input(make)) == {
        "title": "Jardin partagé de Barriol", "summary": "Un jardin cultivé par les habitant·es.",
        "writeup": "## Contexte", "mode": "Développement social local", "territory": "Arles",
        "commune": "Arles (13004)", "address": "4, rue des Arènes", "position": "43.67660, 4.62780",
        "location_precision": "Commune seulement (action sensible)", "dates": "24/02/2012 → 30/06/2013",
        "status": "Terminée", "publication_status": "En attente de validation",
        "publics": "Aînés, Familles", "themes": "Alimentation, Santé",
        "partners": "Bailleur 13, CCAS d'Arles", "tools": "Carnet, Grille",
        "people": "Alice Arnaud (Porteur·euse)\nBruno Blanc (Co-animateur·rice)",
        "effects": "[Groupe] Entraide. — indicateur : 8 sur 10\n[Territoire et institutions] Un conseil citoyen.",
        "barriers": "[Financier, Chef·fe de service] Pas de budget.",
        "levers": "La direction.\nLes habitant·es.",
    }


def test_the_same_people_listed_in_another_order_are_no_change(session, make):
    data = full_input(make)
    swapped = data.model_copy(update={"people": list(reversed(data.people))})
    assert changes(canonical(session, data), canonical(session, swapped)) == []


def test_empty_fields_read_as_nothing(session):
    text = canonical(session, ActionInput(title="Jardin", summary="Un jardin partagé.", mode="groupe"))
    assert (text["commune"], text["territory"], text["position"], text["dates"]) == ("", "", "", "")
    assert {k: v for k, v in text.items() if v} == {
        "title": "Jardin", "summary": "Un jardin partagé.", "mode": "Travail social de groupe",
        "location_precision": "Adresse exacte", "status": "En cours", "publication_status": "Publiée"}


def test_open_ended_dates_and_records_deleted_since(session, make):
    data = full_input(make, start_date=None, territory_id=999_999, partner_ids=[999_998], tool_ids=[999_997],
                      people=[PersonRow(practitioner_id=999_996, role="referent")])
    text = canonical(session, data)
    assert text["dates"] == "… → 30/06/2013"
    assert (text["territory"], text["partners"], text["tools"], text["people"]) == (
        "n° 999999 (supprimé)", "n° 999998 (supprimé)", "n° 999997 (supprimé)", "n° 999996 (supprimé) (Référent·e)")
    assert canonical(session, full_input(make, end_date=None))["dates"] == "24/02/2012 → …"


def test_a_commune_no_longer_found_and_values_no_longer_offered_read_as_stored(session):
    legacy = ActionInput.model_construct(
        title="Ancienne action", summary="Importée d'un ancien tableau.", writeup="", mode="ancien_mode",
        territory_id=None, commune="Ville disparue", address="", latitude=None, longitude=None,
        location_precision="approximative", start_date=None, end_date=None, status="abandonnee",
        publication_status="supprimee", publics=[], themes=[], partner_ids=[], tool_ids=[],
        people=[PersonRow.model_construct(practitioner_id=1, role="mentor")],
        effects=[EffectRow.model_construct(dimension="sociale", description="Du lien.", indicator="")],
        barriers=[BarrierRow.model_construct(kind="climat", actor_category="elu", description="Pluie.")], levers=[])
    text = canonical(session, legacy)
    assert (text["mode"], text["commune"], text["location_precision"], text["status"], text["publication_status"]) == (
        "ancien_mode", "Ville disparue", "", "abandonnee", "supprimee")
    assert (text["people"], text["effects"], text["barriers"]) == (
        "n° 1 (supprimé) (mentor)", "[sociale] Du lien.", "[climat, elu] Pluie.")


def test_changes_list_the_fields_that_differ_in_form_order(session, make):
    before = canonical(session, full_input(make))
    after = canonical(session, full_input(make, title="Jardin de Barriol", levers=[], status="en_cours"))
    assert changes(before, after) == [
        {"field": "title", "label": "Titre", "before": "Jardin partagé de Barriol", "after": "Jardin de Barriol"},
        {"field": "status", "label": "Avancement", "before": "Terminée", "after": "En cours"},
        {"field": "levers", "label": "Leviers", "before": "La direction.\nLes habitant·es.", "after": ""},
    ]
    assert changes(before, before) == []
    assert changes({}, {"title": "Nouveau"}) == [{"field": "title", "label": "Titre", "before": "", "after": "Nouveau"}]
    assert changes({"title": "Ancien"}, {}) == [{"field": "title", "label": "Titre", "before": "Ancien", "after": ""}]
    assert list(LABELS)[:3] == ["title", "summary", "writeup"]


def test_an_action_reads_as_the_input_its_form_would_submit(session, make):
    person = make.practitioner()
    action = make.action(title="Jardin partagé", themes=["Santé"], publics=["Familles"], people=[(person, "referent")],
                         start_date=date(2012, 2, 24))
    data = current_input(action)
    assert (data.title, data.mode, data.commune, data.start_date, data.themes, data.publics) == (
        "Jardin partagé", "groupe", "13004", date(2012, 2, 24), ["Santé"], ["Familles"])
    assert [(p.practitioner_id, p.role) for p in data.people] == [(person.id, "referent")]
    assert canonical(session, data)["effects"] == "[Groupe] Les participantes s'entraident hors de l'atelier. " \
                                                  "— indicateur : 8 sur 10 se retrouvent chaque semaine"


def test_an_action_stored_under_older_rules_still_reads(session, make):
    action = make.action(title="ab", summary="court", writeup="Récit.", mode="groupe", publication_status="archivee")
    data = current_input(action)
    assert (data.title, data.summary, data.writeup, data.mode, data.publication_status) == (
        "ab", "court", "Récit.", "groupe", "archivee")


def test_a_line_diff_marks_removed_added_and_kept_lines():
    assert line_diff("Un\nDeux\nTrois", "Un\nDeux bis\nTrois\nQuatre") == [
        (" ", "Un"), ("-", "Deux"), ("+", "Deux bis"), (" ", "Trois"), ("+", "Quatre")]
    assert line_diff("", "") == []
