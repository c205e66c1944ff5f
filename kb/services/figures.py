"""The observatory's figures: counts across published actions, as tables a page, a chart and a CSV share.

Only published, visible actions count (the same for every reader). A figure that rests on fewer than
``SMALL`` actions is shown as "< 3", so that a small territory cannot point at one team; its share and
its bar are hidden too. A table holds the texts it shows: the page, the SVG chart and the CSV file read
the same cells, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func
from sqlmodel import Session, select

from kb.forms.observatory import NOT_SAID, ObservatoryFilters
from kb.models import ActionTag, Barrier, Commune, Effect, FieldAction, Tag, Territory, choices
from kb.policy import public_actions_clause
from kb.services.tags import tag_condition

SMALL = 3
HIDDEN = f"< {SMALL}"
_ALL = object()  # a total over every row or every column


def french_share(share: float) -> str:
    """0.4167 -> "42 %" (with the narrow no-break space French puts before %)."""
    return f"{round(share * 100)}\u202f%"


@dataclass(frozen=True)
class Cell:
    """A count, the number of actions behind it, its share of its column, and the filters that list it.

    ``actions`` is exact for a cell; for a total it is exact below SMALL and a lower bound from SMALL on
    (all the rule needs)."""

    value: int
    actions: int
    share: float | None = None
    args: dict[str, str] = field(default_factory=dict)

    @property
    def hidden(self) -> bool:
        """Fewer than SMALL actions (but some): the figure is not shown."""
        return 0 < self.actions < SMALL

    @property
    def text(self) -> str:
        """What the reader sees: the count, or "< 3"."""
        return HIDDEN if self.hidden else str(self.value)

    @property
    def share_text(self) -> str:
        """The share as shown, or "–" when the count is hidden or has no share."""
        return "–" if self.hidden or self.share is None else french_share(self.share)


@dataclass(frozen=True)
class Row:
    """One line of a table."""

    key: str
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class Table:
    """A titled table of counts: rows × columns, the last column and last row being totals when ``totals``."""

    name: str
    title: str
    row_title: str
    columns: list[str]
    rows: list[Row]
    shares: bool = False  # each count followed by its share of the column
    unit: str = "actions"

    def header(self) -> list[str]:
        """Column titles as shown (and written to the CSV)."""
        titles = [self.row_title]
        for column in self.columns:
            titles += [column, f"{column} (part)"] if self.shares else [column]
        return titles

    def lines(self) -> list[list[str]]:
        """Every row as shown: its label, then each cell's text (and share)."""
        return [[row.label, *(t for c in row.cells for t in ((c.text, c.share_text) if self.shares else (c.text,)))]
                for row in self.rows]

    @property
    def empty(self) -> bool:
        """No action counted at all."""
        return all(c.actions == 0 for row in self.rows for c in row.cells)


def scope(filters: ObservatoryFilters, ids: Sequence[int] | None = None) -> list:
    """SQL conditions on FieldAction: published and visible, matching the filters (and the text's ids)."""
    conditions = [public_actions_clause()]
    if filters.territory:
        conditions.append(FieldAction.territory_id.in_(select(Territory.id).where(Territory.slug == filters.territory)))
    if filters.mode:
        conditions.append(FieldAction.mode == filters.mode)
    for kind, slug in (("public", filters.public), ("theme", filters.theme)):
        if slug:
            conditions.append(tag_condition(kind, slug))
    if filters.year_from:
        conditions.append(FieldAction.start_date >= date(filters.year_from, 1, 1))
    if filters.year_to:
        conditions.append(FieldAction.start_date <= date(filters.year_to, 12, 31))
    if ids is not None:
        # An empty IN, not false(): false() would swallow the join conditions ANDed with it.
        conditions.append(FieldAction.id.in_(list(ids)))
    return conditions


def _link(names: tuple[str, str] | None):
    """The filters that list what a cell counts: its row's and its column's values under these names."""
    def args(row_key, column_key) -> dict[str, str]:
        if names is None:
            return {}
        pairs = ((names[0], row_key), (names[1], column_key))
        return {name: str(value) for name, value in pairs if value is not None}
    return args


