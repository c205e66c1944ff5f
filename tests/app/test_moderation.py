"""Contribution and moderation: submissions, pending versions of published actions, history, reports."""

from __future__ import annotations

import re

from sqlmodel import func, select

from kb.forms.actions import action_form_values
from kb.mail import sent_mails
from kb.models import ActionReport, ActionRevision, FieldAction
from tests.conftest import login, post_form

FORM = {"title": "Jardin partagé des Tamaris", "summary": "Un jardin cultivé par les habitant·es du quartier.",
        "writeup": "## Contexte\n\nLe centre social a proposé une parcelle.", "mode": "communautaire",
        "status": "en_cours", "commune": "13004", "publication_status": "en_attente"}


def _action_id(response) -> int:
    return int(re.search(r"/actions/(\d+)$", response.headers["Location"]).group(1))


def test_a_professional_submits_and_a_trainer_publishes(app, client, session, make):
    trainer = make.user("formateur", email="formatrice@exemple.fr")
    pro = make.user("professionnel", email="pro@exemple.fr")
    session.commit()
    login(client, pro)
    form_page = client.get("/actions/nouvelle").get_data(as_text=True)
    assert 'value="publiee"' not in form_page  # she cannot publish directly
    refused = post_form(client, "/actions/nouvelle", {**FORM, "publication_status": "publiee"})
    assert refused.status_code == 422 and "après validation" in refused.get_data(as_text=True)
    response = post_form(client, "/actions/nouvelle", FORM)
    action_id = _action_id(response)
    action = session.get(FieldAction, action_id)
    assert action.publication_status == "en_attente" and action.author_id == pro.id
    assert sent_mails(app)[-1]["To"] == trainer.email
    assert app.test_client().get(f"/actions/{action_id}").status_code == 404  # not public yet
    assert client.get(f"/actions/{action_id}").status_code == 200  # its author sees it

    moderator = app.test_client()
    login(moderator, trainer)
    assert "Jardin partagé des Tamaris" in moderator.get("/moderation/").get_data(as_text=True)
    refused = post_form(moderator, f"/moderation/actions/{action_id}", {"decision": "renvoyer", "comment": ""})
    assert refused.status_code == 422 and "Expliquez le refus" in refused.get_data(as_text=True)
    assert post_form(moderator, f"/moderation/actions/{action_id}", {"decision": "publier"}).status_code == 302
    session.refresh(action)
    assert action.publication_status == "publiee"
    assert sent_mails(app)[-1]["To"] == pro.email and "publiée" in sent_mails(app)[-1]["Subject"]
    assert app.test_client().get(f"/actions/{action_id}").status_code == 200


def test_an_edit_of_a_published_action_waits_while_the_published_version_stays(app, client, session, make):
    trainer, pro = make.user("formateur"), make.user("professionnel")
    action = make.action(title="Atelier couture", author_id=pro.id)
    session.commit()
    login(client, pro)
    form = client.get(f"/actions/{action.id}/modifier").get_data(as_text=True)
    assert "relues par l'équipe" in form
    values = dict(action_form_values(action).lists())  # the whole form, as the browser sends it back
    values.update(title="Atelier couture et récup", writeup=action.writeup + "\n\nNouveau.")
    response = post_form(client, f"/actions/{action.id}/modifier", values, follow_redirects=True)
    assert "attendent la validation" in response.get_data(as_text=True)
    public = app.test_client().get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Atelier couture et récup" not in public and "Atelier couture" in public
    assert "attend la validation" in client.get(f"/actions/{action.id}").get_data(as_text=True)
    # Editing again shows her pending version and replaces it rather than piling up versions.
    assert 'value="Atelier couture et récup"' in client.get(f"/actions/{action.id}/modifier").get_data(as_text=True)
    revision = session.exec(select(ActionRevision).where(ActionRevision.action_id == action.id,
                                                ActionRevision.status == "en_attente")).one()
    assert {c["label"] for c in revision.changes} == {"Titre", "Récit"}

    moderator = app.test_client()
    login(moderator, trainer)
    diff = moderator.get(f"/moderation/versions/{revision.id}").get_data(as_text=True)
    assert "<ins><span class=\"visually-hidden\">Ajouté : </span>Nouveau.</ins>" in diff
    assert "<del>Atelier couture</del>" in diff and "<ins>Atelier couture et récup</ins>" in diff
    assert post_form(moderator, f"/moderation/versions/{revision.id}", {"decision": "accepter"}).status_code == 302
    session.refresh(action)
    assert action.title == "Atelier couture et récup" and action.publication_status == "publiee"
    history = client.get(f"/actions/{action.id}/historique").get_data(as_text=True)
    assert "Modification proposée" in history and "Approuvée" in history and pro.display_name in history


