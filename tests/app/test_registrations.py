"""The seminar's registration pages: the bulletin, the employer's private link, documents, the team's list."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer
from pypdf import PdfReader
from sqlmodel import select

from kb import calendar
from kb.forms.workshops import SeminarInput
from kb.mail import sent_mails
from kb.models import Registration, Trainee
from kb.services import presence, seminars
from tests.conftest import csrf_token, post_form

GOOD_SIRET = "73282932000074"  # 14 digits with a right Luhn key


def pdf_text(data: bytes) -> str:
    """The text a reader (or a screen reader) gets from a PDF, no-break spaces read as spaces."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace("\u00a0", " ")


@pytest.fixture
def seminar(session):
    """A seminar whose sessions are ahead, 3 seats each."""
    start = calendar.today() + timedelta(days=40)
    if (start + timedelta(days=130)).year != start.year:  # the six dates fall in the seminar's year
        start = start.replace(year=start.year + 1, month=1, day=10)
    days = {f"option1_day{n}": start + timedelta(days=7 * n) for n in (1, 2, 3)}
    days |= {f"option2_day{n}": start + timedelta(days=100 + 7 * n) for n in (1, 2, 3)}
    found = seminars.save_seminar(session, SeminarInput(
        title="Séminaire ISIC d'essai", year=start.year, capacity=3, place="Unité de Marseille", hours="9 h – 17 h",
        to_bring="Une action à présenter", **days))
    session.commit()
    return found


def form(option: int = 1, trainees=(("Durand", "Léa"), ("Martin", "Paul"), ("Petit", "Inès")), **fields) -> dict:
    data = {"option": str(option), "organisation_name": "Centre social des Rosiers", "director": "Claire Fabre",
            "address": "12 rue des Lilas", "postal_code": "13200", "commune": "Arles", "phone": "04 90 00 00 00",
            "email": "direction@rosiers.example.fr", "siret": GOOD_SIRET, "signer_name": "Claire Fabre",
            "signer_function": "Directrice", "signed_on": calendar.today().isoformat()}
    for n, (last, first) in enumerate(trainees):
        data |= {f"stagiaire-{n}-last_name": last, f"stagiaire-{n}-first_name": first,
                 f"stagiaire-{n}-function": "Animatrice", f"stagiaire-{n}-email": f"{first.lower()}@exemple.fr"}
    data.update(fields)
    return data


def book(client, seminar, **fields):
    response = post_form(client, f"/seminaire/{seminar.id}/bulletin", form(**fields))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def test_the_seminar_page_offers_the_bulletin_with_the_seats_left(client, seminar):
    page = client.get(f"/seminaire/{seminar.id}").get_data(as_text=True)
    assert "3 places libres sur 3" in page and f"/seminaire/{seminar.id}/bulletin" in page
    assert "DIF" not in page and "plan de développement des compétences" in page
    bulletin = client.get(f"/seminaire/{seminar.id}/bulletin").get_data(as_text=True)
    assert 'name="stagiaire-2-last_name"' in bulletin and 'name="stagiaire-3-last_name"' not in bulletin


def test_a_bulletin_lands_on_its_private_page_with_a_mail_and_its_dates(app, client, seminar, session):
    location = book(client, seminar)
    page = client.get(location).get_data(as_text=True)
    registration = session.exec(select(Registration)).one()
    assert registration.reference in page and "3 places confirmées" in page and "750" in page
    mail = [m for m in sent_mails(app) if m["To"] == "direction@rosiers.example.fr"][-1]
    body = mail.get_body(("plain",)).get_content()
    # The link in the mail and the page's are signed a moment apart: the same registration, maybe another second.
    payload = location.split("?")[0].rsplit("/", 1)[1].split(".")[0]
    assert registration.reference in mail["Subject"] and f"/inscription/{payload}." in body
    ics = [part for part in mail.iter_attachments() if part.get_content_type() == "text/calendar"][0]
    assert ics.get_filename() == f"{registration.reference}.ics" and ics.get_content().count("BEGIN:VEVENT") == 3
    assert registration.commune_insee == "13004" and registration.siret == GOOD_SIRET