def _crosstab(session: Session, name: str, title: str, row_title: str, rows: dict, columns: dict,
              row_col, col_col, value_col, action_col, conditions: list, shares: bool = False,
              unit: str = "actions", link=None) -> Table:
    """Counts of ``value_col`` (and distinct ``action_col``) by ``row_col`` × ``col_col``, with totals;
    shares are of each column's total."""
    link = link or _link(None)
    found = session.exec(select(row_col, col_col, func.count(value_col), func.count(func.distinct(action_col)))
                         .where(*conditions).group_by(row_col, col_col)).all()
    cells = {(r, c): (n, a) for r, c, n, a in found}

    def total(row=_ALL, column=_ALL) -> tuple[int, int]:
        """A row's, a column's or the grand total from the cells (one query for the whole table).

        Counts add up; distinct actions do not (an action may sit in several cells), but the rule only
        asks "fewer than SMALL or not": the largest cell says "not" (a lower bound is kept), the sum of
        the cells says "fewer" (an upper bound is kept); only between the two does one more query count."""
        parts = [v for (r, c), v in cells.items() if row in (_ALL, r) and column in (_ALL, c)]
        value, largest, upper = sum(n for n, _ in parts), max((a for _, a in parts), default=0), sum(a for _, a in parts)
        if largest >= SMALL or upper < SMALL:
            return value, largest if largest >= SMALL else upper
        where = [*conditions, *([row_col == row] if row is not _ALL else []),
                 *([col_col == column] if column is not _ALL else [])]
        return value, session.exec(select(func.count(func.distinct(action_col))).where(*where)).one()

    def cell(counts: tuple[int, int], of: int | None, args: dict) -> Cell:
        return Cell(counts[0], counts[1], (counts[0] / of if of else 0.0) if shares else None, args)

    by_column = {c: total(column=c) for c in columns}
    everything = total()
    table_rows = []
    for key, label in rows.items():
        line = [cell(cells.get((key, c), (0, 0)), by_column[c][0], link(key, c)) for c in columns]
        line.append(cell(total(row=key), everything[0], link(key, None)))
        table_rows.append(Row(str(key), label, line))
    bottom = [cell(by_column[c], by_column[c][0], link(None, c)) for c in columns]
    bottom.append(cell(everything, everything[0], link(None, None)))
    table_rows.append(Row("total", "Total", bottom))
    return Table(name, title, row_title, [*columns.values(), "Total"], table_rows, shares, unit)


def barriers_by_kind_and_actor(session: Session, filters: ObservatoryFilters, ids=None) -> Table:
    """Barrier kinds × actor categories: how many barriers each category names, and its share of them."""
    conditions = [*scope(filters, ids), Barrier.action_id == FieldAction.id]
    return _crosstab(session, "freins-par-acteur", "Freins cités, par type et par catégorie d'acteur",
                     "Type de frein", choices.BARRIER_KINDS, choices.ACTOR_CATEGORIES, Barrier.kind,
                     Barrier.actor_category, Barrier.id, Barrier.action_id, conditions, shares=True,
                     unit="freins", link=_link(("kind", "actor")))


def effects_by_dimension_and_evidence(session: Session, filters: ObservatoryFilters, ids=None) -> Table:
    """Effect dimensions × evidence kinds ("non précisé" when the author did not say)."""
    conditions = [*scope(filters, ids), Effect.action_id == FieldAction.id]
    return _crosstab(session, "effets-par-preuve", "Effets relevés, par dimension et par type de preuve",
                     "Dimension", choices.EFFECT_DIMENSIONS, {**choices.EVIDENCE_KINDS, "": "Non précisé"},
                     Effect.dimension, Effect.evidence_kind, Effect.id, Effect.action_id, conditions,
                     unit="effets", link=lambda row, column: _link(("dimension", "evidence"))(
                         row, NOT_SAID if column == "" else column))


def actions_by_territory_and_mode(session: Session, filters: ObservatoryFilters, ids=None) -> Table:
    """Actions per territory of the institute and intervention mode."""
    territories = {t.id: t.name for t in session.exec(select(Territory).order_by(Territory.name))}
    return _crosstab(session, "actions-par-territoire", "Actions par territoire et par mode d'intervention",
                     "Territoire", {**territories, None: "Sans territoire"}, choices.INTERVENTION_MODES,
                     FieldAction.territory_id, FieldAction.mode, FieldAction.id, FieldAction.id, scope(filters, ids))


def actions_by_year_and_mode(session: Session, filters: ObservatoryFilters, ids=None) -> Table:
    """Actions per starting year and mode: the trend over the years."""
    year = func.extract("year", FieldAction.start_date)
    found = session.exec(select(year).where(*scope(filters, ids), FieldAction.start_date.is_not(None))
                         .group_by(year)).all()
    years = {int(y): str(int(y)) for y in sorted(found)}
    conditions = [*scope(filters, ids), FieldAction.start_date.is_not(None)]

    def link(row_key, column_key) -> dict[str, str]:
        found = {"year_from": str(row_key), "year_to": str(row_key)} if row_key is not None else {}
        return {**found, **({"mode": column_key} if column_key else {})}

    return _crosstab(session, "actions-par-annee", "Actions par année de début et par mode d'intervention",
                     "Année", years, choices.INTERVENTION_MODES, year, FieldAction.mode, FieldAction.id,
                     FieldAction.id, conditions, link=link)


