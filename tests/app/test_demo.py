"""Demo data: counts, shapes, privacy rules (fictional contacts), sensitive locations and determinism."""

from __future__ import annotations

import re
import statistics
import sys
import time
import types
from collections import Counter
from pathlib import Path

import pytest


def _install_csv_gazetteer() -> None:
    """Stand in for maps.gazetteer (being written in parallel) by reading the shipped CSV directly."""
    import csv
    from dataclasses import dataclass
    from functools import cache

    csv_path = Path(__file__).resolve().parents[2] / "maps" / "data" / "communes_france.csv"

    class UnknownPlace(LookupError):
        pass

    class AmbiguousPlace(LookupError):
        def __init__(self, candidates):
            super().__init__("ambiguous")
            self.candidates = candidates

    @dataclass(frozen=True)
    class Commune:
        insee: str
        name: str
        departement: str
        postal_codes: tuple[str, ...]
        lat: float
        lon: float
        population: int | None

    class Gazetteer:
        def __init__(self, rows):
            self.rows = rows

        @classmethod
        @cache
        def default(cls):
            with csv_path.open(encoding="utf-8") as handle:
                rows = {r["code_insee"]: Commune(r["code_insee"], r["nom"], r["departement"],
                                                 tuple(r["codes_postaux"].split()), float(r["latitude"] or 0),
                                                 float(r["longitude"] or 0), int(r["population"] or 0) or None)
                        for r in csv.DictReader(handle)}
            return cls(rows)

        def by_insee(self, insee):
            try:
                return self.rows[insee]
            except KeyError:
                raise UnknownPlace(insee) from None

        def lookup(self, text):
            return self.by_insee(text)

    module = types.ModuleType("maps.gazetteer")
    module.Gazetteer, module.Commune = Gazetteer, Commune
    module.UnknownPlace, module.AmbiguousPlace = UnknownPlace, AmbiguousPlace
    sys.modules["maps.gazetteer"] = module


try:
    import maps.gazetteer  # noqa: F401
except ImportError:  # pragma: no cover - only until maps/gazetteer.py lands
    _install_csv_gazetteer()

# isort: split

from sqlmodel import Session, func, select  # noqa: E402

import kb.models  # noqa: E402,F401 - registers the tables
from kb.db import make_engine  # noqa: E402
from kb.demo import generate  # noqa: E402
from kb.demo.places import distance_km  # noqa: E402
from kb.demo.writeups import word_count  # noqa: E402
from kb.models import (  # noqa: E402
    Barrier,
    Commune,
    FieldAction,
    Organisation,
    Practitioner,
    Territory,
    Tool,
)
from kb.models.choices import ACTOR_CATEGORIES  # noqa: E402
from kb.reference import ensure_units, territory_for_commune  # noqa: E402

PHONE_RE = re.compile(r"^(04 65 71|06 39 98) \d\d \d\d$")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
EXAMPLE_DOMAIN_RE = re.compile(r"@(?:[\w-]+\.)*example\.(?:org|fr)$")


def _fresh_session(url: str) -> Session:
    return Session(make_engine(url), expire_on_commit=False)


