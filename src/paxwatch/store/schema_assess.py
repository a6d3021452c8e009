"""The assessment tables (issues 5 and 6): watch lists, rules, hits, what ran, checkpoints.

Imported at the end of ``paxwatch.store.schema`` so that these tables belong to its
``metadata`` (migration ``0002_assessment``).

- ``watchlist_source``: the registry of lists screening may use (CJEU C-817/19: type,
  owner, legal basis and offence category recorded before a list is activated).
- ``watchlist_version``: one row per import, with what it added, changed and removed.
- ``watchlist_entry``: every version of every entry, as ``to_jsonable(WatchlistEntry)``;
  the current entries of a source are those with no ``removed_version_id``.
- ``targeting_rule``: every version of every rule, as its canonical text, with its status
  and who wrote and approved it.
- ``hit``: one row per automated result (watch-list match or rule hit) with its features
  or conditions and values as JSON, the algorithm version, the suppression fingerprint and
  a status (``new``; ``dismissed`` and the other review states come with the review issue).
- ``assessment``: which assessment (kind + list-set or rule-set digest) ran on which
  traveller row on which flight, so that a sweep finds travellers a crash left unassessed.
- ``api_assessment``: the same for API travellers that match no booking (screened on
  their own, migration ``0009``); ``hit.api_traveller_id`` names the API traveller of
  their hits (and of a booked traveller's hit that was first raised on its API record).
- ``assess_job``: the checkpoint of a chunked re-screening run, so that it can resume.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from paxwatch.store.columns import Id, fk, metadata, owned, pk, string

watchlist_source = Table(
    "watchlist_source",
    metadata,
    Column("id", String(60), primary_key=True),
    string("name", 200, nullable=False),
    string("type", 30),
    string("owner", 200),
    Column("legal_basis", Text),
    string("offence_category", 60),
    Column("active", Boolean, nullable=False, default=False),
    Column("current_version_id", Id),
    Column("created_at", DateTime, nullable=False),
    Column("activated_at", DateTime),
    string("activated_by", 100),
)

watchlist_version = Table(
    "watchlist_version",
    metadata,
    pk(),
    Column(
        "source_id",
        String(60),
        ForeignKey("watchlist_source.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("version_no", Integer, nullable=False),
    Column("imported_at", DateTime, nullable=False),
    string("imported_by", 100),
    string("format", 20),
    string("file_name", 500),
    string("file_hash", 64),
    Column("entries", Integer, nullable=False),
    Column("added", Integer, nullable=False),
    Column("changed", Integer, nullable=False),
    Column("removed", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
    Column("skipped", Integer, nullable=False),
    Column("problems", Integer, nullable=False),
    UniqueConstraint("source_id", "version_no"),
)

watchlist_entry = Table(
    "watchlist_entry",
    metadata,
    pk(),
    Column(
        "source_id",
        String(60),
        ForeignKey("watchlist_source.id", ondelete="CASCADE"),
        nullable=False,
    ),
    string("entry_id", 100, nullable=False),
    string("kind", 12, nullable=False),
    Column("content", Text, nullable=False),
    string("digest", 64, nullable=False),
    fk("added_version_id", "watchlist_version", index=False),
    Column("removed_version_id", Id),
    Index("ix_watchlist_entry_current", "source_id", "removed_version_id"),
    Index("ix_watchlist_entry_entry", "source_id", "entry_id"),
)

targeting_rule = Table(
    "targeting_rule",
    metadata,
    pk(),
    string("rule_id", 60, nullable=False),
    Column("version", Integer, nullable=False),
    string("status", 10, nullable=False, index=True),
    string("title", 300),
    string("offence", 60),
    string("author", 100),
    Column("review", Date),
    Column("score", Integer),
    Column("text", Text, nullable=False),
    string("approved_by", 100),
    Column("approved_on", Date),
    Column("imported_at", DateTime, nullable=False),
    string("imported_by", 100),
    Column("status_at", DateTime),
    UniqueConstraint("rule_id", "version"),
)

hit = Table(
    "hit",
    metadata,
    pk(),
    string("kind", 10, nullable=False),
    owned("traveller_id", "traveller", nullable=True),
    owned("booking_id", "booking", nullable=True),
    fk("flight_id", "flight"),
    owned("api_traveller_id", "api_traveller", nullable=True),
    string("source_id", 60),
    string("entry_id", 100),
    string("rule_id", 60),
    Column("rule_version", Integer),
    Column("score", Float, nullable=False),
    Column("features", Text, nullable=False),
    string("algorithm_version", 60, nullable=False),
    string("fingerprint", 64, nullable=False, index=True),
    string("subject_digest", 64),
    string("entry_digest", 64),
    string("status", 12, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("status_at", DateTime),
    Index("ix_hit_status_created", "status", "created_at"),
)

assessment = Table(
    "assessment",
    metadata,
    owned("traveller_id", "traveller", primary_key=True),
    Column(
        "flight_id",
        Id,
        ForeignKey("flight.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
    Column("kind", String(12), primary_key=True),
    string("digest", 64, nullable=False),
    Column("hits", Integer, nullable=False, default=0),
    Column("at", DateTime, nullable=False),
)

api_assessment = Table(
    "api_assessment",
    metadata,
    owned("api_traveller_id", "api_traveller", primary_key=True),
    Column(
        "flight_id",
        Id,
        ForeignKey("flight.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
    Column("kind", String(12), primary_key=True),
    string("digest", 64, nullable=False),
    Column("hits", Integer, nullable=False, default=0),
    Column("at", DateTime, nullable=False),
)

assess_job = Table(
    "assess_job",
    metadata,
    pk(),
    string("kind", 20, nullable=False),
    string("scope", 200, nullable=False),
    string("digest", 64, nullable=False),
    Column("window_from", Date),
    Column("last_traveller_id", Id, nullable=False, default=0),
    Column("total", Integer, nullable=False, default=0),
    Column("done", Integer, nullable=False, default=0),
    Column("hits", Integer, nullable=False, default=0),
    Column("started_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Index("ix_assess_job_scope", "kind", "scope", "digest"),
)

__all__ = [
    "api_assessment",
    "assess_job",
    "assessment",
    "hit",
    "targeting_rule",
    "watchlist_entry",
    "watchlist_source",
    "watchlist_version",
]
