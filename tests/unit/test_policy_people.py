"""Who may find, edit and contact practitioners, and what searches return (kb/policy.py, no app)."""

from __future__ import annotations

import pytest

from kb import policy
from kb.models import Practitioner
from kb.policy import ANONYMOUS, Viewer

HERSELF = 5
STUDENT = Viewer(role="etudiant", user_id=1)
PRO = Viewer(role="professionnel", user_id=2)
TRAINER = Viewer(role="formateur", user_id=3)
ADMIN = Viewer(role="admin", user_id=4)
OWN_ACCOUNT = Viewer(role="professionnel", user_id=6, practitioner_id=HERSELF)
OWN_STUDENT_ACCOUNT = Viewer(role="etudiant", user_id=8, practitioner_id=HERSELF)
OTHER_LINKED = Viewer(role="professionnel", user_id=9, practitioner_id=HERSELF + 1)


def person(listed: bool = True, contact: bool = True, email: str = "nadia.martin@example.org",
           id: int | None = HERSELF) -> Practitioner:
    return Practitioner(id=id, first_name="Nadia", last_name="Martin", function="ass", actor_category="intervenant",
                        email=email, consent_listed=listed, consent_contact=contact)


@pytest.mark.parametrize(("viewer", "may_edit"), [
    (ANONYMOUS, False), (STUDENT, False), (PRO, False), (OTHER_LINKED, False),
    (OWN_ACCOUNT, True), (OWN_STUDENT_ACCOUNT, True), (TRAINER, True), (ADMIN, True),
])
def test_a_practitioner_is_edited_by_moderators_and_by_herself(viewer, may_edit):
    assert policy.can_edit_practitioner(viewer, person()) is may_edit


def test_an_account_without_a_profile_is_nobodys_profile():
    assert not policy.can_edit_practitioner(PRO, person(id=None))


@pytest.mark.parametrize(("viewer", "sees_directory"), [
    (ANONYMOUS, False), (STUDENT, True), (PRO, True), (TRAINER, True), (ADMIN, True),
])
def test_the_directory_is_for_signed_in_users(viewer, sees_directory):
    assert policy.can_see_directory(viewer) is sees_directory
    assert policy.can_vote(viewer) is sees_directory
    assert policy.search_visibilities(viewer) == ({"public", "annuaire"} if sees_directory else {"public"})


@pytest.mark.parametrize(("viewer", "listed", "named"), [
    (PRO, True, True),
    (PRO, False, False),
    (OWN_ACCOUNT, False, True),  # she always sees her own profile
    (TRAINER, False, True),
])
def test_a_practitioner_is_named_when_she_agreed_to_be_listed(viewer, listed, named):
    assert policy.is_listed(viewer, person(listed=listed)) is named


def test_search_finds_a_practitioner_in_the_directory_only_when_listed():
    assert policy.practitioner_visibility(person(listed=True)) == "annuaire"
    assert policy.practitioner_visibility(person(listed=False)) == "non_liste"


@pytest.mark.parametrize(("viewer", "listed", "contact", "sees_phone"), [
    (PRO, True, True, True),
    (TRAINER, True, True, True),
    (STUDENT, True, True, False),
    (ANONYMOUS, True, True, False),
    (PRO, True, False, False),
    (PRO, False, True, False),  # a contact consent without the listing is not enough
    (ADMIN, False, False, False),
])
def test_her_phone_is_shown_to_professionals_when_she_agreed(viewer, listed, contact, sees_phone):
    assert policy.can_see_contact(viewer, person(listed=listed, contact=contact)) is sees_phone


@pytest.mark.parametrize(("viewer", "fields", "offered"), [
    (PRO, {}, True),
    (PRO, {"email": ""}, False),  # no address to relay to
    (PRO, {"contact": False}, False),
    (STUDENT, {}, False),
    (OWN_ACCOUNT, {}, False),  # nobody writes to herself
    (OTHER_LINKED, {}, True),
])
def test_the_contact_relay_is_offered_when_she_may_be_contacted(viewer, fields, offered):
    assert policy.can_message(viewer, person(**fields)) is offered
