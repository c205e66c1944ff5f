"""Reading across actions: every barrier, lever and effect of the published actions, quoted with its action."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlalchemy.orm import contains_eager
from sqlmodel import Session, select

from kb.forms.observatory import NOT_SAID, ObservatoryFilters
from kb.models import Barrier, Effect, FieldAction, Lever, choices
from kb.services import Page
from kb.services.figures import Cell, scope

GROUP_LIMIT = 20  # quotes shown per group on the overview; a group's own page shows them all, by pages
PER_PAGE = 50


@dataclass
class Group:
    """Quotes sharing a key (a barrier kind and an actor category, an effect dimension...)."""

    args: dict[str, str]
    title: str
    items: list = field(default_factory=list)
    total: int = 0
    actions: int = 0  # distinct actions behind the quotes

    @property
    def count(self) -> str:
        """How many quotes, as the small-numbers rule lets it be shown ("< 3" from one or two actions)."""
        return Cell(self.total, self.actions).text

    @property
    def more(self) -> int:
        """How many quotes of the group are not shown here."""
        return self.total - len(self.items)


def _evidence(value: str | None) -> str | None:
    return "" if value == NOT_SAID else value


def _order():
    return FieldAction.start_date.desc().nulls_last(), FieldAction.id.desc()


def _grouped(session: Session, model, keys: Sequence, labels: Sequence[dict[str, str]], names: Sequence[str],
             conditions: list, title, limit: int) -> list[Group]:
    """Groups in vocabulary order, each with its count and its first ``limit`` quotes, newest actions first."""
    counts = {tuple(r[:-2]): (r[-2], r[-1]) for r in session.exec(
        select(*keys, func.count(model.id), func.count(func.distinct(model.action_id))).where(*conditions)
        .group_by(*keys))}

    def vocabulary_order(key: tuple) -> tuple:
        return tuple(list(v).index(k) if k in v else len(v) for k, v in zip(key, labels, strict=True))

    # The first `limit` of every group in one query (a window function, in SQLite and PostgreSQL alike):
    # one query per group cost 28 sorts of the same rows, about a second at 10k actions (measured).
    rank = func.row_number().over(partition_by=list(keys), order_by=[*_order(), model.id]).label("rank")
    ranked = (select(model.id.label("id"), rank).join(FieldAction, model.action_id == FieldAction.id)
              .where(*conditions).subquery())
    first = session.exec(select(model).join(FieldAction, model.action_id == FieldAction.id)
                         .where(model.id.in_(select(ranked.c.id).where(ranked.c.rank <= limit)))
                         .options(contains_eager(model.action).joinedload(FieldAction.commune))
                         .order_by(*_order(), model.id)).all()
    items: dict[tuple, list] = {}
    for item in first:
        items.setdefault(tuple(getattr(item, column.key) for column in keys), []).append(item)
    return [Group({n: k for n, k in zip(names, key, strict=True)},
                  title(*(choices.label(v, k) for k, v in zip(key, labels, strict=True))), items.get(key, []), *numbers)
            for key, numbers in sorted(counts.items(), key=lambda kv: vocabulary_order(kv[0]))]


def barrier_groups(session: Session, filters: ObservatoryFilters, ids=None, limit: int = GROUP_LIMIT) -> list[Group]:
    """Barriers by kind, then by actor category, quoted with their action."""
    conditions = [*scope(filters, ids), Barrier.action_id == FieldAction.id]
    if filters.kind:
        conditions.append(Barrier.kind == filters.kind)
    if filters.actor:
        conditions.append(Barrier.actor_category == filters.actor)
    return _grouped(session, Barrier, (Barrier.kind, Barrier.actor_category),
                    (choices.BARRIER_KINDS, choices.ACTOR_CATEGORIES), ("kind", "actor"), conditions,
                    lambda kind, actor: f"{kind} — point de vue : {actor[:1].lower() + actor[1:]}", limit)


def effect_groups(session: Session, filters: ObservatoryFilters, ids=None, limit: int = GROUP_LIMIT) -> list[Group]:
    """Effects by dimension, with their indicator and evidence."""
    conditions = [*scope(filters, ids), Effect.action_id == FieldAction.id]
    if filters.dimension:
        conditions.append(Effect.dimension == filters.dimension)
    if filters.evidence:
        conditions.append(Effect.evidence_kind == _evidence(filters.evidence))
    return _grouped(session, Effect, (Effect.dimension,), (choices.EFFECT_DIMENSIONS,), ("dimension",), conditions,
                    lambda dimension: f"Dimension {dimension[:1].lower() + dimension[1:]}", limit)


def _paged(session: Session, model, conditions: list, page: int, per_page: int) -> Page:
    """A page of quotes; ``count`` is their number as the small-numbers rule lets it be shown."""
    total, actions = session.exec(select(func.count(model.id), func.count(func.distinct(model.action_id)))
                                  .where(*conditions)).one()
    items = session.exec(select(model).join(FieldAction, model.action_id == FieldAction.id).where(*conditions)
                         .options(contains_eager(model.action).joinedload(FieldAction.commune))
                         .order_by(*_order(), model.id).offset((page - 1) * per_page).limit(per_page)).all()
    found = Page(items=list(items), total=total, page=page, per_page=per_page)
    found.count = Cell(total, actions).text
    return found


def barriers_page(session: Session, filters: ObservatoryFilters, ids=None, page: int = 1,
                  per_page: int = PER_PAGE) -> Page[Barrier]:
    """One page of the barriers of one group (a kind and an actor category), newest actions first."""
    conditions = [*scope(filters, ids), Barrier.action_id == FieldAction.id]
    conditions += [c for c, v in ((Barrier.kind == filters.kind, filters.kind),
                                  (Barrier.actor_category == filters.actor, filters.actor)) if v]
    return _paged(session, Barrier, conditions, page, per_page)


def effects_page(session: Session, filters: ObservatoryFilters, ids=None, page: int = 1,
                 per_page: int = PER_PAGE) -> Page[Effect]:
    """One page of the effects of one dimension."""
    conditions = [*scope(filters, ids), Effect.action_id == FieldAction.id]
    conditions += [c for c, v in ((Effect.dimension == filters.dimension, filters.dimension),
                                  (Effect.evidence_kind == _evidence(filters.evidence), filters.evidence)) if v]
    return _paged(session, Effect, conditions, page, per_page)


def levers_page(session: Session, filters: ObservatoryFilters, ids=None, page: int = 1,
                per_page: int = PER_PAGE) -> Page[Lever]:
    """One page of the levers of the published actions, newest actions first."""
    return _paged(session, Lever, [*scope(filters, ids), Lever.action_id == FieldAction.id], page, per_page)