def test_the_total_is_recomputed_on_the_server_whatever_the_page_sent(client, seminar, session):
    book(client, seminar, total="1", price_eur="1")
    assert session.exec(select(Registration)).one().total_eur() == 750


@pytest.mark.parametrize(("field", "value", "message"), [
    ("siret", "73282932000075", "clé de contrôle"),
    ("siret", "1234", "14 chiffres"),
    ("email", "pas-une-adresse", "Adresse électronique invalide"),
    ("organisation_name", "", "obligatoire"),
    ("postal_code", "13 2", "5 chiffres"),
    ("stagiaire-1-first_name", "", "obligatoire"),
    ("stagiaire-2-email", "inès@", "Adresse électronique invalide"),
    ("commune", "Xyzzyville", "Commune inconnue"),
])
def test_a_wrong_field_is_named_and_everything_typed_is_kept(client, seminar, session, field, value, message):
    data = form(**{field: value})
    response = post_form(client, f"/seminaire/{seminar.id}/bulletin", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(rf'<p class="field-error" id="{re.escape(field)}-error">([^<]*)</p>', page)
    assert error and message in error.group(1)
    for kept in ("Centre social des Rosiers" if field != "organisation_name" else "12 rue des Lilas", "Durand",
                 "Inès", "Claire Fabre", "animatrice".capitalize()):
        assert kept in page
    assert session.exec(select(Registration)).all() == []


def test_a_bulletin_needs_a_trainee_and_a_row_may_be_added_without_javascript(client, seminar):
    response = post_form(client, f"/seminaire/{seminar.id}/bulletin", form(trainees=()))
    assert response.status_code == 422 and "Inscrivez au moins un·e stagiaire" in response.get_data(as_text=True)
    more = post_form(client, f"/seminaire/{seminar.id}/bulletin", form(ajouter_ligne="1"))
    page = more.get_data(as_text=True)
    assert more.status_code == 200 and 'name="stagiaire-3-last_name"' in page and 'value="Petit"' in page
    assert '<output id="total" data-server="1">750</output>' in page  # 3 trainees typed × 250 €


def test_a_full_session_puts_the_rest_on_the_waiting_list_and_says_so(client, seminar, session):
    book(client, seminar, trainees=(("Durand", "Léa"), ("Martin", "Paul")))
    location = book(client, seminar, trainees=(("Petit", "Inès"), ("Roux", "Sam")))
    page = html.unescape(client.get(location).get_data(as_text=True))
    assert "1 place confirmée, 1 en liste d'attente" in page
    seminar_page = client.get(f"/seminaire/{seminar.id}").get_data(as_text=True)
    assert "Complète" in seminar_page


def test_the_employer_adds_removes_and_cancels_through_the_link(app, client, seminar, session):
    location = book(client, seminar, trainees=(("Durand", "Léa"), ("Martin", "Paul")))
    other = book(client, seminar, trainees=(("Petit", "Inès"), ("Roux", "Sam")), organisation_name="MJC d'Arles",
                 email="mjc@exemple.fr")
    path = location.split("?")[0]
    token = csrf_token(client, path)
    client.post(path + "/stagiaires", data={"csrf_token": token, "last_name": "Bernard", "first_name": "Yanis"})
    first = session.exec(select(Registration).order_by(Registration.id)).first()
    session.refresh(first)
    assert [(t.last_name, t.state) for t in first.trainees][-1] == ("Bernard", "attente")
    durand = first.trainees[0]
    client.post(f"{path}/stagiaires/{durand.id}/retirer", data={"csrf_token": token})
    session.expire_all()
    assert session.get(Trainee, durand.id).state == "annule"
    roux = session.exec(select(Trainee).where(Trainee.last_name == "Roux")).one()
    assert roux.state == "place"  # the first in line got the seat
    assert any("Roux" in m["Subject"] and m["To"] == "mjc@exemple.fr" for m in sent_mails(app))
    client.post(path + "/annuler", data={"csrf_token": token})
    session.expire_all()
    assert session.get(Registration, first.id).status == "annulee"
    assert "Cette inscription est annulée" not in client.get(other.split("?")[0]).get_data(as_text=True)


def test_a_wrong_tampered_or_expired_link_shows_nothing(app, client, seminar, session, monkeypatch):
    location = book(client, seminar)
    path = location.split("?")[0]
    token = path.rsplit("/", 1)[1]
    assert client.get("/inscription/n-importe-quoi").status_code == 404
    assert client.get(path[:-2] + ("AA" if not path.endswith("AA") else "BB")).status_code == 404
    registration = session.exec(select(Registration)).one()
    with app.app_context():
        signer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="registration-link")
        other = signer.dumps({"r": registration.id, "n": "0" * 16})  # right id, wrong nonce
        for_another = signer.dumps({"r": registration.id + 1, "n": registration.token_nonce})
    assert client.get(f"/inscription/{other}").status_code == 404
    assert client.get(f"/inscription/{for_another}").status_code == 404
    assert client.post(f"/inscription/{other}/annuler", data={"csrf_token": csrf_token(client, path)}).status_code == 404
    app.config["REGISTRATION_LINK_DAYS"] = 0
    import itsdangerous.timed

    real = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() + 5)
    expired = client.get(f"/inscription/{token}")
    assert expired.status_code == 410 and "Ce lien a expiré" in expired.get_data(as_text=True)


