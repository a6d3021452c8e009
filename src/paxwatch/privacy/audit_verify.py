"""Verification of the audit trail: recompute the chain and report the first entry edited,
inserted or removed; checkpoints kept outside the database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from paxwatch.privacy.audit_chain import entry_hash, read_anchor
from paxwatch.store.engine import Store
from paxwatch.store.schema_review import audit_event

_CHUNK = 1000


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A head seen earlier (``seq`` and hash), kept outside the database."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Parse ``SEQ:HASH``."""
        seq, _, digest = text.strip().partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise ValueError("a checkpoint is SEQ:SHA256 (as printed by 'paxwatch audit head')")
        return cls(int(seq), digest.lower())


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifyResult:
    """The outcome of :func:`verify`: ``ok``, how many entries were checked, and for a
    broken chain the first bad entry (``seq``) and what is wrong (``problem``)."""

    ok: bool
    checked: int
    first_seq: int
    head_seq: int
    head_hash: str
    seq: int | None = None
    problem: str | None = None


def _rows(conn: Connection, start: int) -> Iterator[Any]:
    last = start - 1
    while True:
        rows = conn.execute(
            select(audit_event)
            .where(audit_event.c.seq > last)
            .order_by(audit_event.c.seq)
            .limit(_CHUNK)
        ).all()
        if not rows:
            return
        yield from rows
        last = int(rows[-1].seq)


def _verify(conn: Connection, checkpoint: Checkpoint | None) -> VerifyResult:
    anchor = read_anchor(conn)
    first, head, head_hash = anchor.first_seq, anchor.head_seq, anchor.head_hash

    def bad(seq: int | None, problem: str, checked: int) -> VerifyResult:
        return VerifyResult(
            ok=False,
            checked=checked,
            first_seq=first,
            head_seq=head,
            head_hash=head_hash,
            seq=seq,
            problem=problem,
        )

    before = conn.execute(select(func.min(audit_event.c.seq))).scalar()
    if before is not None and int(before) < first:
        return bad(int(before), "entry before the start of the chain (inserted)", 0)
    expected, prev, checked = first, anchor.first_prev_hash, 0
    seen_checkpoint = checkpoint is None or checkpoint.seq < first
    for row in _rows(conn, first):
        seq = int(row.seq)
        if seq != expected:
            return bad(expected, f"entries {expected}..{seq - 1} are missing (removed)", checked)
        if row.prev_hash != prev:
            return bad(
                seq, "link to the previous entry broken (entry removed or replaced)", checked
            )
        digest = entry_hash(
            prev, seq=seq, at=row.at, actor=row.actor, kind=row.kind, payload=row.payload
        )
        if digest != row.hash:
            return bad(seq, "content changed (hash does not match)", checked)
        if checkpoint is not None and seq == checkpoint.seq:
            if digest != checkpoint.hash:
                return bad(seq, "differs from the checkpoint (chain rewritten)", checked)
            seen_checkpoint = True
        prev, expected, checked = digest, seq + 1, checked + 1
    if expected - 1 != head:
        if expected - 1 < head:
            return bad(expected, f"entries {expected}..{head} are missing (removed)", checked)
        return bad(head + 1, "entries after the recorded head (inserted)", checked)
    if prev != head_hash:
        return bad(head, "the last entry does not match the recorded head", checked)
    if not seen_checkpoint:
        return bad(checkpoint.seq if checkpoint else None, "checkpoint entry not found", checked)
    return VerifyResult(
        ok=True, checked=checked, first_seq=first, head_seq=head, head_hash=head_hash
    )


def verify(store: Store, *, checkpoint: Checkpoint | None = None) -> VerifyResult:
    """Recompute the chain; report the first entry edited, inserted or removed."""
    with store.read() as conn:
        return _verify(conn, checkpoint)


def head(store: Store) -> Checkpoint:
    """The current head of the chain (to keep outside the database, see ``Checkpoint``)."""
    with store.read() as conn:
        anchor = read_anchor(conn)
    return Checkpoint(anchor.head_seq, anchor.head_hash)
