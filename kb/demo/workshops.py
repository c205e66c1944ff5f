"""Demo workshops: the seed's 2012 group and calendar, a current-year group, and their debate days."""

from __future__ import annotations

import random
from datetime import date

from sqlmodel import Session, select

from kb.models import (
    Attendance,
    DebateDay,
    DebateTheme,
    DebateVote,
    Enrolment,
    FieldAction,
    Practitioner,
    Presentation,
    Seminar,
    SeminarDay,
    Territory,
    UserAccount,
    Workshop,
    WorkshopSession,
)
from kb.services.seats import set_capacity
from kb.services.tags import get_or_create_tags

# The seed's 2012 calendar of the "ateliers de mutualisation" (6 half-days for one group).
CALENDAR_2012 = ((date(2012, 2, 24), "am"), (date(2012, 3, 22), "pm"), (date(2012, 5, 10), "am"),
                 (date(2012, 6, 18), "pm"), (date(2012, 9, 18), "pm"), (date(2012, 10, 19), "am"))
CURRENT_DAYS = ((2, 13, "am"), (3, 26, "pm"), (5, 21, "am"), (6, 15, "pm"), (10, 9, "am"), (12, 11, "pm"))

LEARNT = (
    "Le groupe a relevé l'importance du temps long : six mois ont été nécessaires avant que les habitant·es "
    "prennent la parole en réunion. Partir des questions qu'ils et elles posent, plutôt que d'un programme, a "
    "changé la dynamique.",
    "La présentation a montré comment un diagnostic partagé avec les partenaires évite de « faire à la place ». "
    "Le groupe retient l'outil de recueil de la parole utilisé lors des premières rencontres.",
    "Les participant·es ont discuté de la place de l'encadrement : le soutien du chef de service a permis de "
    "dégager du temps collectif, alors que l'action reposait au départ sur le bénévolat de l'équipe.",
    "L'évaluation a porté sur les effets pour le groupe (entraide, sorties organisées sans les professionnel·les) "
    "plus que sur la fréquentation : le groupe y voit une piste pour les bilans demandés par les financeurs.",
    "Le binôme a décrit ses désaccords sur la conduite du groupe et la manière dont l'analyse des pratiques les "
    "a aidés à les dépasser. Le groupe souligne la co-animation comme compétence à part entière.",
    "Le travail avec le bailleur et la mairie a été présenté comme une négociation permanente ; le groupe retient "
    "l'intérêt d'une charte signée dès le départ pour clarifier les rôles.",
)
QUESTIONS = (
    "Comment garder une posture d'accompagnement quand le groupe demande au professionnel de décider ?",
    "Jusqu'où le travailleur social peut-il porter la parole des habitant·es auprès des élus ?",
    "Quelle place pour les relations de pouvoir entre institutions partenaires ?",
    "Comment faire reconnaître le temps collectif dans la charge de travail ?",
    "Comment travailler en équipe pluridisciplinaire sans diluer les responsabilités ?",
    "Quels indicateurs pour évaluer les effets d'une action collective sur les personnes ?",
    "Comment passer le relais aux habitant·es à la fin de l'action ?",
    "Que faire quand un financeur demande des résultats chiffrés à court terme ?",
    "Comment associer les personnes accompagnées à l'évaluation ?",
    "Comment l'encadrement peut-il soutenir une démarche qu'il n'a pas initiée ?",
    "Comment articuler accompagnement individuel et travail collectif avec les mêmes familles ?",
    "Quelle posture face aux tensions entre habitant·es au sein du groupe ?",
)
THEMES = (
    ("La posture professionnelle", (0, 1, 11)),
    ("Les relations de pouvoir entre institutions et habitants", (2, 7, 9)),
    ("Le travail en équipe et la reconnaissance du collectif", (3, 4, 10)),
    ("Évaluer avec les personnes concernées", (5, 8)),
)


def _group(session: Session, rng: random.Random, name: str, year: int, unit: Territory, days, people, actions,
           trainers, today: date, tag: str) -> Workshop:
    workshop = Workshop(name=name, year=year, territory_id=unit.id, trainers=trainers,
                        description=f"Groupe de {len(people)} professionnel·les ({unit.unit_label}) : "
                                    "six demi-journées pour analyser ensemble des actions collectives présentées "
                                    "par l'un·e d'entre eux ou par une équipe.")
    workshop.enrolments = [Enrolment(practitioner_id=p.id, experience=p.isic_experience) for p in people]
    session.add(workshop)
    session.flush()
    for n, (day, half) in enumerate(days):
        held = day < today
        meeting = WorkshopSession(workshop_id=workshop.id, day=day, half_day=half, status="tenue" if held else "prevue",
                                  place=f"{unit.unit_label}, {unit.address}, {unit.city}")
        session.add(meeting)
        session.flush()
        action = actions[n % len(actions)]
        action.tags = action.tags + [t for t in get_or_create_tags(session, "atelier", [tag]) if t not in action.tags]
        presenters = [link.practitioner for link in action.practitioner_links][:2] or people[:1]
        questions = rng.sample(range(len(QUESTIONS)), 3)
        session.add(Presentation(session_id=meeting.id, action_id=action.id, position=1, presenters=presenters,
                                 learnt=LEARNT[n % len(LEARNT)] if held else "",
                                 questions="\n".join(QUESTIONS[q] for q in questions) if held else ""))
        if held:
            for person in people:
                session.add(Attendance(session_id=meeting.id, practitioner_id=person.id, present=rng.random() < 0.8))
    session.flush()
    return workshop


