"""The points of /carte as arrays (and the filter forms' choices), built once per process for each filter set and
content revision.

Reading and placing 150,000 actions and organisations takes about a second; cutting a view out of arrays
takes milliseconds. A data set is filed under the content revision (``kb.indexing.revision``: any commit
that changes what pages show moves it, so a data set never outlives a change), who looks (what the policy
lets them see) and the filters; a few are kept per process, the most recently used.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from kb.indexing import revision
from kb.services.geo import Place
from maps.clusters import PointArrays

KEPT = 6


@dataclass(frozen=True)
class MapData:
    """A filter set's points: the actions (list, counts) and, as arrays, every point drawn."""

    places: list[Place]  # the actions, by title
    arrays: PointArrays  # actions then organisations; category indices as in `categories`
    categories: dict[str, tuple[str, str]]
    action_count: int


class MapDataCache:
    """The most recently used data sets of one process."""

    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept
        self._sets: OrderedDict[tuple, MapData] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session, key: tuple, build: Callable[[], MapData]) -> MapData:
        """The data set of ``key`` at the current revision, built if missing."""
        full = (revision.current(session), *key)  # read before the data: the set is at least as new
        with self._lock:
            found = self._sets.get(full)
            if found is not None:
                self._sets.move_to_end(full)
                return found
        data = build()
        with self._lock:
            self._sets[full] = data
            while len(self._sets) > self.kept:
                self._sets.popitem(last=False)
        return data


CACHE = MapDataCache()
OPTIONS = MapDataCache(kept=16)


def filter_options(session, viewer) -> dict:
    """The filter form's choices (``services.actions.filter_options``), kept until the content changes: over
    50,000 actions they cost a fifth of a second, on every list, map and peers page."""
    from flask import current_app

    from kb.services.actions import filter_options as build

    key = ("options", current_app.config["DATABASE_URL"], viewer.role, viewer.user_id, viewer.practitioner_id)
    return OPTIONS.get(session, key, lambda: {name: _plain(value) for name, value in build(session, viewer).items()})


def _plain(value):
    """Records as plain objects with their columns: kept across requests, they must not belong to a session."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    table = getattr(value, "__table__", None)
    if table is None:
        return value
    return SimpleNamespace(**{column.key: getattr(value, column.key) for column in table.columns})


def arrays_of(places: list[Place], categories: dict[str, tuple[str, str]]) -> PointArrays:
    """Columns of places, each category as its index in ``categories`` (the last one for unknown ones)."""
    index = {key: n for n, key in enumerate(categories)}
    other = len(categories) - 1
    return PointArrays.of([p.lat for p in places], [p.lon for p in places],
                          [index.get(p.mode or p.kind, other) for p in places],
                          [f"{p.kind[0]}{p.id}" for p in places], [p.title for p in places])