def test_the_documents_say_what_they_must(app, client, seminar, session, editor):
    location = book(client, seminar, trainees=(("Durand", "Léa"), ("Martin", "Paul")),
                    organisation_name="<b>Centre</b> {{ 7*7 }}")
    path = location.split("?")[0]
    bulletin = client.get(path + "/bulletin.pdf")
    assert bulletin.mimetype == "application/pdf"
    text = pdf_text(bulletin.data)
    registration = session.exec(select(Registration)).one()
    for expected in (registration.reference, "<b>Centre</b> {{ 7*7 }}", "Durand", "Martin", "500 €", "Signature",
                     "Cachet", "Claire Fabre", GOOD_SIRET, "TVA non applicable"):
        assert expected in text, expected
    convocations = pdf_text(client.get(path + "/convocations.pdf").data)
    assert convocations.count("Vous êtes attendu·e") == 2 and "Page 2 sur 2" in convocations and "9 h – 17 h" in convocations and "Une action à présenter" in convocations
    assert client.get(path + "/attestations.pdf").status_code == 404  # not before the seminar
    # The team confirms: an invoice is issued, then a cancelled trainee brings a credit note and a new invoice.
    token = csrf_token(client, f"/seminaire/inscriptions/{registration.id}")
    client.post(f"/seminaire/inscriptions/{registration.id}/statut", data={"csrf_token": token, "status": "confirmee"})
    session.expire_all()
    registration = session.get(Registration, registration.id)
    year = calendar.today().year
    invoice = pdf_text(client.get(f"{path}/facture/F-{year}-0001.pdf").data)
    assert f"Facture n° F-{year}-0001" in invoice and "500,00 €" in invoice and "DURAND Léa" in invoice
    client.post(f"/seminaire/inscriptions/{registration.id}/stagiaires/{registration.trainees[0].id}/annuler",
                data={"csrf_token": token})
    credit = pdf_text(client.get(f"{path}/avoir/AV-{year}-0001.pdf").data)
    assert "Avoir n° AV-" in credit and f"annule la facture n° F-{year}-0001" in credit
    again = pdf_text(client.get(f"{path}/facture/F-{year}-0002.pdf").data)
    assert "250,00 €" in again and "MARTIN Paul" in again and "DURAND" not in again
    # Regenerating a document gives the same numbers.
    assert pdf_text(client.get(f"{path}/facture/F-{year}-0001.pdf").data) == invoice
    assert client.get(f"{path}/facture/F-{year}-0009.pdf").status_code == 404


