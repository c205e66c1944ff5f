"""Demo data generator: invented organisations, practitioners, field actions and tools, fully deterministic."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from sqlmodel import Session, select

from kb.demo.actions import Cast, build_action
from kb.demo.findings import TOOLS
from kb.demo.names import NameMaker
from kb.demo.organisations import ORGANISATIONS, OrgSpec, build_organisation
from kb.demo.people import build_people
from kb.demo.places import PLACES
from kb.demo.planning import plan_actions
from kb.demo.vocab import PUBLICS, TERM_DETAILS, THEMES
from kb.models import Commune, FieldAction, Organisation, Tag, Tool, WorkshopSession
from kb.reference import ensure_units, territory_for_commune
from kb.services.places import ensure_commune
from kb.services.tags import get_or_create_tags
from kb.storage import DirectoryStorage

Progress = Callable[[str, int, int], None]


def _silent(_step: str, _done: int, _total: int) -> None:
    pass


def _tags(session: Session) -> dict[tuple[str, str], Tag]:
    # Created once up front: looking tags up per action would autoflush the whole pending graph each time.
    publics = get_or_create_tags(session, "public", list(PUBLICS))
    themes = get_or_create_tags(session, "theme", list(THEMES))
    for tag in publics + themes:
        tag.definition, synonyms = TERM_DETAILS.get(tag.name, ("", []))
        tag.synonyms = "\n".join(synonyms)
    return {("public", t.name): t for t in publics} | {("theme", t.name): t for t in themes}


def _tools(rng: random.Random, actions: list[FieldAction]) -> list[Tool]:
    tools = []
    for title, kind, description in TOOLS:
        tool = Tool(title=title, kind=kind, description=description)
        tool.actions = rng.sample(actions, rng.randint(1, 6))
        tools.append(tool)
    return tools


def generate(session: Session, *, seed: int = 2012, progress: Progress | None = None,
             with_accounts: bool = True, storage: DirectoryStorage | None = None) -> dict[str, int]:
    """Add the invented demo data to the session and flush (never commit); return what was created.

    The same seed gives the same rows and texts (timestamps aside). The units come first, from
    `ensure_units`, so every action and organisation can be attached to the unit covering its commune.
    """
    report = progress or _silent
    rng = random.Random(seed)
    units = ensure_units(session)
    report("Unités de formation", len(units), len(units))

    communes: dict[str, Commune] = {}
    for i, place in enumerate(PLACES, 1):
        communes[place.insee] = ensure_commune(session, place.insee)
        report("Communes", i, len(PLACES))
    territories = {insee: territory_for_commune(units, insee) for insee in communes}

    names = NameMaker(rng)
    orgs: list[tuple[OrgSpec, Organisation]] = []
    for i, spec in enumerate(ORGANISATIONS, 1):
        org = build_organisation(rng, names, spec, communes[spec.insee], territories[spec.insee])
        session.add(org)
        orgs.append((spec, org))
        report("Organisations", i, len(ORGANISATIONS))

    people = build_people(rng, names, orgs)
    for i, person in enumerate(people, 1):
        session.add(person.row)
        if i % 10 == 0 or i == len(people):
            report("Intervenant·es", i, len(people))

    tags = _tags(session)
    plans = plan_actions(rng)
    cast = Cast(people, orgs, {id(p): 0 for p in people})
    actions = []
    for i, plan in enumerate(plans, 1):
        insee = plan.place.insee
        action = build_action(rng, plan, communes[insee], territories[insee], cast, tags)
        session.add(action)
        actions.append(action)
        if i % 10 == 0 or i == len(plans):
            report("Actions de terrain", i, len(plans))

    tools = _tools(rng, actions)
    session.add_all(tools)
    report("Outils co-construits", len(tools), len(tools))
    session.flush()
    files = 0
    if storage is not None:
        from kb.demo.tool_files import add_demo_tool_files

        files = add_demo_tool_files(session, tools, storage)
        report("Fichiers des outils", files, files)

    accounts = 0
    if with_accounts:
        from kb.demo.accounts import add_demo_accounts

        accounts = add_demo_accounts(session, actions, [p.row for p in people])
        report("Comptes de démonstration", accounts, accounts)
        if storage is not None:
            from kb.demo.tool_files import add_proposed_tool

            add_proposed_tool(session, storage)

    from kb.demo.workshops import add_demo_seminars, add_demo_workshops

    workshops = add_demo_workshops(session, rng, units, [p.row for p in people], actions)
    report("Ateliers de mutualisation", workshops, workshops)
    meetings = list(session.exec(select(WorkshopSession).order_by(WorkshopSession.day, WorkshopSession.id)))
    if len(meetings) >= 3:  # the evaluation grid and the workshop sheet were used in the 2012 group
        tools[0].sessions, tools[2].sessions = meetings[1:3], meetings[:1]
        session.flush()
    seminars = add_demo_seminars(session, units)
    report("Séminaires", len(seminars), len(seminars))
    from kb.demo.registrations import add_demo_registrations

    inscriptions = add_demo_registrations(session, rng, seminars, [o for _, o in orgs], date.today())
    report("Inscriptions au séminaire", inscriptions, inscriptions)
    from kb.demo.cahiers import add_demo_cahiers

    numbers = add_demo_cahiers(session, tools, date.today())
    report("Cahiers de l'observatoire", numbers, numbers)
    from kb.mail import discard_queued

    discard_queued(session)  # the services told invented people of their registrations: nobody is to receive it

    used_communes = {a.commune_insee for a in actions} | {o.commune_insee for _, o in orgs}
    return {
        "actions": len(actions),
        "practitioners": len(people),
        "organisations": len(orgs),
        "communes": len(used_communes),
        "tools": len(tools),
        "tool_files": files,
        "effects": sum(len(a.effects) for a in actions),
        "barriers": sum(len(a.barriers) for a in actions),
        "levers": sum(len(a.levers) for a in actions),
        "accounts": accounts,
        "workshops": workshops,
        "seminars": len(seminars),
        "registrations": inscriptions,
        "cahiers": numbers,
    }

