"""What the observatory learns from an action: effects, barriers (freins), levers."""


from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Column, Text
from sqlmodel import Field, Relationship, SQLModel

if TYPE_CHECKING:
    from kb.models.action import FieldAction


class Effect(SQLModel, table=True):
    """A change observed for the people involved, with its evidence."""

    __tablename__ = "effect"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="field_action.id", index=True, ondelete="CASCADE")
    dimension: str = Field(max_length=20)
    description: str = Field(sa_column=Column(Text, nullable=False))
    indicator: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # How the effect is known (choices.EVIDENCE_KINDS, "" when not said), who saw it and when.
    evidence_kind: str = Field(default="", max_length=20, sa_column_kwargs={"server_default": ""})
    observer: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    observed_on: date | None = None
    # The indicator's value before the action and after it, when it is a number.
    value_before: float | None = None
    value_after: float | None = None

    action: "FieldAction" = Relationship(back_populates="effects")


def french_number(value: float) -> str:
    """12.0 -> "12", 3.5 -> "3,5"."""
    return (str(int(value)) if value == int(value) else repr(value)).replace(".", ",")


def effect_evidence(effect) -> str:
    """What shows an effect, in French: indicator, values before and after, evidence kind, who and when.

    ``effect`` is an Effect or the form's EffectRow (versions compare the latter)."""
    from kb.models.choices import EVIDENCE_KINDS

    parts = [f"indicateur : {effect.indicator}"] if effect.indicator else []
    if effect.value_before is not None or effect.value_after is not None:
        before = "?" if effect.value_before is None else french_number(effect.value_before)
        after = "?" if effect.value_after is None else french_number(effect.value_after)
        parts.append(f"avant : {before}, après : {after}")
    if effect.evidence_kind:
        parts.append(EVIDENCE_KINDS.get(effect.evidence_kind, effect.evidence_kind).lower())
    if effect.observer or effect.observed_on:
        when = f" le {effect.observed_on.strftime('%d/%m/%Y')}" if effect.observed_on else ""
        parts.append(f"relevé par {effect.observer}{when}" if effect.observer else f"relevé{when}")
    text = " ; ".join(parts)
    return text[:1].upper() + text[1:]


class Barrier(SQLModel, table=True):
    """A barrier (frein) to collective work, as one category of actor sees it."""

    __tablename__ = "barrier"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="field_action.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=20)
    actor_category: str = Field(max_length=20)
    description: str = Field(sa_column=Column(Text, nullable=False))

    action: "FieldAction" = Relationship(back_populates="barriers")


class Lever(SQLModel, table=True):
    """A lever (levier) that helped the action go ahead."""

    __tablename__ = "lever"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="field_action.id", index=True, ondelete="CASCADE")
    description: str = Field(sa_column=Column(Text, nullable=False))

    action: "FieldAction" = Relationship(back_populates="levers")
