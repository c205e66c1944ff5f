"""Which action happens where and when: projects spread over places, years, statuses and publication states."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from kb.demo.places import PLACES, Place, Quarter
from kb.demo.projects_community import COMMUNITY_PROJECTS
from kb.demo.projects_group import GROUP_PROJECTS
from kb.demo.projects_local import LOCAL_PROJECTS
from kb.demo.vocab import Project

ACTION_COUNT = 78
EXTRA_SENSITIVE = 3  # 7 sensitive kinds + 3 repeats: about one action in eight
PROJECTS = GROUP_PROJECTS + COMMUNITY_PROJECTS + LOCAL_PROJECTS
LAST_YEAR = 2026

# Families of the voyage are met on the aire d'accueil, whatever the commune.
_AIRE = Quarter("aire d'accueil", "sur l'aire d'accueil", "l'aire d'accueil des gens du voyage", False, True)
_DURATIONS = {"groupe": (4, 12), "communautaire": (8, 36), "dsl": (12, 48)}


@dataclass
class Plan:
    """One action to build: its project, place, dates and states."""

    project: Project
    place: Place
    quarter: Quarter | None  # None for sensitive actions: only the commune is shown
    title: str
    year: int = 2012
    start: date | None = None
    end: date | None = None
    months: int = 6
    status: str = "en_cours"
    publication: str = "publiee"

    @property
    def where(self) -> str:
        """'à Barriol', 'dans le centre ancien de Tarascon', or the commune alone for sensitive actions."""
        if self.quarter is None:
            return self.place.a
        if self.quarter.generic:
            return f"{self.quarter.dans} {self.place.de}"
        return self.quarter.dans


def _title_place(project: Project, place: Place, quarter: Quarter | None) -> str:
    if quarter is None or quarter is _AIRE:
        return place.a
    if quarter.generic:  # "dans le centre ancien de Tarascon": generic names need the commune
        return f"{quarter.dans} {place.de}"
    return f"{quarter.dans} ({place.short})"


def _projects(rng: random.Random) -> list[Project]:
    sensitive = [p for p in PROJECTS if p.sensitive]
    ordinary = [p for p in PROJECTS if not p.sensitive]
    extra = ACTION_COUNT - len(PROJECTS) - EXTRA_SENSITIVE
    chosen = PROJECTS + rng.sample(sensitive, EXTRA_SENSITIVE) + rng.sample(ordinary, extra)
    rng.shuffle(chosen)
    return chosen


def _places(rng: random.Random) -> list[Place]:
    # Every place once, so the map covers all of them; the rest follows the weights (Marseille, Avignon, Arles).
    chosen = list(PLACES) + rng.choices(PLACES, weights=[p.weight for p in PLACES], k=ACTION_COUNT - len(PLACES))
    rng.shuffle(chosen)
    return chosen


def _locate(rng: random.Random, project: Project, place: Place, titles: set[str]) -> Plan:
    """Pick a neighbourhood and a title template until the title is new."""
    for attempt in range(40):
        if project.sensitive:
            quarter = None
        elif project.key.startswith("voyage"):
            quarter = _AIRE
        else:
            quarter = rng.choice(place.quarters)
        template = project.titles[attempt % len(project.titles)] if attempt else rng.choice(project.titles)
        title = template.format(ou=_title_place(project, place, quarter))
        if title not in titles:
            titles.add(title)
            return Plan(project, place, quarter, title)
        if attempt >= 3:
            place = rng.choice(PLACES)
    raise RuntimeError(f"no free title for {project.key}")  # pragma: no cover - 40 draws always suffice


def _years(rng: random.Random) -> list[int]:
    # Every year from 2009 to 2026, a cluster in 2012 (the observatory's first year), a few current ones.
    years = list(range(2009, LAST_YEAR + 1)) + [2012] * 8 + [2026] * 3 + [2025] * 2
    weights = [1 if y < 2014 else 3 for y in range(2009, LAST_YEAR + 1)]
    years += rng.choices(range(2009, LAST_YEAR + 1), weights=weights, k=ACTION_COUNT - len(years))
    rng.shuffle(years)
    return years


def _respect_min_years(plans: list[Plan]) -> None:
    for plan in plans:
        if plan.year >= plan.project.min_year:
            continue
        for other in plans:
            if other.year >= plan.project.min_year and plan.year >= other.project.min_year:
                plan.year, other.year = other.year, plan.year
                break


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    return date(day.year + year, month + 1, min(day.day, 28))


def _dates_and_status(rng: random.Random, plans: list[Plan]) -> None:
    planned = 0
    for plan in plans:
        low, high = _DURATIONS[plan.project.mode]
        plan.months = rng.randint(low, high)
        if plan.year == LAST_YEAR and planned < 4:
            # Projects not started yet: they begin in December of the current year.
            planned += 1
            plan.status, plan.start = "projet", date(plan.year, 12, rng.randint(1, 15))
            continue
        plan.start = date(plan.year, rng.randint(1, 12 if plan.year < LAST_YEAR else 9), rng.randint(1, 28))
        end = _add_months(plan.start, plan.months)
        long_running = plan.project.mode != "groupe" and rng.random() < 0.4
        if end < date(LAST_YEAR, 10, 1) and not long_running and (plan.year < 2019 or rng.random() < 0.55):
            plan.status, plan.end = "terminee", end
        else:
            plan.status = "en_cours"


def _publication(rng: random.Random, plans: list[Plan]) -> None:
    old_done = [p for p in plans if p.status == "terminee" and p.year <= 2014]
    for plan in rng.sample(old_done, 3):
        plan.publication = "archivee"
    recent = [p for p in plans if p.year >= 2022 and p.publication == "publiee"]
    for plan in rng.sample(recent, 4):
        plan.publication = "brouillon"
    pending = [p for p in plans if p.year >= 2019 and p.publication == "publiee"]
    for plan in rng.sample(pending, 4):
        plan.publication = "en_attente"


def plan_actions(rng: random.Random) -> list[Plan]:
    """The demo's actions, planned before any row is built."""
    titles: set[str] = set()
    plans = [_locate(rng, project, place, titles) for project, place in zip(_projects(rng), _places(rng), strict=True)]
    for plan, year in zip(plans, _years(rng), strict=True):
        plan.year = year
    _respect_min_years(plans)
    _dates_and_status(rng, plans)
    _publication(rng, plans)
    return plans
