"""What the watch-list routes take and answer: sources, list versions, imports and
activations (made from ``paxwatch.assess.watchlists``'s dataclasses)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import Field

from paxwatch.api.models import Out, Page
from paxwatch.api.models_assess import CountsOut
from paxwatch.assess.run import AssessCounts
from paxwatch.assess.watchlists import ImportOutcome, SourceInfo, VersionInfo

MAX_PROBLEMS = 100
"""At most this many reading problems of a list file are returned (all are counted)."""


class SourceOut(Out):
    """A watch-list source: registry fields, current version, whether it screens.

    ``activation_problems`` says what is missing before it may be activated (type, owner,
    legal basis, offence category); empty when it may be.
    """

    id: str
    name: str
    type: str | None
    owner: str | None
    legal_basis: str | None
    offence_category: str | None
    active: bool
    version_no: int | None
    entries: int
    created_at: datetime
    activated_at: datetime | None
    activated_by: str | None
    activation_problems: list[str]


class SourcePage(Page):
    """One page of watch-list sources."""

    items: list[SourceOut]

    @classmethod
    def of(cls, sources: Sequence[SourceInfo], limit: int, offset: int) -> SourcePage:
        return cls(
            items=[SourceOut.model_validate(s) for s in sources[offset : offset + limit]],
            **cls.paging(len(sources), limit, offset),
        )


class ListVersionOut(Out):
    """One import of a source and what it changed."""

    id: int
    version_no: int
    imported_at: datetime
    imported_by: str | None
    format: str | None
    file_name: str | None
    entries: int
    added: int
    changed: int
    removed: int
    unchanged: int
    skipped: int
    problems: int


class SourceDetail(SourceOut):
    """A source with its versions, latest first."""

    versions: list[ListVersionOut]

    @classmethod
    def of(cls, info: SourceInfo, versions: Sequence[VersionInfo]) -> SourceDetail:
        base = SourceOut.model_validate(info)
        return cls(
            **base.model_dump(), versions=[ListVersionOut.model_validate(v) for v in versions]
        )


class ImportOut(Out):
    """What an import did: the new version, the difference with the previous one, the
    problems of the file, and the re-screening of stored travellers (active lists only)."""

    source_id: str
    version_id: int
    version_no: int
    read: int
    imported: int
    skipped: int
    problems: list[str] = Field(description=f"The first {MAX_PROBLEMS} reading problems.")
    problems_total: int
    added: int
    changed: int
    removed: int
    unchanged: int
    closed_hits: int = Field(description="Unreviewed hits of removed entries, now closed.")
    active: bool
    to_rescreen: int = Field(description="Entries added or changed by this version.")
    rescreen: CountsOut | None = Field(
        description="Stored travellers re-screened against the added and changed entries "
        "(null: the list is not active, or rescreen=false)."
    )

    @classmethod
    def of(cls, outcome: ImportOutcome, rescreen: AssessCounts | None) -> ImportOut:
        return cls(
            source_id=outcome.source_id,
            version_id=outcome.version_id,
            version_no=outcome.version_no,
            read=outcome.read,
            imported=outcome.imported,
            skipped=outcome.skipped,
            problems=list(outcome.problems[:MAX_PROBLEMS]),
            problems_total=len(outcome.problems),
            added=outcome.added,
            changed=outcome.changed,
            removed=outcome.removed,
            unchanged=outcome.unchanged,
            closed_hits=outcome.closed_hits,
            active=outcome.active,
            to_rescreen=len(outcome.to_rescreen),
            rescreen=CountsOut.of(rescreen) if rescreen is not None else None,
        )


class ActivationOut(Out):
    """The activated source and the re-screening of stored travellers against it."""

    source: SourceOut
    rescreen: CountsOut | None = Field(description="Null when rescreen=false.")

    @classmethod
    def of(cls, info: SourceInfo, rescreen: AssessCounts | None) -> ActivationOut:
        return cls(
            source=SourceOut.model_validate(info),
            rescreen=CountsOut.of(rescreen) if rescreen is not None else None,
        )
