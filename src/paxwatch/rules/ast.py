"""The typed syntax tree of the criteria language.

A :class:`Rule` is what an analyst wrote: metadata (offence, author, version, review date,
score, status) and two parts, the incriminating condition (``when``) and the exonerating
conditions (``unless``: each one, when it holds, cancels the hit). Conditions are trees of
:class:`And`, :class:`Or`, :class:`Not` over leaf conditions that each read one field.

Positions (``pos``) say where the text came from; they are left out of equality so that a
rule parsed from a file equals the same rule parsed from its re-formatted text.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from decimal import Decimal
from enum import StrEnum

Scalar = int | Decimal | str | bool
"""A literal as written in a rule: a number, a word or quoted text, ``true`` or ``false``."""


class Status(StrEnum):
    """Life cycle of a rule: only active rules assess travellers."""

    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"


class CmpOp(StrEnum):
    """Comparison operators, written as in the rule text."""

    EQ = "="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="


@dataclass(frozen=True, slots=True)
class Pos:
    """Where a piece of rule text starts (1-based line and column)."""

    line: int
    column: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Compare:
    """``field op value``, e.g. ``booking.lead_time_hours < 48``."""

    field: str
    op: CmpOp
    value: Scalar
    pos: Pos | None = dataclass_field(default=None, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class InList:
    """``field in [a, b]`` or, when ``negated``, ``field not in [a, b]``."""

    field: str
    values: tuple[Scalar, ...]
    negated: bool = False
    pos: Pos | None = dataclass_field(default=None, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Between:
    """``field between low and high`` (both ends included); ``negated``: ``not between``."""

    field: str
    low: Scalar
    high: Scalar
    negated: bool = False
    pos: Pos | None = dataclass_field(default=None, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Known:
    """``field is known`` or, when ``negated``, ``field is unknown``."""

    field: str
    negated: bool = False
    pos: Pos | None = dataclass_field(default=None, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Flag:
    """A yes/no field used on its own: ``booking.one_way``."""

    field: str
    pos: Pos | None = dataclass_field(default=None, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Not:
    """``not operand``."""

    operand: Expr
    pos: Pos | None = dataclass_field(default=None, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class And:
    """``a and b and ...`` (two or more items)."""

    items: tuple[Expr, ...]
    pos: Pos | None = dataclass_field(default=None, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Or:
    """``a or b or ...`` (two or more items)."""

    items: tuple[Expr, ...]
    pos: Pos | None = dataclass_field(default=None, compare=False)


Condition = Compare | InList | Between | Known | Flag
"""A leaf: one test on one field."""

Expr = Condition | Not | And | Or


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One pre-determined criterion, as written and versioned by an analyst.

    ``unless`` holds the exonerating conditions: the rule hits when ``when`` holds and none
    of them holds. ``approved_by`` / ``approved_on`` record the supervisor who activated this
    version (four eyes). Metadata the static checks require may be None here, so that a
    rule missing them still parses and is then refused with a reason.
    """

    id: str
    title: str
    when: Expr
    unless: tuple[Expr, ...] = ()
    offence: str | None = None
    author: str | None = None
    version: int = 1
    review: date | None = None
    score: int | None = None
    status: Status = Status.DRAFT
    rationale: str | None = None
    approved_by: str | None = None
    approved_on: date | None = None
    pos: Pos | None = dataclass_field(default=None, compare=False)


def conditions(expr: Expr) -> list[Condition]:
    """The leaf conditions of an expression, left to right."""
    if isinstance(expr, Not):
        return conditions(expr.operand)
    if isinstance(expr, And | Or):
        found: list[Condition] = []
        for item in expr.items:
            found.extend(conditions(item))
        return found
    return [expr]


def rule_conditions(rule: Rule) -> list[Condition]:
    """Every leaf condition of a rule, incriminating then exonerating."""
    found = conditions(rule.when)
    for item in rule.unless:
        found.extend(conditions(item))
    return found
