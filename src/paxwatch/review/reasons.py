"""Review settings: dismissal reason codes, recipient authorities, four eyes.

Defaults are in code; a deployment replaces them with a TOML file
(``PAXWATCH_REVIEW_CONFIG`` or :func:`load_review_config`)::

    four_eyes = true

    [[reasons]]
    code = "different_person_dob"
    label = "Different person: date of birth differs"

    [[authorities]]
    code = "DGSI"
    name = "Direction générale de la sécurité intérieure"
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_ENV = "PAXWATCH_REVIEW_CONFIG"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReasonCode:
    """A reason for dismissing a hit."""

    code: str
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Authority:
    """A competent authority data may be transmitted to (Directive Art 7)."""

    code: str
    name: str


DEFAULT_REASONS: tuple[ReasonCode, ...] = (
    ReasonCode(code="different_person_dob", label="Different person: date of birth differs"),
    ReasonCode(code="different_person_document", label="Different person: travel document differs"),
    ReasonCode(code="different_person_other", label="Different person: other identifiers"),
    ReasonCode(code="name_only_common", label="Name-only match on a common name"),
    ReasonCode(code="data_quality", label="Poor data quality (PNR or list entry)"),
    ReasonCode(code="already_known", label="Already known to the competent authority"),
    ReasonCode(code="not_relevant_offence", label="Not relevant to a PNR offence"),
    ReasonCode(code="rule_not_met_on_review", label="Rule criteria not met on human review"),
    ReasonCode(code="other", label="Other (explained in the note)"),
)

DEFAULT_AUTHORITIES: tuple[Authority, ...] = (
    Authority(code="police", name="National police"),
    Authority(code="customs", name="Customs"),
    Authority(code="intelligence", name="Internal security service"),
    Authority(code="border_guard", name="Border guard (serious crime and terrorism only)"),
)

NOTE_REQUIRED = frozenset({"other"})
"""Reason codes that need a note."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewConfig:
    """How review works in this PIU."""

    four_eyes: bool = False
    reasons: tuple[ReasonCode, ...] = DEFAULT_REASONS
    authorities: tuple[Authority, ...] = DEFAULT_AUTHORITIES
    note_required: frozenset[str] = field(default=NOTE_REQUIRED)
    max_note_length: int = 4000

    def reason(self, code: str) -> ReasonCode | None:
        """The reason with ``code``."""
        return next((r for r in self.reasons if r.code == code), None)

    def authority(self, code: str) -> Authority | None:
        """The authority with ``code``."""
        return next((a for a in self.authorities if a.code == code), None)


def _items(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ValueError(f"{key} must be a list of tables")
    return value


def review_config_from_mapping(data: Mapping[str, Any]) -> ReviewConfig:
    """A configuration from parsed TOML (absent keys keep their defaults)."""
    base = ReviewConfig()
    reasons = tuple(
        ReasonCode(code=str(r["code"]), label=str(r.get("label", r["code"])))
        for r in _items(data, "reasons")
    )
    authorities = tuple(
        Authority(code=str(a["code"]), name=str(a.get("name", a["code"])))
        for a in _items(data, "authorities")
    )
    return ReviewConfig(
        four_eyes=bool(data.get("four_eyes", base.four_eyes)),
        reasons=reasons or base.reasons,
        authorities=authorities or base.authorities,
        note_required=frozenset(data.get("note_required", base.note_required)),
        max_note_length=int(data.get("max_note_length", base.max_note_length)),
    )


def load_review_config(path: Path | None = None) -> ReviewConfig:
    """The configuration of ``path``, else of ``$PAXWATCH_REVIEW_CONFIG``, else defaults."""
    chosen = path or (Path(os.environ[CONFIG_ENV]) if os.environ.get(CONFIG_ENV) else None)
    if chosen is None:
        return ReviewConfig()
    with chosen.open("rb") as handle:
        return review_config_from_mapping(tomllib.load(handle))
