"""Who may see, edit, delete and moderate field actions, and who may run workshops (kb/policy.py, no app)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kb import policy
from kb.models import FieldAction
from kb.policy import ANONYMOUS, Viewer

AUTHOR_ID = 7
STUDENT = Viewer(role="etudiant", user_id=1)
AUTHOR_STUDENT = Viewer(role="etudiant", user_id=AUTHOR_ID)
PRO = Viewer(role="professionnel", user_id=2)
AUTHOR = Viewer(role="professionnel", user_id=AUTHOR_ID)
TRAINER = Viewer(role="formateur", user_id=3)
ADMIN = Viewer(role="admin", user_id=4)
ROLES = {"anonyme": ANONYMOUS, "etudiant": STUDENT, "professionnel": PRO, "formateur": TRAINER, "admin": ADMIN}


def action(status: str = "publiee", hidden: bool = False, author_id: int | None = AUTHOR_ID) -> FieldAction:
    return FieldAction(title="Jardin partagé", summary="Un jardin cultivé ensemble.", mode="dsl",
                       publication_status=status, author_id=author_id,
                       hidden_at=datetime(2026, 1, 5, tzinfo=UTC) if hidden else None)


@pytest.mark.parametrize(("role", "approved", "acts_as"), [
    ("etudiant", False, "etudiant"),
    ("etudiant", True, "etudiant"),
    ("professionnel", False, "etudiant"),
    ("professionnel", True, "professionnel"),
    ("formateur", False, "etudiant"),
    ("formateur", True, "formateur"),
    ("admin", False, "admin"),
    ("admin", True, "admin"),
])
def test_professionals_and_trainers_act_as_students_until_approved(role, approved, acts_as):
    assert policy.effective_role(role, approved) == acts_as


def test_a_viewer_is_signed_in_with_an_account():
    assert not ANONYMOUS.signed_in and not Viewer(role="etudiant").signed_in
    assert Viewer(role="etudiant", user_id=12).signed_in


@pytest.mark.parametrize(("role", "moderator", "admin", "contributor"), [
    ("anonyme", False, False, False),
    ("etudiant", False, False, False),
    ("professionnel", False, False, True),
    ("formateur", True, False, True),
    ("admin", True, True, True),
])
def test_what_each_role_may_do(role, moderator, admin, contributor):
    viewer = ROLES[role]
    assert (policy.is_moderator(viewer), policy.is_admin(viewer), policy.can_contribute(viewer)) == (
        moderator, admin, contributor)
    assert (policy.can_create_records(viewer), policy.can_manage_records(viewer)) == (contributor, moderator)
    assert (policy.can_run_workshops(viewer), policy.can_see_attendance(viewer)) == (moderator, moderator)


@pytest.mark.parametrize(("status", "hidden", "public", "visibility"), [
    ("publiee", False, True, "public"),
    ("archivee", False, True, "public"),
    ("publiee", True, False, "masquee"),
    ("archivee", True, False, "masquee"),
    ("brouillon", False, False, "brouillon"),
    ("en_attente", False, False, "en_attente"),
    ("brouillon", True, False, "brouillon"),
])
def test_public_actions_are_published_or_archived_and_not_hidden(status, hidden, public, visibility):
    found = action(status, hidden)
    assert policy.is_public(found) is public
    assert policy.action_visibility(found) == visibility  # search shows exactly what the pages show


def test_only_a_signed_in_author_is_the_author():
    imported = action(author_id=None)
    assert not policy.is_author(ANONYMOUS, imported)  # no account is the author of an imported action
    assert policy.is_author(AUTHOR, action()) and not policy.is_author(PRO, action())


@pytest.mark.parametrize(("viewer", "draft", "published"), [
    (ANONYMOUS, False, True),
    (STUDENT, False, True),
    (PRO, False, True),
    (AUTHOR, True, True),
    (AUTHOR_STUDENT, True, True),  # a student who wrote it before her account changed role still sees it
    (TRAINER, True, True),
    (ADMIN, True, True),
])
def test_drafts_are_seen_by_their_author_and_moderators(viewer, draft, published):
    assert policy.can_view_action(viewer, action("brouillon")) is draft
    assert policy.can_view_action(viewer, action("publiee")) is published
    assert policy.can_view_action(viewer, action("publiee", hidden=True)) is draft


@pytest.mark.parametrize(("viewer", "own", "others"), [
    (ANONYMOUS, False, False),
    (STUDENT, False, False),
    (AUTHOR_STUDENT, False, False),  # students do not contribute, even to what they wrote
    (AUTHOR, True, False),
    (TRAINER, True, True),
    (ADMIN, True, True),
])
def test_moderators_edit_every_action_and_a_professional_her_own(viewer, own, others):
    assert policy.can_edit_action(viewer, action(author_id=viewer.user_id)) is own
    assert policy.can_edit_action(viewer, action(author_id=99)) is others


@pytest.mark.parametrize(("viewer", "status", "needs_review"), [
    (AUTHOR, "publiee", True),
    (AUTHOR, "archivee", True),
    (AUTHOR, "brouillon", False),
    (AUTHOR, "en_attente", False),
    (TRAINER, "publiee", False),
    (ADMIN, "archivee", False),
])
def test_a_contributors_edit_of_a_published_action_waits_for_review(viewer, status, needs_review):
    assert policy.edit_needs_review(viewer, action(status)) is needs_review


@pytest.mark.parametrize(("viewer", "status", "author_id", "may_delete"), [
    (AUTHOR, "brouillon", AUTHOR_ID, True),
    (AUTHOR, "en_attente", AUTHOR_ID, True),
    (AUTHOR, "publiee", AUTHOR_ID, False),
    (AUTHOR, "archivee", AUTHOR_ID, False),
    (AUTHOR, "brouillon", 99, False),
    (AUTHOR_STUDENT, "brouillon", AUTHOR_ID, False),
    (TRAINER, "publiee", 99, True),
    (ADMIN, "archivee", None, True),
])
def test_an_author_deletes_her_action_while_it_is_not_published(viewer, status, author_id, may_delete):
    assert policy.can_delete_action(viewer, action(status, author_id=author_id)) is may_delete


def test_only_moderators_may_publish():
    assert policy.publication_choices(TRAINER) == ("brouillon", "en_attente", "publiee", "archivee")
    assert policy.publication_choices(ADMIN) == ("brouillon", "en_attente", "publiee", "archivee")
    assert policy.publication_choices(AUTHOR) == ("brouillon", "en_attente")


@pytest.mark.parametrize(("viewer", "sees"), [
    (ANONYMOUS, False), (STUDENT, False), (PRO, False), (AUTHOR, True), (AUTHOR_STUDENT, True),
    (TRAINER, True), (ADMIN, True),
])
def test_the_version_history_is_for_the_author_and_moderators(viewer, sees):
    assert policy.can_view_history(viewer, action()) is sees


@pytest.mark.parametrize(("precision", "position", "centre", "shown"), [
    ("exacte", (43.6766, 4.6278), (43.68, 4.63), (43.6766, 4.6278)),
    ("commune", (43.6766, 4.6278), (43.68, 4.63), (43.68, 4.63)),  # a sensitive place: its commune's centre
    ("exacte", (None, None), (43.68, 4.63), (43.68, 4.63)),
    ("exacte", (None, 4.6278), (43.68, 4.63), (43.68, 4.63)),
    ("exacte", (43.6766, None), (43.68, 4.63), None),
    ("exacte", (None, None), (None, None), None),
    ("commune", (43.6766, 4.6278), (43.68, None), None),
    ("commune", (43.6766, 4.6278), (None, 4.63), None),
])
def test_where_an_action_may_be_drawn(precision, position, centre, shown):
    assert policy.shown_position(precision, position, centre) == shown