def test_certificates_follow_the_attendance_after_the_seminar(app, client, seminar, session, editor, monkeypatch):
    location = book(client, seminar, trainees=(("Durand", "Léa"), ("Martin", "Paul")))
    path = location.split("?")[0]
    durand, martin = session.exec(select(Trainee).order_by(Trainee.id)).all()
    first_day = seminar.option_days(1)[0]
    with app.app_context():
        half_day = presence.find_half_day(seminar, first_day, "matin")
        presence.record(session, seminar, half_day, {durand.id}, first_day)
        presence.record(session, seminar, presence.find_half_day(seminar, first_day, "apres-midi"),
                        {durand.id, martin.id}, first_day)
        session.commit()
    after = seminar.option_days(1)[-1] + timedelta(days=1)
    monkeypatch.setattr(calendar, "today", lambda: after)
    text = pdf_text(client.get(path + "/attestations.pdf").data)
    assert text.count("atteste que") == 2
    durand_page, martin_page = text.split("atteste que")[1:]
    assert "2 demi-journées sur 6" in durand_page and "1 demi-journée sur 6" in martin_page
    sheet = client.get(f"/seminaire/{seminar.id}/emargement/{first_day.isoformat()}/matin.pdf")
    sheet_text = pdf_text(sheet.data)
    assert "Feuille d'émargement" in sheet_text and "Durand" in sheet_text and "Martin" in sheet_text


def test_the_team_list_filters_counts_and_exports_without_formulas(client, seminar, session, editor):
    book(client, seminar, trainees=(("Durand", "Léa"), ("Martin", "Paul")), organisation_name="=HYPERLINK(\"x\")")
    book(client, seminar, trainees=(("+Petit", "Inès"), ("Roux", "Sam")), organisation_name="MJC d'Arles",
         email="mjc@exemple.fr")
    page = client.get(f"/seminaire/{seminar.id}/inscriptions").get_data(as_text=True)
    assert "3 places occupées sur 3, 0 libre, 1 en liste d'attente" in page
    assert "MJC d&#39;Arles" in client.get(f"/seminaire/{seminar.id}/inscriptions?q=roux").get_data(as_text=True)
    assert "MJC" not in client.get(f"/seminaire/{seminar.id}/inscriptions?q=durand").get_data(as_text=True)
    unpaid = client.get(f"/seminaire/{seminar.id}/inscriptions?impaye=1").get_data(as_text=True)
    assert "HYPERLINK" in unpaid and "MJC" in unpaid
    export = client.get(f"/seminaire/{seminar.id}/inscriptions.csv")
    raw = export.data.decode("utf-8")
    assert raw.startswith("\ufeffRéférence;Session;Statut") and export.mimetype == "text/csv"
    assert "'=HYPERLINK" in raw and "'+Petit" in raw and ";=HYPERLINK" not in raw and ";+Petit" not in raw
    assert raw.count("\r\n") == 5  # header + one line per trainee


def test_the_team_ticks_attendance_on_the_day_only(client, seminar, session, editor, monkeypatch):
    book(client, seminar, trainees=(("Durand", "Léa"),))
    durand = session.exec(select(Trainee)).one()
    first_day = seminar.option_days(1)[0]
    url = f"/seminaire/{seminar.id}/presences?jour={first_day.isoformat()}&demi=matin"
    page = client.get(url).get_data(as_text=True)
    assert "pas encore eu lieu" in page and "disabled" in page
    token = csrf_token(client, url)
    data = {"csrf_token": token, "jour": first_day.isoformat(), "demi": "matin", "present": str(durand.id)}
    refused = client.post(f"/seminaire/{seminar.id}/presences", data=data, follow_redirects=True)
    assert "pas encore eu lieu" in refused.get_data(as_text=True)
    monkeypatch.setattr(calendar, "today", lambda: first_day)
    done = client.post(f"/seminaire/{seminar.id}/presences", data=data, follow_redirects=True)
    assert "1 présent·e(s)" in done.get_data(as_text=True)
    assert client.get(f"/seminaire/{seminar.id}/presences?jour=1999-01-01&demi=matin").status_code == 404


def test_a_past_session_is_shown_as_past_and_cannot_be_booked(client, seminar, monkeypatch):
    monkeypatch.setattr(calendar, "today", lambda: seminar.option_days(1)[-1] + timedelta(days=1))
    page = client.get(f"/seminaire/{seminar.id}").get_data(as_text=True)
    assert "passée" in page and "Cette session a eu lieu." in page
    response = post_form(client, f"/seminaire/{seminar.id}/bulletin", form(option=1))
    assert response.status_code == 422 and "Cette session est passée." in response.get_data(as_text=True)