def test_a_refused_edit_leaves_the_action_and_tells_the_author(app, client, session, make):
    trainer, pro = make.user("formateur"), make.user("professionnel", email="autrice@exemple.fr")
    action = make.action(title="Café des parents", author_id=pro.id)
    session.commit()
    login(client, pro)
    values = {"title": "Café des parents du jeudi", "summary": action.summary, "mode": "groupe",
              "status": "en_cours", "commune": "13004"}
    post_form(client, f"/actions/{action.id}/modifier", values)
    unchanged = post_form(client, f"/actions/{action.id}/modifier", {**values, "title": action.title,
                                                                     "writeup": action.writeup})
    assert unchanged.status_code == 302  # the same content as published (apart from the title) is still a change
    revision = session.exec(select(ActionRevision).where(ActionRevision.action_id == action.id,
                                                ActionRevision.status == "en_attente")).one()
    moderator = app.test_client()
    login(moderator, trainer)
    post_form(moderator, f"/moderation/versions/{revision.id}", {"decision": "refuser", "comment": "Titre trop long."})
    session.refresh(action)
    session.refresh(revision)
    assert action.title == "Café des parents" and revision.status == "refusee"
    assert sent_mails(app)[-1]["To"] == "autrice@exemple.fr" and "Titre trop long." in sent_mails(app)[-1].get_content()


def test_saving_warns_about_a_similar_action_and_identifying_details(client, session, make, editor):
    make.action(title="Jardin partagé des Tamaris", commune_insee="13004")
    session.commit()
    values = {**FORM, "publication_status": "publiee", "title": "Le jardin partagé Tamaris",
              "writeup": "Mme Benali, 42 ans, habite au 12 rue des Lilas et Karim, 17 ans, vient chaque semaine."}
    response = post_form(client, "/actions/nouvelle", values)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Vérifiez avant d'enregistrer" in html
    assert "Une action proche existe déjà : « Jardin partagé des Tamaris »" in html
    assert "Mme Benali" in html and "Karim, 17 ans" in html and "12 rue des Lilas" in html
    assert 'value="Le jardin partagé Tamaris"' in html  # nothing typed is lost
    assert session.exec(select(func.count()).select_from(FieldAction)).one() == 1
    confirmed = post_form(client, "/actions/nouvelle", {**values, "confirm_warnings": "1"})
    assert confirmed.status_code == 302 and session.exec(select(func.count()).select_from(FieldAction)).one() == 2