@pytest.fixture(scope="module")
def demo(tmp_path_factory, migrated_db):
    """One demo database, generated once for the module: (session, counts, seconds, progress calls)."""
    calls = []
    url = migrated_db.copy(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    session = _fresh_session(url)
    started = time.perf_counter()
    counts = generate(session, progress=lambda step, done, total: calls.append((step, done, total)))
    session.commit()
    elapsed = time.perf_counter() - started
    yield session, counts, elapsed, calls
    session.close()
    session.get_bind().dispose()
    migrated_db.discard(url)


@pytest.fixture(scope="module")
def actions(demo) -> list[FieldAction]:
    session = demo[0]
    return list(session.exec(select(FieldAction).order_by(FieldAction.id)))


def test_counts_match_the_issue(demo, actions):
    session, counts, elapsed, _ = demo
    assert counts["actions"] == len(actions) >= 72
    assert counts["practitioners"] == session.exec(select(func.count()).select_from(Practitioner)).one() >= 80
    assert counts["organisations"] == session.exec(select(func.count()).select_from(Organisation)).one() >= 30
    assert counts["tools"] == session.exec(select(func.count()).select_from(Tool)).one() >= 12
    assert counts["barriers"] == session.exec(select(func.count()).select_from(Barrier)).one()
    assert len({a.commune_insee for a in actions}) >= 18
    assert counts["communes"] >= 18
    assert elapsed < 15, f"generation took {elapsed:.1f} s"


def test_actions_are_spread(actions):
    assert Counter(a.mode for a in actions).keys() == {"groupe", "communautaire", "dsl"}
    assert {"projet", "en_cours", "terminee"} <= {a.status for a in actions}
    years = {a.start_date.year for a in actions}
    assert min(years) == 2009 and max(years) == 2026 and 2012 in years
    assert sum(a.start_date.year == 2012 for a in actions) >= 5
    arrondissements = {a.commune_insee for a in actions if a.commune_insee.startswith("132")}
    assert {"13201", "13203", "13213", "13214", "13215", "13216"} <= arrondissements


def test_publication_states(actions):
    states = Counter(a.publication_status for a in actions)
    assert states["brouillon"] >= 3 and states["en_attente"] >= 3 and states["archivee"] >= 2
    assert states["publiee"] > len(actions) / 2


def test_each_territory_has_actions_and_actions_sit_in_their_territory(demo, actions):
    session = demo[0]
    units = ensure_units(session)
    assert {a.territory.slug for a in actions} == {"marseille", "avignon", "arles"}
    for action in actions:
        assert action.territory is territory_for_commune(units, action.commune_insee)


def test_writeups_have_sections_and_word_counts_in_range(actions):
    counts = [word_count(a.writeup) for a in actions]
    assert all(300 <= c <= 1500 for c in counts), sorted(counts)
    assert max(counts) - min(counts) > 700  # lengths vary, from short notes to long write-ups
    assert statistics.median(counts) > 500
    for action in actions:
        assert action.writeup.count("\n## ") + action.writeup.startswith("## ") >= 3
        assert "{" not in action.writeup and "}" not in action.writeup
        sentences = action.summary.count(". ") + 1
        assert 1 <= sentences <= 3 and len(action.summary) > 60


def test_writeups_differ_and_mix_styles(actions):
    assert len({a.writeup for a in actions}) == len(actions)
    assert len({a.title for a in actions}) == len(actions)
    assert sum("’" in a.writeup for a in actions) >= 10
    assert sum("'" in a.writeup for a in actions) >= 10
    assert sum("habitant·es" in a.writeup or "professionnel·les" in a.writeup for a in actions) >= 10
    # No paragraph of several sentences is shared word for word by more than a couple of write-ups.
    paragraphs = Counter(p for a in actions for p in a.writeup.split("\n\n") if p.count(". ") >= 1)
    assert max(paragraphs.values()) <= 3


def test_people_links_effects_barriers_levers(actions):
    for action in actions:
        roles = [link.role for link in action.practitioner_links]
        assert 1 <= len(roles) <= 4 and roles.count("porteur") == 1
        assert len(action.partners) <= 3
        assert 2 <= len(action.effects) <= 5 and all(e.indicator for e in action.effects)
        assert 2 <= len(action.barriers) <= 6
        assert 1 <= len(action.levers) <= 3
        assert action.tags_of("public") and action.tags_of("theme")
    barriers = [b for a in actions for b in a.barriers]
    assert {b.actor_category for b in barriers} == set(ACTOR_CATEGORIES)
    assert {"institutionnel", "financier", "organisationnel", "partenarial", "posture", "public"} <= {
        b.kind for b in barriers}
    mixed = sum(len({b.actor_category for b in a.barriers}) >= 2 for a in actions)
    assert mixed >= 0.8 * len(actions)
    assert {e.dimension for a in actions for e in a.effects} == {"individuel", "groupe", "territoire"}


def test_sensitive_actions_show_the_commune_only(demo, actions):
    session = demo[0]
    sensitive = [a for a in actions if a.location_precision == "commune"]
    assert 0.08 <= len(sensitive) / len(actions) <= 0.2
    for action in actions:
        commune = session.get(Commune, action.commune_insee)
        if action.location_precision == "commune":
            assert (action.latitude, action.longitude) == (commune.latitude, commune.longitude)
            assert action.address == ""
        else:
            assert action.location_precision == "exacte" and action.address
            assert 0 < distance_km(action.latitude, action.longitude, commune.latitude, commune.longitude) < 1.5


def test_organisations_are_located_in_their_commune(demo):
    session = demo[0]
    orgs = session.exec(select(Organisation)).all()
    assert len({o.kind for o in orgs}) >= 7
    for org in orgs:
        commune = session.get(Commune, org.commune_insee)
        assert org.postal_code in commune.postal_codes.split()
        assert distance_km(org.latitude, org.longitude, commune.latitude, commune.longitude) < 1.5
        assert org.director_name and org.territory_id is not None


def test_contacts_are_fictional(demo, actions):
    session = demo[0]
    orgs = session.exec(select(Organisation)).all()
    people = session.exec(select(Practitioner)).all()
    emails = [o.email for o in orgs] + [p.email for p in people]
    emails += [m for a in actions for m in EMAIL_RE.findall(a.writeup + a.summary)]
    assert emails and all(EXAMPLE_DOMAIN_RE.search(e) for e in emails), emails
    assert all(o.website.startswith("https://www.") and ".example." in o.website for o in orgs if o.website)
    phones = [o.phone for o in orgs] + [o.fax for o in orgs if o.fax] + [p.phone for p in people]
    assert all(PHONE_RE.match(p) for p in phones), phones
    assert not any(re.search(r"\b0\d(?: \d\d){4}\b", a.writeup) for a in actions)
    assert len({(p.first_name, p.last_name) for p in people}) == len(people)


def test_practitioners_are_varied_and_consent_is_recorded(demo):
    session = demo[0]
    people = session.exec(select(Practitioner)).all()
    assert {p.actor_category for p in people} == set(ACTOR_CATEGORIES)
    assert len({p.function for p in people}) >= 9
    assert {p.isic_experience for p in people} == {"debutant", "experimente"}
    listed = [p for p in people if p.consent_listed]
    assert 0.6 <= len(listed) / len(people) <= 0.8
    assert 0.5 <= sum(p.consent_contact for p in listed) / len(listed) <= 0.7
    assert not any(p.consent_contact and not p.consent_listed for p in people)
    assert all(p.consent_date and p.skills_knowledge and p.skills_know_how and p.skills_interpersonal
               for p in people)
    assert all(1 <= len(p.organisations) <= 2 and p.territory_id for p in people)
    assert {t.slug for t in session.exec(select(Territory))} == {"marseille", "avignon", "arles"}


def test_tools_link_one_to_six_actions(demo):
    tools = demo[0].exec(select(Tool)).all()
    assert all(1 <= len(t.actions) <= 6 for t in tools)
    assert len({t.kind for t in tools}) >= 5


def test_progress_reports_french_steps(demo):
    calls = demo[3]
    steps = [step for step, _, _ in calls]
    assert {"Organisations", "Actions de terrain"} <= set(steps)
    last = {step: (done, total) for step, done, total in calls}
    assert all(done == total for done, total in last.values())


def test_generation_is_deterministic_and_does_not_commit(tmp_path, actions, migrated_db):
    url = migrated_db.copy(tmp_path / "again.sqlite3")
    session = _fresh_session(url)
    try:
        generate(session)
        again = session.exec(select(FieldAction).order_by(FieldAction.id)).all()
        assert [a.title for a in again] == [a.title for a in actions]
        assert [a.writeup for a in again] == [a.writeup for a in actions]
        assert [a.summary for a in again] == [a.summary for a in actions]
        session.rollback()  # generate only flushed: nothing survives a rollback
        assert session.exec(select(func.count()).select_from(FieldAction)).one() == 0
    finally:
        session.close()
        session.get_bind().dispose()
        migrated_db.discard(url)


def test_the_demo_mails_nobody(demo):
    """Registering invented trainees runs the services that tell them by mail: none of it is left to send."""
    from kb.models import QueuedMail, Registration

    session = demo[0]
    assert session.exec(select(QueuedMail)).all() == []
    assert session.exec(select(Registration)).first() is not None  # registrations were made all the same