def actions_by_tags(session: Session, filters: ObservatoryFilters, ids=None,
                    kinds: tuple[str, ...] = ("public", "theme")) -> dict[str, Table]:
    """Actions per public and per theme (an action counts once under each of its terms), most frequent
    first; one query for every kind."""
    stmt = (select(Tag.kind, Tag.slug, Tag.name, func.count(ActionTag.action_id))
            .join(ActionTag, ActionTag.tag_id == Tag.id).join(FieldAction, FieldAction.id == ActionTag.action_id)
            .where(Tag.kind.in_(kinds), Tag.status == "validee", *scope(filters, ids))
            .group_by(Tag.kind, Tag.slug, Tag.name))
    counted = sorted(session.exec(stmt), key=lambda r: (-r[3], r[2]))
    titles = {"public": "Actions par public", "theme": "Actions par thème"}
    return {kind: Table(f"actions-par-{kind}", titles.get(kind, "Actions par étiquette"),
                        choices.TAG_KINDS.get(kind, kind), ["Actions"],
                        [Row(slug, name, [Cell(n, n, None, {kind: slug})]) for k, slug, name, n in counted if k == kind])
            for kind in kinds}


@dataclass(frozen=True)
class CommuneCount:
    """Actions in one commune, for proportional symbols and their table."""

    insee: str
    name: str
    latitude: float | None
    longitude: float | None
    cell: Cell


def actions_by_commune(session: Session, filters: ObservatoryFilters, ids=None) -> list[CommuneCount]:
    """Actions per commune, most first."""
    stmt = (select(Commune.insee, Commune.name, Commune.latitude, Commune.longitude, func.count(FieldAction.id))
            .join(FieldAction, FieldAction.commune_insee == Commune.insee).where(*scope(filters, ids))
            .group_by(Commune.insee, Commune.name, Commune.latitude, Commune.longitude))
    return [CommuneCount(insee, name, lat, lon, Cell(count, count))
            for insee, name, lat, lon, count in sorted(session.exec(stmt), key=lambda r: (-r[4], r[1]))]


def communes_table(counts: list[CommuneCount]) -> Table:
    """The proportional symbols' data as a table (the map's accessible alternative)."""
    return Table("actions-par-commune", "Actions par commune", "Commune", ["Actions"],
                 [Row(c.insee, c.name, [c.cell]) for c in counts])


def count_actions(session: Session, filters: ObservatoryFilters, ids=None) -> int:
    """How many published actions the filters keep."""
    return session.exec(select(func.count(FieldAction.id)).where(and_(*scope(filters, ids)))).one()


def dashboard(session: Session, filters: ObservatoryFilters, ids=None) -> dict:
    """Every figure of the dashboard, for the same actions."""
    territories = actions_by_territory_and_mode(session, filters, ids)
    return {
        "total": territories.rows[-1].cells[-1],  # every action sits in one territory (or none) and one mode
        "territories": territories,
        "years": actions_by_year_and_mode(session, filters, ids),
        **{f"{kind}s": table for kind, table in actions_by_tags(session, filters, ids).items()},
        "barriers": barriers_by_kind_and_actor(session, filters, ids),
        "effects": effects_by_dimension_and_evidence(session, filters, ids),
        "communes": actions_by_commune(session, filters, ids),
    }


@dataclass(frozen=True)
class Figure:
    """A table of the observatory one can cite apart (a CSV file, a section of a cahier) and how it is drawn."""

    label: str
    compute: Callable[..., Table]
    chart: str  # bar (skipping the total row), bar-all, column, grid


# Each computes its own table only (not the whole dashboard).
FIGURES = {
    "actions-par-territoire": Figure("Actions par territoire et mode d'intervention",
                                     actions_by_territory_and_mode, "bar"),
    "actions-par-annee": Figure("Actions par année de début et mode d'intervention", actions_by_year_and_mode,
                                "column"),
    "actions-par-public": Figure(
        "Actions par public", lambda session, f, ids=None: actions_by_tags(session, f, ids, ("public",))["public"],
        "bar-all"),
    "actions-par-theme": Figure(
        "Actions par thème", lambda session, f, ids=None: actions_by_tags(session, f, ids, ("theme",))["theme"],
        "bar-all"),
    "freins-par-acteur": Figure("Freins par type et par catégorie d'acteur", barriers_by_kind_and_actor, "grid"),
    "effets-par-preuve": Figure("Effets par dimension et type de preuve", effects_by_dimension_and_evidence, "grid"),
    "actions-par-commune": Figure(
        "Actions par commune", lambda session, f, ids=None: communes_table(actions_by_commune(session, f, ids)),
        "bar"),
}


def table_data(table: Table) -> dict:
    """A table as plain data (a published cahier keeps its figures as they were)."""
    return {"name": table.name, "title": table.title, "row_title": table.row_title, "columns": list(table.columns),
            "shares": table.shares, "unit": table.unit,
            "rows": [{"key": r.key, "label": r.label, "cells": [[c.value, c.actions, c.share] for c in r.cells]}
                     for r in table.rows]}


def table_from_data(data: dict) -> Table:
    """The table ``table_data`` kept (without its links: a frozen figure leads nowhere)."""
    return Table(name=data["name"], title=data["title"], row_title=data["row_title"], columns=list(data["columns"]),
                 rows=[Row(key=r["key"], label=r["label"],
                           cells=[Cell(value=v, actions=a, share=s) for v, a, s in r["cells"]]) for r in data["rows"]],
                 shares=data["shares"], unit=data["unit"])