def test_three_reports_hide_an_action_until_a_moderator_decides(app, session, make):
    trainer = make.user("formateur")
    action = make.action(title="Repair café", themes=["Écologie"])
    session.commit()
    clients = [app.test_client() for _ in range(3)]
    for i, visitor in enumerate(clients):
        visitor.environ_base["REMOTE_ADDR"] = f"192.0.2.{i + 1}"
    assert post_form(clients[0], f"/actions/{action.id}/signaler", {"reason": "erronee"}).status_code == 302
    again = post_form(clients[0], f"/actions/{action.id}/signaler", {"reason": "doublon"})
    assert again.status_code == 422 and "déjà signalé" in again.get_data(as_text=True)
    bad = post_form(clients[1], f"/actions/{action.id}/signaler", {"reason": "autre"})
    assert bad.status_code == 422 and "Choisissez un motif" in bad.get_data(as_text=True)
    post_form(clients[1], f"/actions/{action.id}/signaler", {"reason": "n_existe_plus"})
    assert app.test_client().get(f"/actions/{action.id}").status_code == 200
    post_form(clients[2], f"/actions/{action.id}/signaler", {"reason": "inappropriee", "comment": "<b>Propos</b>"})
    anonymous = app.test_client()
    assert anonymous.get(f"/actions/{action.id}").status_code == 404
    assert "Repair café" not in anonymous.get("/actions/").get_data(as_text=True)
    assert "Repair café" not in anonymous.get("/recherche?q=repair").get_data(as_text=True)
    assert anonymous.get(f"/api/v1/actions/{action.id}").status_code == 404
    assert sent_mails(app)[-1]["To"] == trainer.email

    moderator = app.test_client()
    login(moderator, trainer)
    page = moderator.get(f"/moderation/signalements/{action.id}").get_data(as_text=True)
    assert "&lt;b&gt;Propos&lt;/b&gt;" in page and "Informations erronées" in page
    assert post_form(moderator, f"/moderation/signalements/{action.id}", {"decision": "garder"}).status_code == 302
    assert anonymous.get(f"/actions/{action.id}").status_code == 200
    assert "Repair café" in anonymous.get("/recherche?q=repair").get_data(as_text=True)
    assert "Aucun signalement ouvert" in moderator.get(f"/moderation/signalements/{action.id}").get_data(as_text=True)


def test_authors_delete_their_drafts_but_not_their_published_actions(client, session, make):
    pro = make.user("professionnel")
    draft = make.action(title="Brouillon à jeter", publication_status="brouillon", author_id=pro.id)
    published = make.action(title="Action publiée", author_id=pro.id)
    someone_else = make.action(title="Action d'une autre", publication_status="brouillon")
    session.commit()
    login(client, pro)
    assert post_form(client, f"/actions/{draft.id}/supprimer", {}).status_code == 302
    assert client.get(f"/actions/{published.id}/supprimer").status_code == 403
    assert client.get(f"/actions/{someone_else.id}/modifier").status_code == 403
    assert client.get(f"/actions/{someone_else.id}").status_code == 404


def test_a_pending_edit_cannot_undo_changes_made_since(app, client, session, make):
    trainer, pro = make.user("formateur"), make.user("professionnel")
    action = make.action(title="Atelier couture", author_id=pro.id)
    session.commit()
    login(client, pro)
    values = dict(action_form_values(action).lists())
    values["summary"] = "Un résumé revu par l'autrice de l'action."
    post_form(client, f"/actions/{action.id}/modifier", values)
    revision = session.exec(select(ActionRevision).where(ActionRevision.status == "en_attente")).one()
    moderator = app.test_client()
    login(moderator, trainer)
    direct = dict(action_form_values(action).lists())
    direct["title"] = "Atelier couture solidaire"
    assert post_form(moderator, f"/actions/{action.id}/modifier", direct).status_code == 302
    page = moderator.get(f"/moderation/versions/{revision.id}").get_data(as_text=True)
    assert "modifiée depuis cette proposition (Titre)" in page.replace("&#39;", "'")
    refused = post_form(moderator, f"/moderation/versions/{revision.id}", {"decision": "accepter"})
    assert refused.status_code == 422
    session.refresh(action)
    assert action.title == "Atelier couture solidaire"  # the trainer's change survives


def test_accounts_opened_the_same_day_cannot_hide_an_action(app, session, make):
    action = make.action(title="Repair café")
    newcomers = [make.user("etudiant") for _ in range(3)]
    session.commit()
    for account in newcomers:
        troll = app.test_client()
        login(troll, account)
        assert post_form(troll, f"/actions/{action.id}/signaler", {"reason": "inappropriee"}).status_code == 302
    assert app.test_client().get(f"/actions/{action.id}").status_code == 200  # recorded, not hidden
    assert len(session.exec(select(ActionReport)).all()) == 3