def _debate(session: Session, title: str, day: date, unit: Territory, people) -> DebateDay:
    debate = DebateDay(title=title, day=day, place=f"{unit.unit_label}, {unit.address}, {unit.city}",
                       programme="9 h 30 — Accueil\n10 h — Retour des groupes de travail\n"
                                 "11 h — Ateliers par thème\n14 h — Table ronde avec les cadres de direction\n"
                                 "16 h 30 — Synthèse et perspectives",
                       attendees=people)
    session.add(debate)
    session.flush()
    return debate


def add_demo_workshops(session: Session, rng: random.Random, units: list[Territory], people: list[Practitioner],
                       actions: list[FieldAction], today: date | None = None) -> int:
    """Create the 2012 group on the seed's calendar, a current-year group, and the two debate days."""
    today = today or date.today()
    by_slug = {u.slug: u for u in units}
    published = [a for a in actions if a.publication_status == "publiee"]
    trainers = list(session.exec(select(UserAccount).where(UserAccount.role == "formateur")))
    in_2012 = [p for p in people if p.territory_id == by_slug["marseille"].id][:12] or people[:12]
    old_actions = [a for a in published if a.start_date and a.start_date.year <= 2012] or published
    g2012 = _group(session, rng, "Groupe ISIC 2012 — Marseille", 2012, by_slug["marseille"], CALENDAR_2012,
                   in_2012, old_actions[:6], trainers, today, "Groupe ISIC 2012")
    year = today.year
    current_people = [p for p in people if p.territory_id in (by_slug["arles"].id, by_slug["avignon"].id)][:10]
    recent = [a for a in published if a not in old_actions[:6]]
    g_now = _group(session, rng, f"Groupe ISIC {year} — Arles et Avignon", year, by_slug["arles"],
                   tuple((date(year, m, d), h) for m, d, h in CURRENT_DAYS), current_people or people[:10],
                   recent[:6], trainers, today, f"Groupe ISIC {year}")
    for action in rng.sample(published, min(12, len(published))):  # more actions a trainer may pick from
        action.tags = action.tags + get_or_create_tags(session, "atelier", [rng.choice(
            ["Posture professionnelle", "Relations de pouvoir", "Travail en équipe", "Évaluation"])])
    debates = [_debate(session, "Journée débat/rencontre 2012", date(2012, 11, 16), by_slug["marseille"], in_2012),
               _debate(session, f"Journée débat/rencontre {year}", date(year, 11, 27), by_slug["avignon"],
                       current_people)]
    voters = list(session.exec(select(UserAccount).where(UserAccount.approved_at.is_not(None))))
    for debate, group in zip(debates, (g2012, g_now), strict=True):
        raised = {q for m in group.sessions for p in m.presentations for q in p.question_list}
        themes = []
        for title, picks in THEMES:
            chosen = [QUESTIONS[i] for i in picks if QUESTIONS[i] in raised]
            if chosen:
                themes.append(DebateTheme(debate_day_id=debate.id, title=title, questions="\n".join(chosen)))
        session.add_all(themes)
        session.flush()
        for voter in voters:  # each participant has three votes
            for theme in rng.sample(themes, min(rng.randint(1, 3), len(themes))):
                session.add(DebateVote(theme_id=theme.id, account_id=voter.id))
    session.flush()
    return 2


def add_demo_seminars(session: Session, units: list[Territory], today: date | None = None) -> list[Seminar]:
    """The seed's 2012 seminar (two alternative sessions) and the next one, open for registration."""
    today = today or date.today()
    # The "current" seminar is this year's while its autumn session can still be booked, else next year's.
    year = today.year if today < date(today.year, 11, 15) else today.year + 1
    marseille = next(u for u in units if u.slug == "marseille")
    place = f"{marseille.unit_label}, {marseille.address}, {marseille.city}"
    text = ("Un séminaire pour une meilleure approche théorique et méthodologique de l'ISIC : outiller les "
            "professionnel·les qui déploient ou aimeraient déployer ces compétences. Trois journées au choix "
            "entre deux sessions ; 250 euros par stagiaire")
    bring = "De quoi prendre des notes, et la présentation d'une action collective que vous menez ou préparez."
    seminars = [
        Seminar(title="Séminaire ISIC 2012", year=2012, place=place, description=text + " (DIF).", capacity=18,
                to_bring=bring, days=[
            SeminarDay(option=1, day=date(2012, 4, 6)), SeminarDay(option=1, day=date(2012, 5, 11)),
            SeminarDay(option=1, day=date(2012, 6, 7)), SeminarDay(option=2, day=date(2012, 10, 5)),
            SeminarDay(option=2, day=date(2012, 10, 12)), SeminarDay(option=2, day=date(2012, 10, 19))]),
        Seminar(title=f"Séminaire ISIC {year}", year=year, place=place, description=text + ".", capacity=20,
                to_bring=bring, days=[
            SeminarDay(option=1, day=date(year, 4, 10)), SeminarDay(option=1, day=date(year, 5, 15)),
            SeminarDay(option=1, day=date(year, 6, 12)), SeminarDay(option=2, day=date(year, 12, 4)),
            SeminarDay(option=2, day=date(year, 12, 11)), SeminarDay(option=2, day=date(year, 12, 18))]),
    ]
    session.add_all(seminars)
    session.flush()
    for seminar in seminars:
        seminar.capacity, capacity = None, seminar.capacity
        set_capacity(session, seminar, capacity)
    return seminars
