"""The audit trail: typed events, hash chain, tamper detection, pruning, the CLI."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, update
from typer.testing import CliRunner

import paxwatch.cli.audit  # noqa: F401  (registers the commands)
from paxwatch.cli import app
from paxwatch.privacy.audit import (
    AuditRetentionError,
    Checkpoint,
    GroupCommit,
    PersonalDataRead,
    RuleChangeEvent,
    UserEvent,
    group_commit,
    head,
    list_events,
    prune_before,
    record,
    record_all,
    record_committed,
    verify,
)
from paxwatch.privacy.audit_group import _Pending
from paxwatch.store.engine import Store
from paxwatch.store.schema_review import audit_anchor, audit_event
from tests.store.helpers import BACKENDS, make_store

T0 = datetime(2020, 1, 1, 8, 0)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with make_store(request.param, tmp_path) as s:
        yield s


def _fill(store: Store, n: int = 6, start: datetime = T0) -> None:
    with store.write() as conn:
        for i in range(n):
            record(
                conn,
                PersonalDataRead(
                    actor="alice", purpose="hit review", hit_id=i, traveller_ids=(i, i + 1)
                ),
                at=start + timedelta(days=i),
            )


def test_events_are_typed_and_chained(store: Store) -> None:
    _fill(store, 3)
    with store.write() as conn:
        record(conn, RuleChangeEvent(actor="sup", rule_id="R1", version=2, action="activated"))
    with store.read() as conn:
        entries = list_events(conn, newest_first=False)
        reads = list_events(conn, event_type=PersonalDataRead)
        by_sup = list_events(conn, actor="sup")
        since = list_events(conn, since=T0 + timedelta(days=1), until=T0 + timedelta(days=2))
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert entries[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    event = entries[0].event()
    assert isinstance(event, PersonalDataRead) and event.traveller_ids == (0, 1)
    assert len(reads) == 3 and [e.kind for e in by_sup] == ["rule"] and len(since) == 1
    result = verify(store)
    assert result.ok and result.checked == 4 and result.head_seq == 4


def _tamper_payload(conn: object, seq: int) -> None:
    conn.execute(  # type: ignore[attr-defined]
        update(audit_event).where(audit_event.c.seq == seq).values(payload='{"purpose":"x"}')
    )


@pytest.mark.parametrize(
    ("tamper", "bad_seq", "problem"),
    [
        ("update", 3, "content changed"),
        ("delete_middle", 3, "missing"),
        ("delete_last", 6, "missing"),
        ("delete_first", 1, "missing"),
        ("rehash", 4, "link"),
    ],
)
def test_tampering_is_detected(store: Store, tamper: str, bad_seq: int, problem: str) -> None:
    _fill(store)
    assert verify(store).ok
    with store.write() as conn:
        if tamper == "update":
            _tamper_payload(conn, 3)
        elif tamper == "delete_middle":
            conn.execute(delete(audit_event).where(audit_event.c.seq == 3))
        elif tamper == "delete_last":
            conn.execute(delete(audit_event).where(audit_event.c.seq == 6))
        elif tamper == "delete_first":
            conn.execute(delete(audit_event).where(audit_event.c.seq == 1))
        else:  # edit an entry and recompute its own hash: the next link breaks
            from paxwatch.privacy.audit import entry_hash

            row = conn.execute(audit_event.select().where(audit_event.c.seq == 3)).one()
            digest = entry_hash(
                row.prev_hash, seq=3, at=row.at, actor="mallory", kind=row.kind, payload=row.payload
            )
            conn.execute(
                update(audit_event)
                .where(audit_event.c.seq == 3)
                .values(actor="mallory", hash=digest)
            )
    result = verify(store)
    assert not result.ok and result.seq == bad_seq and problem in (result.problem or "")


def test_checkpoint_detects_a_rewritten_chain(store: Store) -> None:
    _fill(store, 3)
    kept = head(store)
    assert verify(store, checkpoint=kept).ok
    # Rewrite everything (entries and anchor) from scratch: only the checkpoint notices.
    with store.write() as conn:
        conn.execute(delete(audit_event))
        conn.execute(
            update(audit_anchor).values(first_seq=1, first_prev_hash="0" * 64, head_seq=0,
                                        head_hash="0" * 64)
        )  # fmt: skip
    _fill(store, 3, start=T0 + timedelta(hours=1))
    assert verify(store).ok
    result = verify(store, checkpoint=kept)
    assert not result.ok and "checkpoint" in (result.problem or "")
    assert Checkpoint.parse(str(kept)) == kept
    with pytest.raises(ValueError, match="SEQ"):
        Checkpoint.parse("12:abc")


def test_prune_keeps_the_chain_verifiable(store: Store) -> None:
    _fill(store, 6)
    with pytest.raises(AuditRetentionError):
        prune_before(store, datetime.now() - timedelta(days=30))
    result = prune_before(store, T0 + timedelta(days=3), actor="dpo", allow_recent=True)
    assert result.removed == 3 and result.first_seq == 4
    check = verify(store)
    assert check.ok and check.first_seq == 4 and check.checked == 4  # 3 kept + prune event
    with store.read() as conn:
        (pruned,) = list_events(conn, kind="audit.")
    assert pruned.data()["removed"] == 3
    # Removing the new first entry is still detected.
    with store.write() as conn:
        conn.execute(delete(audit_event).where(audit_event.c.seq == 4))
    assert not verify(store).ok
    # Nothing older: nothing removed.
    assert prune_before(store, T0, allow_recent=True).removed == 0


def test_empty_trail_verifies(store: Store) -> None:
    result = verify(store)
    assert result.ok and result.checked == 0


runner = CliRunner()


def test_audit_cli_exit_codes(tmp_path: Path) -> None:
    db = ["--database-url", f"sqlite:///{tmp_path / 'paxwatch.db'}"]
    with make_store("sqlite", tmp_path) as store:
        _fill(store, 4)
        with store.write() as conn:
            record(conn, UserEvent(actor="cli:root", action="created", username="bob"))
    ok = runner.invoke(app, ["audit", "verify", *db])
    assert ok.exit_code == 0 and "intact: 5 entries" in ok.output
    kept = runner.invoke(app, ["audit", "head", *db]).output.strip()
    assert runner.invoke(app, ["audit", "verify", "--checkpoint", kept, *db]).exit_code == 0
    assert runner.invoke(app, ["audit", "verify", "--checkpoint", "junk", *db]).exit_code == 2
    listed = runner.invoke(app, ["audit", "list", "--user", "cli:root", *db])
    assert listed.exit_code == 0 and "cli:root" in listed.output and "1 entry" in listed.output
    assert "4 entries" in runner.invoke(app, ["audit", "list", "--kind", "read", *db]).output
    with make_store("sqlite", tmp_path) as store, store.write() as conn:
        _tamper_payload(conn, 2)
    bad = runner.invoke(app, ["audit", "verify", *db])
    assert bad.exit_code == 1 and "TAMPERED at entry 2" in bad.output


# -- group commit ------------------------------------------------------------------------


def test_record_all_chains_like_record(store: Store) -> None:
    """One multi-row append gives the same chain as appends one by one."""
    with store.write() as conn:
        record(conn, UserEvent(actor="admin", action="created", username="a"), at=T0)
        entries = record_all(
            conn, [PersonalDataRead(actor="a", purpose=f"p{i}", hit_id=i) for i in range(5)]
        )
    assert [e.seq for e in entries] == [2, 3, 4, 5, 6]
    assert all(e.prev_hash == p.hash for p, e in itertools.pairwise(entries))
    assert verify(store).ok and head(store).seq == 6


def test_group_commit_keeps_order_and_the_chain(store: Store) -> None:
    """Many threads append through one group commit: every event is committed once, each
    thread's events in its own order, in fewer transactions than events, and the chain
    verifies."""
    threads, each = 8, 15
    group = GroupCommit(store)
    barrier = threading.Barrier(threads)
    seqs: dict[int, list[int]] = {}

    def work(n: int) -> None:
        barrier.wait()
        seqs[n] = [
            group.append(PersonalDataRead(actor=f"user{n}", purpose=f"{n}:{i}")).seq
            for i in range(each)
        ]

    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert sorted(s for got in seqs.values() for s in got) == list(range(1, threads * each + 1))
    assert all(got == sorted(got) for got in seqs.values())
    assert group.batches <= threads * each
    result = verify(store)
    assert result.ok and result.checked == threads * each
    with store.read() as conn:
        stored = {e.seq: e.data()["purpose"] for e in list_events(conn, limit=None)}
    for n, got in seqs.items():
        assert [stored[s] for s in got] == [f"{n}:{i}" for i in range(each)]


def test_group_commit_is_durable_and_isolates_failures(store: Store) -> None:
    """``record_committed`` returns once the event is committed (a new connection sees
    it); an event that cannot be written fails alone, the others of its batch commit."""
    entry = record_committed(store, PersonalDataRead(actor="a", purpose="case 1"))
    assert group_commit(store) is group_commit(store)
    with store.read() as conn:
        [seen] = list_events(conn)
    assert seen.seq == entry.seq and seen.hash == entry.hash
    group = GroupCommit(store)
    # Not JSON: fails when the batch is written.
    bad = _Pending(PersonalDataRead(actor="a", purpose=object()))  # type: ignore[arg-type]
    good = _Pending(PersonalDataRead(actor="b", purpose="fine"))
    group._commit([bad, good])
    assert isinstance(bad.error, TypeError) and bad.entry is None
    assert good.error is None and good.entry is not None and good.entry.seq == 2
    with pytest.raises(TypeError):
        group.append(PersonalDataRead(actor="a", purpose=object()))  # type: ignore[arg-type]
    assert group.append(PersonalDataRead(actor="c", purpose="after")).seq == 3
    assert verify(store).ok
