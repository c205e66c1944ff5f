"""Problem reports: who may report, when three reports hide an action, and the moderator's decision."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from sqlmodel import select

from kb.errors import DomainError
from kb.models import ActionReport, ActionRevision, FieldAction
from kb.models.base import utcnow
from kb.policy import Viewer
from kb.services import reports as services
from kb.services.ratelimit import RateLimited

QUEUE = "http://localhost/moderation/"


def mails(session) -> list[tuple[str, str]]:
    return [(m.to, m.subject) for m in session.info.get("mails", [])]


def reported(session, action, *keys: str, reason: str = "erronee") -> list[bool]:
    return [services.report(session, action, reason, "", key, QUEUE) for key in keys]


@pytest.fixture
def action(make):
    """A published action written by a professional."""
    author = make.user("professionnel", email="autrice@exemple.fr")
    return make.action(title="Jardin partagé", author_id=author.id)


def aged(account, days: float) -> None:
    account.created_at = utcnow() - timedelta(days=days)


def test_a_report_is_recorded_with_its_reason_and_comment(session, action):
    assert services.report(session, action, "doublon", "  Même action que n° 12.  ", "ip:abc", QUEUE) is False
    saved = session.exec(select(ActionReport)).one()
    assert (saved.action_id, saved.reason, saved.comment, saved.reporter_key, saved.status) == (
        action.id, "doublon", "Même action que n° 12.", "ip:abc", "ouvert")
    assert session.get(FieldAction, action.id).hidden_at is None


@pytest.mark.parametrize("status", ["brouillon", "en_attente"])
def test_only_a_public_action_can_be_reported(session, make, status):
    with pytest.raises(DomainError) as refused:
        reported(session, make.action(publication_status=status), "ip:abc")
    assert refused.value.message == "Cette action n'est pas publiée : elle ne peut pas être signalée."


def test_a_hidden_action_cannot_be_reported_again(session, action):
    action.hidden_at = utcnow()
    with pytest.raises(DomainError):
        reported(session, action, "ip:abc")


def test_a_report_needs_a_listed_reason_and_a_comment_of_at_most_2000_characters(session, action):
    with pytest.raises(DomainError) as refused:
        reported(session, action, "ip:abc", reason="autre")
    assert (refused.value.field, refused.value.message) == ("reason", "Choisissez un motif dans la liste.")
    with pytest.raises(DomainError) as too_long:
        services.report(session, action, "erronee", "x" * 2001, "ip:abc", QUEUE)
    assert (too_long.value.field, too_long.value.message) == (
        "comment", "Le commentaire est trop long (au plus 2000 caractères).")
    assert services.report(session, action, "erronee", "x" * 2000, "ip:abc", QUEUE) is False


def test_a_person_may_report_again_once_her_report_was_reviewed(session, action):
    reported(session, action, "ip:abc")
    services.resolve(session, action, True, MODERATOR)
    assert reported(session, action, "ip:abc") == [False]
    assert [r.reporter_key for r in services.open_reports(session, action)] == ["ip:abc"]


def test_an_account_counts_from_exactly_one_day_old(session, make, action, monkeypatch):
    now = utcnow()
    monkeypatch.setattr(services, "utcnow", lambda: now)
    account = make.user("etudiant")
    account.created_at = now - timedelta(days=1)
    session.flush()
    assert reported(session, action, "ip:1", "ip:2", f"u:{account.id}") == [False, False, True]


def test_one_open_report_per_person_and_action(session, make, action):
    reported(session, action, "ip:abc")
    with pytest.raises(DomainError) as twice:
        reported(session, action, "ip:abc")
    assert (twice.value.field, twice.value.message) == (
        "reason", "Vous avez déjà signalé cette action ; l'équipe va l'examiner.")
    assert reported(session, make.action(), "ip:abc") == [False]  # another action


def test_reports_are_rate_limited_per_person(session, make):
    for _ in range(10):
        reported(session, make.action(), "ip:abc")
    with pytest.raises(RateLimited) as limited:
        reported(session, make.action(), "ip:abc")
    assert limited.value.field == "reason"
    assert reported(session, make.action(), "ip:def") == [False]


def test_three_reports_hide_the_action_and_tell_moderators_and_its_author(session, make, action):
    trainer = make.user("formateur", email="formatrice@exemple.fr")
    make.user("formateur", email="attente@exemple.fr", approved=False)
    assert reported(session, action, "ip:a", "ip:b") == [False, False]
    assert session.get(FieldAction, action.id).hidden_at is None and mails(session) == []
    assert reported(session, action, "ip:c") == [True]
    assert session.get(FieldAction, action.id).hidden_at is not None
    assert mails(session) == [(trainer.email, "Action masquée après signalements"),
                              ("autrice@exemple.fr", "Votre action est masquée après des signalements")]
    assert [m.body for m in session.info["mails"]] == [
        f"« Jardin partagé » a reçu 3 signalements et n'est plus visible : {QUEUE}\n",
        "« Jardin partagé » a été signalée plusieurs fois ; elle est masquée le temps que l'équipe l'examine. "
        "Vous serez prévenu·e de sa décision.\n"]


def test_new_accounts_do_not_hide_an_action_but_older_or_approved_ones_do(session, make, action):
    fresh = [make.user("etudiant") for _ in range(3)]
    assert reported(session, action, *[f"u:{a.id}" for a in fresh]) == [False, False, False]
    pro = make.user("professionnel")  # approved, however new
    assert reported(session, action, f"u:{pro.id}", "ip:a", "ip:b") == [False, False, True]
    assert len(services.open_reports(session, action)) == 6


@pytest.mark.parametrize(("key", "setup", "counts"), [
    ("ip:abc", None, True),
    ("u:abc", None, False),
    ("u:999999", None, False),
    ("u:{id}", ("etudiant", True, 0), False),
    ("u:{id}", ("etudiant", True, 0.99), False),
    ("u:{id}", ("etudiant", True, 1.01), True),
    ("u:{id}", ("professionnel", True, 0), True),
    ("u:{id}", ("formateur", True, 0), True),
    ("u:{id}", ("admin", True, 0), True),
    ("u:{id}", ("professionnel", False, 0), False),
    ("u:{id}", ("professionnel", False, 2), True),
])
def test_which_reports_count_toward_hiding(session, make, key, setup, counts):
    action = make.action()
    if setup:
        role, approved, days = setup
        account = make.user(role, approved=approved)
        aged(account, days)
        session.flush()
        key = key.format(id=account.id)
    assert reported(session, action, "ip:1", "ip:2", key) == [False, False, counts]  # the third report hides


def test_an_account_created_with_a_naive_date_is_aged_in_utc(session, make, action):
    account = make.user("etudiant")
    account.created_at = (utcnow() - timedelta(days=2)).astimezone(UTC).replace(tzinfo=None)
    session.flush()
    assert reported(session, action, "ip:1", "ip:2", f"u:{account.id}") == [False, False, True]


def test_open_reports_are_this_actions_unreviewed_ones_oldest_first(session, make, action):
    other = make.action()
    reported(session, action, "ip:a", "ip:b")
    reported(session, other, "ip:c")
    first, second = session.exec(select(ActionReport).where(ActionReport.action_id == action.id)
                                 .order_by(ActionReport.id)).all()
    first.created_at, second.created_at = utcnow(), utcnow() - timedelta(hours=1)
    session.flush()
    assert [r.reporter_key for r in services.open_reports(session, action)] == ["ip:b", "ip:a"]
    second.status = "traite"
    session.flush()
    assert [r.reporter_key for r in services.open_reports(session, action)] == ["ip:a"]


MODERATOR = Viewer(role="formateur", user_id=None)


@pytest.mark.parametrize(("keep", "status", "note"), [
    (True, "publiee", "Signalements examinés (Doublon d'une autre action, Informations erronées) : action maintenue en "
                      "ligne. Vérifié sur place."),
    (False, "brouillon", "Signalements examinés (Doublon d'une autre action, Informations erronées) : action dépubliée. "
                         "Vérifié sur place."),
])
def test_a_moderator_keeps_or_unpublishes_a_reported_action(session, make, action, keep, status, note):
    trainer = make.user("formateur")
    reported(session, action, "ip:a")
    reported(session, action, "ip:b", "ip:c", reason="doublon")
    session.info["mails"] = []
    services.resolve(session, action, keep, Viewer(role="formateur", user_id=trainer.id), "  Vérifié sur place. ")
    session.expire_all()
    saved = session.get(FieldAction, action.id)
    assert (saved.hidden_at, saved.publication_status) == (None, status)
    assert services.open_reports(session, saved) == []
    assert all(r.status == "traite" and r.resolved_at is not None for r in session.exec(select(ActionReport)))
    revision = session.exec(select(ActionRevision).where(ActionRevision.kind == "moderation")).one()
    assert (revision.author_id, revision.comment, revision.status) == (
        trainer.id, note, "approuvee" if keep else "refusee")
    assert [c["field"] for c in revision.changes] == ([] if keep else ["publication_status"])
    assert mails(session) == [("autrice@exemple.fr", "Décision après signalements")]
    assert session.info["mails"][0].body == f"« Jardin partagé » : {note}\n"


def test_a_reason_no_longer_offered_is_named_as_stored(session, action):
    session.add(ActionReport(action_id=action.id, reason="ancien_motif", reporter_key="ip:1"))
    session.flush()
    services.resolve(session, action, True, MODERATOR)
    revision = session.exec(select(ActionRevision)).one()
    assert revision.comment == "Signalements examinés (ancien_motif) : action maintenue en ligne."


def test_a_decision_without_open_reports_or_comment_says_so(session, action):
    services.resolve(session, action, True, MODERATOR)
    revision = session.exec(select(ActionRevision)).one()
    assert revision.comment == "Signalements examinés (aucun) : action maintenue en ligne."