def test_the_decision_on_reports_is_in_the_history_and_told_to_the_author(app, session, make):
    trainer, pro = make.user("formateur"), make.user("professionnel", email="autrice@exemple.fr")
    action = make.action(title="Café des parents", author_id=pro.id)
    session.commit()
    for i in range(3):
        visitor = app.test_client()
        visitor.environ_base["REMOTE_ADDR"] = f"198.51.100.{i}"
        post_form(visitor, f"/actions/{action.id}/signaler", {"reason": "n_existe_plus"})
    assert sent_mails(app)[-1]["To"] == "autrice@exemple.fr"  # hidden: the author knows why
    moderator = app.test_client()
    login(moderator, trainer)
    post_form(moderator, f"/moderation/signalements/{action.id}", {"decision": "depublier", "comment": "Action close."})
    session.refresh(action)
    assert action.publication_status == "brouillon"
    assert "action dépubliée" in sent_mails(app)[-1].get_content()
    author = app.test_client()
    login(author, pro)
    history = author.get(f"/actions/{action.id}/historique").get_data(as_text=True)
    assert "Signalements examinés (L&#39;action n&#39;existe plus) : action dépubliée. Action close." in history


def test_the_similar_action_warning_never_shows_unpublished_titles(client, session, make, editor):
    make.action(title="Jardin partagé secret", publication_status="en_attente")
    session.commit()
    html = post_form(client, "/actions/nouvelle", {**FORM, "publication_status": "publiee",
                                                   "title": "Jardin partagé secret"}).get_data(as_text=True)
    assert "Une action proche existe déjà" not in html


def test_moderators_see_the_identifying_details_an_author_confirmed_past(app, client, session, make):
    trainer, pro = make.user("formateur"), make.user("professionnel")
    published = make.action(title="Atelier couture", author_id=pro.id)
    session.commit()
    login(client, pro)
    form = {**FORM, "writeup": "## Contexte\n\nKarim, 17 ans, a proposé le jardin."}
    warned = post_form(client, "/actions/nouvelle", form)
    assert warned.status_code == 200 and "Karim, 17 ans" in warned.get_data(as_text=True)
    submitted = _action_id(post_form(client, "/actions/nouvelle", {**form, "confirm_warnings": "1"}))
    values = dict(action_form_values(published).lists())
    values.update(summary="Un atelier animé avec Mme Durand, voisine du centre social.", confirm_warnings="1")
    assert post_form(client, f"/actions/{published.id}/modifier", values).status_code == 302
    revision = session.exec(select(ActionRevision).where(ActionRevision.action_id == published.id,
                                                         ActionRevision.status == "en_attente")).one()

    moderator = app.test_client()
    login(moderator, trainer)
    queue = moderator.get("/moderation/").get_data(as_text=True)
    assert queue.count("à vérifier : données identifiantes possibles") == 2
    page = moderator.get(f"/moderation/actions/{submitted}").get_data(as_text=True)
    assert "« Karim, 17 ans » (un prénom suivi d&#39;un âge)" in page
    assert "L'auteur·rice a enregistré malgré cet avertissement." in page
    version = moderator.get(f"/moderation/versions/{revision.id}").get_data(as_text=True)
    assert "« Mme Durand » (une civilité suivie d&#39;un nom)" in version
    assert "Karim" not in version  # only what this version brings
    observed = make.action(title="Relevé nominatif", publication_status="en_attente")
    observed.effects[0].observer = "Mme Dupont"
    session.commit()
    assert "« Mme Dupont » (une civilité suivie d&#39;un nom)" in moderator.get(
        f"/moderation/actions/{observed.id}").get_data(as_text=True)
    clean = make.action(title="Sans nom propre", publication_status="en_attente")
    session.commit()
    assert "semble identifier" not in moderator.get(f"/moderation/actions/{clean.id}").get_data(as_text=True)


def test_the_form_warns_about_identifying_details_in_every_text_it_saves(client, session, make, editor):
    form = {**FORM, "publication_status": "publiee", "barriers-0-kind": "institutionnel",
            "barriers-0-actor_category": "intervenant", "barriers-0-description": "La famille de M. Benali a refusé.",
            "effects-0-dimension": "groupe", "effects-0-description": "Entraide entre voisines.",
            "effects-0-observer": "Mme Durand"}
    warned = post_form(client, "/actions/nouvelle", form).get_data(as_text=True)
    assert "« M. Benali »" in warned and "« Mme Durand »" in warned
