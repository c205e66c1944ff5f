"""Registrations to the seminar: totals, seats and the waiting list, status, history, invoices, attendance."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from kb.db import new_session
from kb.errors import DomainError
from kb.forms.seminars import RegistrationInput, TeamFilters, TraineeInput
from kb.forms.workshops import SeminarInput
from kb.models import Invoice, Registration, Seminar, SeminarSeat, Trainee
from kb.services import invoices, presence, registrations, seats, seminars
from kb.services.registrations import Context

DAYS1 = {"option1_day1": date(2027, 4, 9), "option1_day2": date(2027, 5, 14), "option1_day3": date(2027, 6, 11)}
DAYS2 = {"option2_day1": date(2027, 10, 1), "option2_day2": date(2027, 10, 8), "option2_day3": date(2027, 10, 15)}
TODAY = date(2027, 2, 1)


def ctx(today: date = TODAY, actor: str = "test") -> Context:
    return Context(actor=actor, today=today, link_for=lambda r: f"https://exemple.fr/inscription/{r.id}",
                   team_email="equipe@exemple.fr", funding_note="Plan de développement des compétences.")


def make_seminar(session, capacity: int | None = 3, **fields):
    values = {"title": "Séminaire ISIC 2027", "year": 2027, "capacity": capacity, "place": "Marseille",
              **DAYS1, **DAYS2, **fields}
    return seminars.save_seminar(session, SeminarInput(**values))


def bulletin(*names: str, option: int = 1, organisation: str = "Centre social des Rosiers", **fields):
    trainees = [TraineeInput(last_name=n, first_name="Camille", function="Animatrice") for n in names]
    return RegistrationInput(option=option, organisation_name=organisation, email="direction@rosiers.example.fr",
                             signer_name="Dominique Roux", signer_function="Directrice", signed_on=TODAY,
                             trainees=trainees, **fields)


def states(registration: Registration) -> list[tuple[str, str]]:
    return [(t.last_name, t.state) for t in registration.trainees]


def test_a_bulletin_costs_its_trainees_times_the_price_and_gets_a_reference(session):
    seminar = make_seminar(session, capacity=10)
    registration = registrations.register(session, seminar, bulletin("Durand", "Martin", "Petit"), ctx())
    assert registration.total_eur() == 750 and registration.unit_price_eur == 250
    assert registration.reference == f"INS-2027-{registration.id:04d}"
    assert registration.status == "recue" and registrations.seat_summary(registration) == "3 places confirmées"
    assert [e.message for e in registration.events][0].startswith("Bulletin reçu pour la session 1, 3 stagiaire")


def test_the_price_is_the_one_of_the_day_of_registration(session):
    seminar = make_seminar(session, capacity=10)
    registration = registrations.register(session, seminar, bulletin("Durand"), ctx())
    seminars.save_seminar(session, SeminarInput(title="Séminaire ISIC 2027", year=2027, price_eur=300, capacity=10,
                                                **DAYS1, **DAYS2), seminar)
    assert registration.total_eur() == 250


def test_trainees_beyond_the_capacity_wait_and_a_bulletin_may_be_split(session):
    seminar = make_seminar(session, capacity=3)
    first = registrations.register(session, seminar, bulletin("Durand", "Martin"), ctx())
    second = registrations.register(session, seminar, bulletin("Petit", "Bernard", "Moreau"), ctx())
    assert states(first) == [("Durand", "place"), ("Martin", "place")]
    assert states(second) == [("Petit", "place"), ("Bernard", "attente"), ("Moreau", "attente")]
    assert registrations.seat_summary(second) == "1 place confirmée, 2 en liste d'attente"
    third = registrations.register(session, seminar, bulletin("Leroy"), ctx())
    assert third.status == "attente" and states(third) == [("Leroy", "attente")]
    assert seats.counts(session, seminar)[1] == {"seats": 3, "held": 3, "free": 0, "waiting": 3}
    # The other session has its own seats.
    other = registrations.register(session, seminar, bulletin("Fabre", option=2), ctx())
    assert states(other) == [("Fabre", "place")]


def test_cancelling_one_trainee_promotes_the_first_in_line_and_tells_both_parties(session):
    seminar = make_seminar(session, capacity=2)
    first = registrations.register(session, seminar, bulletin("Durand", "Martin"), ctx())
    waiting = registrations.register(session, seminar, bulletin("Petit", "Bernard", organisation="MJC Arles"), ctx())
    session.info.pop("mails", None)
    promoted = registrations.cancel_trainee(session, first, first.trainees[1], ctx())
    assert promoted.last_name == "Petit"
    assert states(first) == [("Durand", "place"), ("Martin", "annule")]
    assert states(waiting) == [("Petit", "place"), ("Bernard", "attente")]
    assert waiting.status == "recue" and first.total_eur() == 250
    mails = session.info["mails"]
    assert {m.to for m in mails} == {"direction@rosiers.example.fr", "equipe@exemple.fr"}
    assert any("Petit" in m.subject and "https://exemple.fr/inscription/" in m.body for m in mails)
    assert "Place libérée attribuée à Camille Petit." in [e.message for e in waiting.events]


def test_cancelling_a_whole_registration_promotes_in_arrival_order_across_bulletins(session):
    seminar = make_seminar(session, capacity=2)
    first = registrations.register(session, seminar, bulletin("Durand", "Martin"), ctx())
    second = registrations.register(session, seminar, bulletin("Petit"), ctx())
    third = registrations.register(session, seminar, bulletin("Bernard", "Moreau"), ctx())
    promoted = registrations.cancel(session, first, ctx())
    assert [t.last_name for t in promoted] == ["Petit", "Bernard"]
    assert first.status == "annulee" and first.total_eur() == 0
    assert states(third) == [("Bernard", "place"), ("Moreau", "attente")] and second.status == "recue"
    with pytest.raises(DomainError, match="déjà annulée"):
        registrations.cancel(session, first, ctx())


def test_a_newcomer_queues_behind_the_waiting_list_and_more_seats_promote_it(session):
    seminar = make_seminar(session, capacity=1)
    registrations.register(session, seminar, bulletin("Durand"), ctx())
    waiting = registrations.register(session, seminar, bulletin("Petit"), ctx())
    promoted = seats.set_capacity(session, seminar, 2)
    assert [t.last_name for t in promoted] == ["Petit"] and states(waiting) == [("Petit", "place")]
    assert session.exec(select(func.count()).select_from(SeminarSeat).where(SeminarSeat.option == 1)).one() == 2


def test_the_capacity_cannot_drop_below_the_seats_held(session):
    seminar = make_seminar(session, capacity=3)
    registrations.register(session, seminar, bulletin("Durand", "Martin"), ctx())
    with pytest.raises(DomainError, match="ne peut pas descendre sous 2"):
        seats.set_capacity(session, seminar, 1)
    seats.set_capacity(session, seminar, 2)
    assert seats.counts(session, seminar)[1] == {"seats": 2, "held": 2, "free": 0, "waiting": 0}


def test_the_database_refuses_a_second_holder_for_a_seat_and_a_second_seat_for_a_trainee(app):
    with app.app_context(), new_session(app) as session:
        seminar = make_seminar(session, capacity=2)
        registration = registrations.register(session, seminar, bulletin("Durand"), ctx())
        session.commit()
        trainee_id = registration.trainees[0].id
        free = session.exec(select(SeminarSeat).where(SeminarSeat.trainee_id.is_(None))).first()
        with pytest.raises(IntegrityError):
            session.execute(update(SeminarSeat).where(SeminarSeat.id == free.id).values(trainee_id=trainee_id))
            session.flush()
        session.rollback()


@pytest.mark.parametrize(("today", "fields", "message"), [
    (date(2027, 6, 12), {}, "Cette session est passée."),
    (date(2027, 1, 5), {"opens_on": date(2027, 1, 10)}, "Les inscriptions ouvrent le 10/01/2027."),
    (date(2027, 3, 20), {"closes_on": date(2027, 3, 15)}, "Les inscriptions à cette session sont closes."),
    (date(2027, 4, 9), {}, "Les inscriptions à cette session sont closes."),
])
def test_registration_opens_and_closes_on_its_dates(session, today, fields, message):
    seminar = make_seminar(session, capacity=5, **fields)
    assert registrations.booking_problem(seminar, 1, today) == message
    with pytest.raises(DomainError, match=message.rstrip(".")):
        registrations.register(session, seminar, bulletin("Durand"), ctx(today))


def test_without_a_capacity_there_is_no_online_booking(session):
    seminar = make_seminar(session, capacity=None)
    assert registrations.booking_problem(seminar, 1, TODAY) == "Les inscriptions en ligne ne sont pas ouvertes pour ce séminaire."
    assert registrations.bookable_options(seminar, TODAY) == []


def test_the_employer_may_change_until_the_closing_date_the_team_after_it(session):
    seminar = make_seminar(session, capacity=5)
    registration = registrations.register(session, seminar, bulletin("Durand"), ctx())
    late = ctx(date(2027, 4, 9))
    with pytest.raises(DomainError, match="closes"):
        registrations.add_trainee(session, registration, TraineeInput(last_name="Petit", first_name="Léa"), late)
    with pytest.raises(DomainError, match="closes"):
        registrations.cancel(session, registration, late)
    added = registrations.add_trainee(session, registration, TraineeInput(last_name="Petit", first_name="Léa"), late,
                                      by_team=True)
    assert added.state == "place" and registration.total_eur() == 500


def test_confirming_issues_an_invoice_and_changes_bring_credit_notes_without_gaps(session):
    seminar = make_seminar(session, capacity=5)
    first = registrations.register(session, seminar, bulletin("Durand", "Martin"), ctx())
    second = registrations.register(session, seminar, bulletin("Petit"), ctx())
    assert first.invoices == []
    registrations.set_status(session, first, "confirmee", ctx())
    registrations.set_status(session, second, "confirmee", ctx())
    assert [(i.label, i.amount_eur) for i in first.invoices] == [("F-2027-0001", 500)]
    assert [i.label for i in second.invoices] == ["F-2027-0002"]
    registrations.cancel_trainee(session, first, first.trainees[0], ctx())
    assert [(i.label, i.amount_eur, i.credited) for i in first.invoices] == [
        ("F-2027-0001", 500, True), ("AV-2027-0001", 500, False), ("F-2027-0003", 250, False)]
    assert first.invoices[1].credit_of.label == "F-2027-0001"
    assert invoices.invoice_lines(first.invoices[2]) == ["MARTIN Camille"]
    registrations.cancel(session, second, ctx())
    assert [i.label for i in second.invoices] == ["F-2027-0002", "AV-2027-0002"]
    # Nothing changed: nothing issued.
    assert invoices.sync_invoice(session, first, TODAY) == []
    numbers = sorted(i.number for i in session.exec(select(Invoice).where(Invoice.kind == "facture")))
    assert numbers == [1, 2, 3]
    assert any(e.message == "Facture F-2027-0003 émis (250 €)." for e in first.events)


def test_a_rolled_back_invoice_leaves_no_gap_and_a_new_year_starts_at_one(app):
    with app.app_context(), new_session(app) as session:
        seminar = make_seminar(session, capacity=5)
        registration = registrations.register(session, seminar, bulletin("Durand"), ctx())
        session.commit()
        registrations.set_status(session, registration, "confirmee", ctx())
        assert registration.invoices[0].label == "F-2027-0001"
        session.rollback()
    with app.app_context(), new_session(app) as session:
        registration = session.exec(select(Registration)).one()
        registrations.set_status(session, registration, "confirmee", ctx())
        session.commit()
        assert [i.label for i in registration.invoices] == ["F-2027-0001"]
        registrations.cancel(session, registration, ctx(date(2028, 1, 3)), by_team=True)
        session.commit()
        assert [i.label for i in registration.invoices] == ["F-2027-0001", "AV-2028-0001"]


def test_a_cancelled_registration_cannot_come_back_and_the_waiting_status_is_not_chosen(session):
    seminar = make_seminar(session, capacity=5)
    registration = registrations.register(session, seminar, bulletin("Durand"), ctx())
    with pytest.raises(DomainError, match="ne se choisit pas"):
        registrations.set_status(session, registration, "attente", ctx())
    registrations.set_status(session, registration, "annulee", ctx())
    with pytest.raises(DomainError, match="ne peut pas être rétablie"):
        registrations.set_status(session, registration, "confirmee", ctx())


def test_paperwork_dates_are_recorded_in_the_history(session):
    seminar = make_seminar(session, capacity=5)
    registration = registrations.register(session, seminar, bulletin("Durand"), ctx())
    registrations.set_paperwork(session, registration, date(2027, 2, 3), None, ctx(date(2027, 2, 10), actor="Claire (équipe)"))
    registrations.set_paperwork(session, registration, date(2027, 2, 3), date(2027, 2, 10), ctx(date(2027, 2, 10), actor="Claire (équipe)"))
    lines = [(e.actor, e.message) for e in registration.events][-2:]
    assert lines == [("Claire (équipe)", "Bulletin signé reçu : 03/02/2027."),
                     ("Claire (équipe)", "Paiement reçu : 10/02/2027.")]


def test_attendance_is_ticked_per_half_day_from_that_day_on(session):
    seminar = make_seminar(session, capacity=5)
    registration = registrations.register(session, seminar, bulletin("Durand", "Martin"), ctx())
    durand, martin = registration.trainees
    morning = presence.find_half_day(seminar, date(2027, 4, 9), "matin")
    assert len(presence.half_days(seminar, 1)) == 6
    with pytest.raises(DomainError, match="pas encore eu lieu"):
        presence.record(session, seminar, morning, {durand.id}, date(2027, 4, 8))
    presence.record(session, seminar, morning, {durand.id, martin.id}, date(2027, 4, 9))
    presence.record(session, seminar, morning, {durand.id}, date(2027, 4, 9))
    assert [h.label for h in presence.attended(session, durand)] == ["09/04/2027, matin"]
    assert presence.attended(session, martin) == []
    outsider = registrations.register(session, seminar, bulletin("Fabre", option=2), ctx()).trainees[0]
    with pytest.raises(DomainError, match="inscrit·es à cette session"):
        presence.record(session, seminar, morning, {outsider.id}, date(2027, 4, 9))


def test_a_known_organisation_and_the_commune_are_recognised(session, make):
    org = make.organisation(name="Centre social des Rosiers")
    seminar = make_seminar(session, capacity=5)
    registration = registrations.register(session, seminar, bulletin("Durand", postal_code="13200", commune="Arles"),
                                          ctx())
    assert registration.organisation_id == org.id and registration.commune_insee == "13004"
    with pytest.raises(DomainError, match="Commune inconnue"):
        registrations.register(session, seminar, bulletin("Petit", commune="Xyzzyville"), ctx())


def test_the_confirmation_mail_carries_the_reference_the_link_and_the_dates_as_ics(session):
    seminar = make_seminar(session, capacity=1)
    session.info.pop("mails", None)
    registration = registrations.register(session, seminar, bulletin("Durand", "Martin"), ctx())
    to_employer, to_team = session.info["mails"]
    assert to_employer.to == "direction@rosiers.example.fr" and registration.reference in to_employer.subject
    assert f"https://exemple.fr/inscription/{registration.id}" in to_employer.body
    assert "1 place confirmée, 1 en liste d'attente" in to_employer.body and "Total : 500 €" in to_employer.body
    assert "Plan de développement des compétences." in to_employer.body
    name, mimetype, ics = to_employer.attachments[0]
    assert (name, mimetype) == (f"{registration.reference}.ics", "text/calendar")
    assert ics.count(b"BEGIN:VEVENT") == 3 and b"DTSTART;TZID=Europe/Paris:20270409T090000" in ics
    assert to_team.to == "equipe@exemple.fr"


def test_trainees_and_seats_stay_consistent_after_many_changes(session):
    seminar = make_seminar(session, capacity=3)
    made = [registrations.register(session, seminar, bulletin(f"N{i}a", f"N{i}b"), ctx()) for i in range(4)]
    registrations.cancel_trainee(session, made[0], made[0].trainees[0], ctx())
    registrations.cancel(session, made[2], ctx())
    registrations.cancel_trainee(session, made[1], made[1].trainees[1], ctx())
    held = session.exec(select(SeminarSeat.trainee_id).where(SeminarSeat.option == 1,
                                                             SeminarSeat.trainee_id.is_not(None))).all()
    seated = session.exec(select(Trainee.id).where(Trainee.state == "place")).all()
    assert sorted(held) == sorted(seated) and len(seated) == 3
    waiting = session.exec(select(Trainee).where(Trainee.state == "attente").order_by(Trainee.id)).all()
    assert all(w.id > max(seated) for w in waiting)


def test_the_whole_cycle_runs_on_both_databases(any_app):
    with any_app.app_context(), new_session(any_app) as session:
        seminar = make_seminar(session, capacity=2)
        first = registrations.register(session, seminar, bulletin("Durand", "Martin"), ctx())
        second = registrations.register(session, seminar, bulletin("Petit"), ctx())
        session.commit()
        registrations.set_status(session, first, "confirmee", ctx())
        session.commit()
        promoted = registrations.cancel_trainee(session, first, first.trainees[0], ctx())
        session.commit()
        assert promoted.last_name == "Petit" and second.status == "recue"
        assert [i.label for i in first.invoices] == ["F-2027-0001", "AV-2027-0001", "F-2027-0002"]
        half_day = presence.find_half_day(seminar, date(2027, 4, 9), "apres-midi")
        presence.record(session, seminar, half_day, {promoted.id}, date(2027, 4, 9))
        session.commit()
        assert [h.label for h in presence.attended(session, promoted)] == ["09/04/2027, après-midi"]
        found = registrations.list_registrations(session, seminar, TeamFilters(q="petit", unpaid=True))
        assert [r.id for r in found] == [second.id]


def test_cancelling_a_registration_never_promotes_its_own_waiting_trainee(session):
    seminar = make_seminar(session, capacity=1)
    own = registrations.register(session, seminar, bulletin("Durand", "Martin"), ctx())
    other = registrations.register(session, seminar, bulletin("Petit", organisation="MJC Arles"), ctx())
    session.info.pop("mails", None)
    promoted = registrations.cancel(session, own, ctx())
    assert [t.last_name for t in promoted] == ["Petit"] and states(other) == [("Petit", "place")]
    assert states(own) == [("Durand", "annule"), ("Martin", "annule")]
    assert not any("Martin" in m.subject for m in session.info["mails"])


def test_two_stale_removals_of_one_registration_leave_it_consistent(app):
    """Two requests each loaded the registration before the other wrote: the lock makes the second re-read it."""
    with app.app_context(), new_session(app) as setup:
        seminar = make_seminar(setup, capacity=5)
        registration = registrations.register(setup, seminar, bulletin("Durand", "Martin"), ctx())
        registrations.set_status(setup, registration, "confirmee", ctx())
        setup.commit()
        rid = registration.id
    with app.app_context(), new_session(app) as first, new_session(app) as second:
        one, two = first.get(Registration, rid), second.get(Registration, rid)
        durand, martin = one.trainees[0], two.trainees[1]
        assert [t.state for t in two.trainees] == ["place", "place"]  # loaded before the first removal
        registrations.cancel_trainee(first, one, durand, ctx())
        first.commit()
        registrations.cancel_trainee(second, two, martin, ctx())
        second.commit()
    with app.app_context(), new_session(app) as check:
        final = check.get(Registration, rid)
        assert final.status == "annulee" and invoices.current_invoice(final) is None
        assert [i.label for i in final.invoices] == ["F-2027-0001", "AV-2027-0001", "F-2027-0002", "AV-2027-0002"]


def test_more_seats_promote_the_waiting_list_with_its_history_invoice_and_mail(session):
    seminar = make_seminar(session, capacity=1)
    registrations.register(session, seminar, bulletin("Durand"), ctx())
    waiting = registrations.register(session, seminar, bulletin("Petit", organisation="MJC Arles"), ctx())
    registrations.set_status(session, waiting, "confirmee", ctx())
    assert waiting.status == "attente" and waiting.invoices == []
    session.info.pop("mails", None)
    seminars.save_seminar(session, SeminarInput(title="Séminaire ISIC 2027", year=2027, capacity=2, **DAYS1, **DAYS2),
                          seminar, ctx())
    assert waiting.status == "confirmee" and [i.label for i in waiting.invoices] == ["F-2027-0001"]
    assert "Place libérée attribuée à Camille Petit." in [e.message for e in waiting.events]
    assert any("Petit" in m.subject for m in session.info["mails"])


def test_a_session_with_registrations_keeps_its_dates_and_seats_are_compacted(session):
    seminar = make_seminar(session, capacity=3)
    registration = registrations.register(session, seminar, bulletin("Durand", "Martin", "Petit", option=2), ctx())
    with pytest.raises(DomainError, match="La session 2 a des inscriptions"):
        seminars.save_seminar(session, SeminarInput(title="Séminaire ISIC 2027", year=2027, capacity=3, **DAYS1),
                              seminar, ctx())
    registrations.cancel_trainee(session, registration, registration.trainees[0], ctx())
    seats.set_capacity(session, seminar, 2)  # the trainee on seat 3 moves to seat 1
    held = session.exec(select(SeminarSeat.number).where(SeminarSeat.option == 2,
                                                         SeminarSeat.trainee_id.is_not(None))).all()
    assert sorted(held) == [1, 2] and seats.counts(session, seminar)[2]["seats"] == 2


def test_search_wildcards_are_literal_and_receipts_cannot_be_in_the_future(session):
    seminar = make_seminar(session, capacity=5)
    registration = registrations.register(session, seminar, bulletin("Durand"), ctx())
    assert registrations.list_registrations(session, seminar, TeamFilters(q="%")) == []
    assert registrations.list_registrations(session, seminar, TeamFilters(q="_urand")) == []
    with pytest.raises(DomainError, match="futur"):
        registrations.set_paperwork(session, registration, None, date(2027, 3, 1), ctx())


def test_a_renewed_link_revokes_the_old_one(session):
    seminar = make_seminar(session, capacity=5)
    registration = registrations.register(session, seminar, bulletin("Durand"), ctx())
    old = registration.token_nonce
    session.info.pop("mails", None)
    registrations.renew_link(session, registration, ctx())
    assert registration.token_nonce != old and session.info["mails"][0].to == registration.email


def test_a_newcomer_booking_while_a_seat_is_being_freed_waits_and_gets_it(any_app):
    """Without the seminar's lock, PostgreSQL would show the newcomer no free seat (not yet committed) and queue
    her behind nobody, leaving the seat free for good."""
    with any_app.app_context(), new_session(any_app) as setup:
        seminar = make_seminar(setup, capacity=1)
        registration = registrations.register(setup, seminar, bulletin("Durand"), ctx())
        setup.commit()
        seminar_id, registration_id = seminar.id, registration.id
    outcome: dict = {}

    def newcomer() -> None:
        with any_app.app_context(), new_session(any_app) as other:
            booked = registrations.register(other, other.get(Seminar, seminar_id), bulletin("Petit"), ctx())
            other.commit()
            outcome["states"] = states(booked)

    with any_app.app_context(), new_session(any_app) as first:
        held = first.get(Registration, registration_id)
        registrations.cancel_trainee(first, held, held.trainees[0], ctx())  # the seat is free, not yet committed
        thread = threading.Thread(target=newcomer)
        thread.start()
        thread.join(timeout=1)
        assert thread.is_alive()  # the newcomer waits for the seminar's lock
        first.commit()
    thread.join(timeout=60)
    assert outcome["states"] == [("Petit", "place")]
