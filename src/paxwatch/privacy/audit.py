"""The audit trail (Directive Art 13(6)): an append-only, tamper-evident log of events.

What is recorded: every read of personal data (``PersonalDataRead``: which records, by
whom, for which hit or request, with a purpose), every review decision, every transmission
(disclosure), every change to users, rules, watch lists and settings, logins, deletions,
and the pruning of the trail itself. Events are typed dataclasses (``audit_events``);
:func:`record` appends one inside the caller's transaction, so that the event and the
change it describes commit together. Events carry ids, codes and digests, never names,
document numbers, passwords or tokens.

Tamper evidence: entries are numbered without gaps (``seq``) and chained: each stores
``hash = SHA-256(prev_hash + canonical JSON of the entry)``. The one ``audit_anchor`` row
holds the head (last ``seq`` and hash) and where the chain starts (first ``seq`` and the
hash before it, which :func:`prune_before` moves). :func:`verify` recomputes the chain and
reports the first entry that was edited, inserted or removed, including removed last
entries (the head no longer matches). A :class:`Checkpoint` (``seq`` and hash printed by
``paxwatch audit head`` and kept outside the database) also detects a rewrite of the whole
chain together with its anchor.

Retention: entries are kept 5 years (Art 13(6)); :func:`prune_before` removes older ones
and re-anchors the chain so that :func:`verify` keeps working.

This module is the trail's entry point; it re-exports the parts: the chain
(``audit_chain``: record, list), the group commit of reads (``audit_group``), verification
(``audit_verify``) and pruning (``audit_prune``).
"""

from paxwatch.privacy.audit_chain import (
    GENESIS_HASH,
    AuditEntry,
    canonical,
    entry_hash,
    list_events,
    record,
    record_all,
)
from paxwatch.privacy.audit_events import (
    EVENT_TYPES,
    AuditEvent,
    AuditPrunedEvent,
    DeletionEvent,
    HitDecisionEvent,
    LoginEvent,
    PersonalDataRead,
    RuleChangeEvent,
    SettingChangeEvent,
    TransmissionEvent,
    UserEvent,
    WatchlistChangeEvent,
)
from paxwatch.privacy.audit_group import GroupCommit, group_commit, record_committed
from paxwatch.privacy.audit_prune import (
    RETENTION_YEARS,
    AuditRetentionError,
    PruneResult,
    prune_before,
    retention_cutoff,
)
from paxwatch.privacy.audit_verify import Checkpoint, VerifyResult, head, verify

__all__ = [
    "EVENT_TYPES",
    "GENESIS_HASH",
    "RETENTION_YEARS",
    "AuditEntry",
    "AuditEvent",
    "AuditPrunedEvent",
    "AuditRetentionError",
    "Checkpoint",
    "DeletionEvent",
    "GroupCommit",
    "HitDecisionEvent",
    "LoginEvent",
    "PersonalDataRead",
    "PruneResult",
    "RuleChangeEvent",
    "SettingChangeEvent",
    "TransmissionEvent",
    "UserEvent",
    "VerifyResult",
    "WatchlistChangeEvent",
    "canonical",
    "entry_hash",
    "group_commit",
    "head",
    "list_events",
    "prune_before",
    "record",
    "record_all",
    "record_committed",
    "retention_cutoff",
    "verify",
]
