"""Contributions and moderation: who publishes, pending versions of published actions, decisions, history,
the moderation queue, and who is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from kb.errors import DomainError
from kb.forms.actions import action_form_values, form_pairs
from kb.models import ActionReport, ActionRevision, FieldAction
from kb.models.base import utcnow
from kb.policy import Viewer
from kb.services import moderation as services
from kb.services.versions import current_input

QUEUE = "http://localhost/moderation/"


def mails(session) -> list[tuple[str, str]]:
    return [(m.to, m.subject) for m in session.info.get("mails", [])]


def bodies(session) -> list[str]:
    return [m.body for m in session.info.get("mails", [])]


def revisions(session, action) -> list[tuple[str, str]]:
    return [(r.kind, r.status) for r in session.exec(select(ActionRevision).where(ActionRevision.action_id == action.id)
                                                     .order_by(ActionRevision.id))]


@pytest.fixture
def people(make):
    """(trainer, professional author, their viewers); an unapproved trainer and a student who are never told."""
    trainer = make.user("formateur", email="formatrice@exemple.fr", name="Fanny Formatrice")
    admin = make.user("admin", email="admin@exemple.fr")
    make.user("formateur", email="attente@exemple.fr", approved=False)
    make.user("etudiant", email="etudiante@exemple.fr")
    pro = make.user("professionnel", email="autrice@exemple.fr", name="Paula Pro")
    return {"trainer": trainer, "admin": admin, "pro": pro,
            "as_trainer": Viewer(role="formateur", user_id=trainer.id),
            "as_pro": Viewer(role="professionnel", user_id=pro.id)}


def test_moderators_are_approved_trainers_and_admins(session, people):
    assert sorted(a.email for a in services.moderators(session)) == ["admin@exemple.fr", "formatrice@exemple.fr"]


def test_an_action_imported_or_whose_author_left_has_no_author_to_tell(session, make, people):
    assert services.author_accounts(session, make.action(author_id=None)) == []
    assert services.author_accounts(session, make.action(author_id=people["pro"].id)) == [people["pro"]]


def new_input(make, **fields):
    draft = make.action(title="Jardin partagé des Tamaris", publication_status="brouillon")
    data = current_input(draft).model_copy(update=fields)
    return data


def test_a_submitted_action_is_announced_to_the_moderators(session, make, people):
    data = new_input(make, publication_status="en_attente")
    saved = services.create(session, data, people["as_pro"], QUEUE)
    assert (saved.pending, saved.action.author_id, saved.action.publication_status) == (
        False, people["pro"].id, "en_attente")
    assert sorted(mails(session)) == [("admin@exemple.fr", "Nouvelle action à valider"),
                                      ("formatrice@exemple.fr", "Nouvelle action à valider")]
    assert bodies(session)[0] == f"« Jardin partagé des Tamaris » attend votre validation : {QUEUE}\n"
    [revision] = session.exec(select(ActionRevision).where(ActionRevision.action_id == saved.action.id)).all()
    assert (revision.kind, revision.status, revision.author_id, revision.comment) == (
        "creation", "appliquee", people["pro"].id, "")
    assert {c["field"] for c in revision.changes} >= {"title", "summary", "publication_status"}


def test_a_draft_is_announced_to_nobody(session, make, people):
    services.create(session, new_input(make, publication_status="brouillon"), people["as_pro"], QUEUE)
    assert mails(session) == []


def test_only_moderators_publish(session, make, people):
    with pytest.raises(DomainError) as refused:
        services.create(session, new_input(make, publication_status="publiee"), people["as_pro"], QUEUE)
    assert refused.value.field == "publication_status"
    assert refused.value.message == ("Une action est publiée après validation par l'équipe : choisissez « brouillon » "
                                     "ou « en attente de validation ».")
    saved = services.create(session, new_input(make, publication_status="publiee"), people["as_trainer"], QUEUE)
    assert saved.action.publication_status == "publiee" and mails(session) == []


# Edits


def test_an_edit_of_a_draft_applies_at_once_and_is_in_the_history(session, make, people):
    action = make.action(title="Jardin", publication_status="brouillon", author_id=people["pro"].id)
    data = current_input(action).model_copy(update={"title": "Jardin partagé"})
    saved = services.edit(session, action, data, [], people["as_pro"], QUEUE)
    assert (saved.pending, saved.action.title) == (False, "Jardin partagé")
    assert revisions(session, action) == [("modification", "appliquee")] and mails(session) == []
    services.edit(session, action, current_input(action), [], people["as_pro"], QUEUE)  # saved unchanged
    assert revisions(session, action) == [("modification", "appliquee")]


def test_submitting_a_draft_tells_the_moderators_once(session, make, people):
    action = make.action(title="Jardin", publication_status="brouillon", author_id=people["pro"].id)
    submit = current_input(action).model_copy(update={"publication_status": "en_attente"})
    services.edit(session, action, submit, [], people["as_pro"], QUEUE)
    assert sorted(mails(session)) == [("admin@exemple.fr", "Nouvelle action à valider"),
                                      ("formatrice@exemple.fr", "Nouvelle action à valider")]
    assert bodies(session)[0] == f"« Jardin » attend votre validation : {QUEUE}\n"
    services.edit(session, action, submit.model_copy(update={"title": "Jardin bis"}), [], people["as_pro"], QUEUE)
    assert len(mails(session)) == 2  # already waiting
    with pytest.raises(DomainError) as refused:
        services.edit(session, action, submit.model_copy(update={"publication_status": "publiee"}), [],
                      people["as_pro"], QUEUE)
    assert refused.value.field == "publication_status"


def propose(session, action, actor, **changes):
    values = action_form_values(action)
    for key, value in changes.items():
        values[key] = value
    data = current_input(action).model_copy(update=changes)
    return services.edit(session, action, data, form_pairs(values), actor, QUEUE)


def test_an_edit_of_a_published_action_waits_as_one_pending_version(session, make, people):
    action = make.action(title="Atelier couture", author_id=people["pro"].id)
    saved = propose(session, action, people["as_pro"], title="Atelier couture et récup")
    assert saved.pending is True and session.get(FieldAction, action.id).title == "Atelier couture"
    revision = services.pending_revision(session, action)
    assert (revision.kind, revision.status, revision.author_id) == ("proposition", "en_attente", people["pro"].id)
    assert [c["field"] for c in revision.changes] == ["title"]
    assert revision.base["title"] == "Atelier couture" and ["title", "Atelier couture et récup"] in revision.proposed
    assert sorted(mails(session)) == [("admin@exemple.fr", "Modification à valider"),
                                      ("formatrice@exemple.fr", "Modification à valider")]
    assert bodies(session)[0] == f"Une modification de « Atelier couture » attend votre validation : {QUEUE}\n"
    again = propose(session, action, people["as_pro"], title="Atelier couture et réparation")
    assert again.pending and revisions(session, action) == [("proposition", "en_attente")]
    assert services.pending_revision(session, action).changes[0]["after"] == "Atelier couture et réparation"


def test_a_pending_edit_keeps_the_published_status_and_an_unchanged_save_proposes_nothing(session, make, people):
    action = make.action(title="Atelier couture", author_id=people["pro"].id)
    saved = propose(session, action, people["as_pro"], publication_status="brouillon")  # the status is not hers to set
    assert (saved.unchanged, saved.pending, action.publication_status) == (True, False, "publiee")
    assert services.pending_revision(session, action) is None and mails(session) == []
    assert revisions(session, action) == []


def test_a_pending_edit_belongs_to_its_own_action_only(session, make, people):
    edited = make.action(title="Atelier couture", author_id=people["pro"].id)
    other = make.action(title="Jardin partagé", author_id=people["pro"].id)
    propose(session, edited, people["as_pro"], title="Atelier couture et récup")
    assert services.pending_revision(session, edited) is not None
    assert services.pending_revision(session, other) is None


def test_an_author_saving_her_pending_proposal_again_changes_nothing_and_tells_no_one(session, make, people):
    action = make.action(title="Atelier couture", author_id=people["pro"].id)
    propose(session, action, people["as_pro"], title="Atelier couture et récup")
    revision = services.pending_revision(session, action)
    asked_at, told = revision.created_at, len(mails(session))
    again = propose(session, action, people["as_pro"], title="Atelier couture et récup")
    assert (again.pending, again.unchanged, again.withdrawn) == (True, True, False)
    assert services.pending_revision(session, action).created_at == asked_at and len(mails(session)) == told


def test_an_author_saving_the_published_version_withdraws_her_proposal(session, make, people):
    action = make.action(title="Atelier couture", author_id=people["pro"].id)
    propose(session, action, people["as_pro"], title="Atelier couture et récup")
    back = propose(session, action, people["as_pro"])
    assert (back.withdrawn, back.pending, action.title) == (True, False, "Atelier couture")
    assert services.pending_revision(session, action) is None and revisions(session, action) == []


def test_someone_elses_proposal_is_not_withdrawn_by_an_unchanged_save(session, make, people):
    action = make.action(title="Atelier couture", author_id=people["pro"].id)
    other = make.user("professionnel", email="collegue@exemple.fr")
    services.edit(session, action, current_input(action).model_copy(update={"title": "Atelier récup"}),
                  form_pairs(action_form_values(action)), Viewer(role="professionnel", user_id=other.id), QUEUE)
    saved = propose(session, action, people["as_pro"])
    assert (saved.unchanged, saved.withdrawn) == (True, False)
    assert services.pending_revision(session, action).author_id == other.id


def test_a_moderators_edit_of_a_published_action_applies_at_once(session, make, people):
    action = make.action(title="Atelier couture", author_id=people["pro"].id)
    saved = propose(session, action, people["as_trainer"], title="Atelier couture et récup")
    assert (saved.pending, action.title) == (False, "Atelier couture et récup")
    assert revisions(session, action) == [("modification", "appliquee")] and mails(session) == []


# Decisions on pending versions


def test_an_accepted_version_is_published_and_its_author_told(session, make, people):
    action = make.action(title="Atelier couture", author_id=people["pro"].id)
    propose(session, action, people["as_pro"], title="Atelier couture et récup")
    revision = services.pending_revision(session, action)
    session.info["mails"] = []
    services.approve_revision(session, revision, people["as_trainer"], "Merci.")
    assert (action.title, action.publication_status) == ("Atelier couture et récup", "publiee")
    assert (revision.status, revision.reviewer_id, revision.comment) == ("approuvee", people["trainer"].id, "Merci.")
    assert revision.reviewed_at is not None and [c["field"] for c in revision.changes] == ["title"]
    assert mails(session) == [("autrice@exemple.fr", "Modification validée")]
    assert bodies(session) == ["Votre modification de « Atelier couture et récup » est publiée.\n\nCommentaire : Merci."]
    assert services.pending_revision(session, action) is None


def test_an_accepted_version_without_comment(session, make, people):
    action = make.action(title="Atelier couture", author_id=people["pro"].id)
    propose(session, action, people["as_pro"], title="Atelier couture et récup")
    session.info["mails"] = []
    services.approve_revision(session, services.pending_revision(session, action), people["as_trainer"], "")
    assert bodies(session) == ["Votre modification de « Atelier couture et récup » est publiée."]


def test_a_version_cannot_undo_changes_made_since_it_was_proposed(session, make, people):
    action = make.action(title="Atelier couture", author_id=people["pro"].id)
    propose(session, action, people["as_pro"], title="Atelier couture et récup")
    revision = services.pending_revision(session, action)
    assert services.changed_since(session, revision) == []
    propose(session, action, people["as_trainer"], summary="Un atelier de couture et de récupération, chaque jeudi.",
            status="terminee")
    assert services.changed_since(session, revision) == ["Résumé", "Avancement"]
    with pytest.raises(DomainError) as refused:
        services.approve_revision(session, revision, people["as_trainer"], "")
    assert refused.value.message == (
        "L'action a été modifiée depuis cette proposition (Résumé, Avancement) : l'accepter effacerait ces "
        "changements. Refusez-la en demandant à l'auteur·rice de reprendre sa modification sur la version actuelle.")
    assert action.title == "Atelier couture"


def test_a_change_of_publication_status_since_does_not_block_a_version(session, make, people):
    action = make.action(title="Atelier couture", author_id=people["pro"].id)
    propose(session, action, people["as_pro"], title="Atelier couture et récup")
    revision = services.pending_revision(session, action)
    action.publication_status = "archivee"
    session.flush()
    assert services.changed_since(session, revision) == []
    services.approve_revision(session, revision, people["as_trainer"], "")
    assert (action.title, action.publication_status) == ("Atelier couture et récup", "archivee")


def test_an_older_version_without_its_base_is_never_blocked(session, make, people):
    action = make.action(author_id=people["pro"].id)
    revision = ActionRevision(action_id=action.id, kind="proposition", status="en_attente", base={})
    assert services.changed_since(session, revision) == []


def test_a_version_no_longer_valid_must_be_refused(session, make, people):
    action = make.action(title="Atelier couture", author_id=people["pro"].id)
    proposed = [[k, "ab" if k == "title" else v] for k, v in form_pairs(action_form_values(action))]
    revision = ActionRevision(action_id=action.id, author_id=people["pro"].id, kind="proposition",
                              status="en_attente", proposed=proposed)  # a title rule made stricter since
    session.add(revision)
    session.flush()
    with pytest.raises(DomainError) as refused:
        services.approve_revision(session, revision, people["as_trainer"], "")
    assert refused.value.message == ("La version proposée n'est plus valide (Ce champ est trop court (au moins 3 "
                                     "caractères).) : refusez-la avec un commentaire.")


def test_a_refused_version_leaves_the_action_and_tells_why(session, make, people):
    action = make.action(title="Atelier couture", author_id=people["pro"].id)
    propose(session, action, people["as_pro"], title="Atelier couture et récup")
    revision = services.pending_revision(session, action)
    session.info["mails"] = []
    with pytest.raises(DomainError) as why:
        services.reject_revision(session, revision, people["as_trainer"], "   ")
    assert (why.value.field, why.value.message) == ("comment", "Expliquez le refus à l'auteur·rice dans le commentaire.")
    services.reject_revision(session, revision, people["as_trainer"], "  Titre trop long. ")
    assert (revision.status, revision.reviewer_id, revision.comment) == ("refusee", people["trainer"].id,
                                                                         "Titre trop long.")
    assert revision.reviewed_at is not None and action.title == "Atelier couture"
    assert mails(session) == [("autrice@exemple.fr", "Modification refusée")]
    assert bodies(session) == ["Votre modification de « Atelier couture » n'a pas été retenue.\n\n"
                               "Commentaire : Titre trop long."]


# Decisions on submitted actions


@pytest.mark.parametrize(("approve", "comment", "status", "subject", "body", "history"), [
    (True, "", "publiee", "Votre action est publiée", "« Jardin » est publiée.", "approuvee"),
    (True, " Bravo. ", "publiee", "Votre action est publiée", "« Jardin » est publiée.\n\nCommentaire : Bravo.",
     "approuvee"),
    (False, " À préciser. ", "brouillon", "Votre action à reprendre",
     "« Jardin » vous est renvoyée en brouillon.\n\nCommentaire : À préciser.", "refusee"),
])
def test_a_submitted_action_is_published_or_sent_back(session, make, people, approve, comment, status, subject, body,
                                                      history):
    action = make.action(title="Jardin", publication_status="en_attente", author_id=people["pro"].id)
    services.decide_action(session, action, approve, people["as_trainer"], comment)
    assert action.publication_status == status
    [revision] = session.exec(select(ActionRevision)).all()
    assert (revision.kind, revision.status, revision.comment, revision.author_id) == (
        "moderation", history, comment.strip(), people["trainer"].id)
    assert revision.changes[0]["field"] == "publication_status"
    assert mails(session) == [("autrice@exemple.fr", subject)] and bodies(session) == [body]


def test_a_refusal_needs_a_comment_and_a_decision_a_waiting_action(session, make, people):
    action = make.action(publication_status="en_attente", author_id=people["pro"].id)
    with pytest.raises(DomainError) as why:
        services.decide_action(session, action, False, people["as_trainer"], "  ")
    assert (why.value.field, why.value.message) == ("comment", "Expliquez le refus à l'auteur·rice dans le commentaire.")
    for published in (make.action(), make.action(publication_status="brouillon")):
        with pytest.raises(DomainError) as late:
            services.decide_action(session, published, True, people["as_trainer"], "")
        assert late.value.message == "Cette action n'attend plus de validation."
    assert session.exec(select(ActionRevision)).all() == []


# History and queue


def test_the_history_names_authors_and_reviewers_newest_first(session, make, people):
    action = make.action(author_id=people["pro"].id)
    reviewed = ActionRevision(action_id=action.id, author_id=None, reviewer_id=people["trainer"].id,
                              kind="proposition", status="approuvee", created_at=utcnow() - timedelta(days=1))
    older = ActionRevision(action_id=action.id, author_id=people["pro"].id, kind="creation", status="appliquee",
                           created_at=utcnow() - timedelta(days=2))  # imported after, but older
    same_time = ActionRevision(action_id=action.id, author_id=people["pro"].id, kind="modification",
                               status="appliquee", created_at=reviewed.created_at)
    session.add_all([reviewed, older])
    session.flush()
    session.add(same_time)
    session.add(ActionRevision(action_id=make.action().id, kind="creation", status="appliquee"))
    session.flush()
    anonymous = "Auteur·rice anonyme (compte supprimé ou import)"
    assert [(r.id, author, reviewer) for r, author, reviewer in services.history(session, action)] == [
        (same_time.id, "Paula Pro", ""), (reviewed.id, anonymous, "Fanny Formatrice"), (older.id, "Paula Pro", "")]


def test_the_queue_lists_submissions_versions_and_reported_actions(session, make, people):
    second = make.action(title="Soumise ensuite", publication_status="en_attente")
    first = make.action(title="Soumise d'abord", publication_status="en_attente")
    first.updated_at, second.updated_at = utcnow() - timedelta(days=2), utcnow() - timedelta(days=1)
    make.action(title="Brouillon", publication_status="brouillon")
    published, other = make.action(title="Publiée"), make.action(title="Autre publiée")
    later = ActionRevision(action_id=published.id, kind="proposition", status="en_attente", created_at=utcnow())
    pending = ActionRevision(action_id=other.id, kind="proposition", status="en_attente",
                             created_at=utcnow() - timedelta(hours=1))
    session.add_all([later, pending, ActionRevision(action_id=published.id, kind="proposition", status="refusee")])
    once, twice = make.action(title="Signalée une fois"), make.action(title="Signalée deux fois")
    session.add_all([ActionReport(action_id=once.id, reason="erronee", reporter_key="ip:1"),
                     ActionReport(action_id=twice.id, reason="erronee", reporter_key="ip:1"),
                     ActionReport(action_id=twice.id, reason="doublon", reporter_key="ip:2"),
                     ActionReport(action_id=published.id, reason="doublon", reporter_key="ip:2", status="traite")])
    session.flush()
    waiting = services.queue(session)
    assert [a.title for a in waiting["submitted"]] == ["Soumise d'abord", "Soumise ensuite"]
    assert [(r.id, a.id) for r, a in waiting["revisions"]] == [(pending.id, other.id), (later.id, published.id)]
    assert [(a.title, n) for a, n in waiting["reported"]] == [("Signalée deux fois", 2), ("Signalée une fois", 1)]
