"""Hit review: the state machine, four eyes, suppression after dismissal, transmission,
the queue — on SQLite and PostgreSQL, with hits made by the real assessment."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

import paxwatch.cli.review  # noqa: F401  (registers the commands)
from paxwatch.assess.hook import install
from paxwatch.assess.watchlists import import_entries, set_active
from paxwatch.cli import app
from paxwatch.ingest import hooks
from paxwatch.privacy.access import AccessConfig, AccessDenied, Principal, Role
from paxwatch.privacy.audit import (
    HitDecisionEvent,
    PersonalDataRead,
    TransmissionEvent,
    list_events,
    verify,
)
from paxwatch.privacy.resources import traveller_resource
from paxwatch.privacy.users import create_user
from paxwatch.review.decisions import (
    ReviewAction,
    ReviewError,
    ReviewErrorCode,
    ReviewState,
    assign,
    confirm,
    countersign,
    decide,
    dismiss,
    get_review,
    history,
    reject,
    release,
    reopen,
    take,
)
from paxwatch.review.queue import open_queue, review_queue
from paxwatch.review.queue_query import QueueFilter
from paxwatch.review.reasons import ReviewConfig, review_config_from_mapping
from paxwatch.review.transmissions import (
    Element,
    TransmissionRequest,
    list_transmissions,
    transmit,
)
from paxwatch.store.engine import Store
from tests.assess.helpers import META, entry, push
from tests.store.factory import booking, flight, pnr, traveller

BORN = date(1964, 7, 12)
FAST = AccessConfig(argon2_time_cost=1, argon2_memory_kib=8, argon2_parallelism=1)
FOUR_EYES = ReviewConfig(four_eyes=True)
REQUEST = TransmissionRequest(
    recipient="police",
    legal_basis="Code de la sécurité intérieure, art. L.232-1",
    offence_category="terrorism",
)


def _who(store: Store, name: str, role: Role = Role.ANALYST) -> Principal:
    created = create_user(store, name, role, actor="admin", config=FAST)
    return created.user.principal()


def _hits(store: Store, *travellers: tuple[str, str]) -> list[int]:
    """List DOE JOHN MICHAEL, push bookings, return the new hit ids."""
    import_entries(store, "NAT", [entry("E1", "DOE", "JOHN MICHAEL", BORN)], meta=META)
    set_active(store, "NAT", True, by="dpo")
    install(store)
    for i, (surname, given) in enumerate(travellers):
        fl = flight("DL", str(100 + i), dep=datetime(2026, 12, 12 + i, 9, 15))
        hooks.notify(*push(store, pnr(booking(f"BK{i:04d}", traveller(surname, given)), fl=fl)))
    with store.read() as conn:
        return [g.hits[0].hit_id for g in review_queue(conn, now=datetime(2026, 12, 1))]


def test_review_state_machine_refuses_illegal_transitions(store: Store) -> None:
    (hit,) = _hits(store, ("DOE", "JOHN MICHAEL"))
    alice, bob = _who(store, "alice"), _who(store, "bob")
    with pytest.raises(ReviewError) as refused:
        confirm(store, alice, hit)
    assert refused.value.code is ReviewErrorCode.ILLEGAL_TRANSITION
    assert "take" not in refused.value.reason or "new" in refused.value.reason
    take(store, alice, hit)
    with pytest.raises(ReviewError) as again:
        take(store, bob, hit)
    assert again.value.code is ReviewErrorCode.ILLEGAL_TRANSITION
    with pytest.raises(ReviewError) as other:
        dismiss(store, bob, hit, "name_only_common")
    assert other.value.code is ReviewErrorCode.NOT_ASSIGNEE
    with pytest.raises(ReviewError) as no_reason:
        decide(store, alice, hit, ReviewAction.DISMISS)
    assert no_reason.value.code is ReviewErrorCode.REASON_REQUIRED
    with pytest.raises(ReviewError) as unknown:
        dismiss(store, alice, hit, "looks_fine")
    assert unknown.value.code is ReviewErrorCode.UNKNOWN_REASON
    with pytest.raises(ReviewError) as needs_note:
        dismiss(store, alice, hit, "other")
    assert needs_note.value.code is ReviewErrorCode.NOTE_REQUIRED
    release(store, alice, hit)
    take(store, bob, hit)
    confirm(store, bob, hit)
    with store.read() as conn:
        assert get_review(conn, hit).state is ReviewState.CONFIRMED
    with pytest.raises(ReviewError):
        dismiss(store, bob, hit, "data_quality")
    # Reopening needs a supervisor.
    with pytest.raises(AccessDenied):
        reopen(store, bob, hit, note="second look")
    sup = _who(store, "sue", Role.SUPERVISOR)
    reopen(store, sup, hit, note="second look")
    with store.read() as conn:
        assert get_review(conn, hit).assignee == "sue"
    # Roles that do not review.
    dpo = _who(store, "dora", Role.DPO)
    with pytest.raises(AccessDenied):
        take(store, dpo, hit)
    with pytest.raises(ReviewError) as missing:
        take(store, alice, 999_999)
    assert missing.value.code is ReviewErrorCode.NOT_FOUND


def test_decisions_are_recorded_and_audited(store: Store) -> None:
    (hit,) = _hits(store, ("DOE", "JOHN MICHAEL"))
    alice = _who(store, "alice")
    take(store, alice, hit)
    dismiss(store, alice, hit, "different_person_dob", note="born 1971 per passport")
    with store.read() as conn:
        steps = history(conn, hit)
        events = list_events(conn, event_type=HitDecisionEvent, newest_first=False)
        status = conn.exec_driver_sql(f"SELECT status FROM hit WHERE id = {hit}").scalar()
    assert [(d.action, d.from_state, d.to_state) for d in steps] == [
        (ReviewAction.TAKE, ReviewState.NEW, ReviewState.IN_REVIEW),
        (ReviewAction.DISMISS, ReviewState.IN_REVIEW, ReviewState.DISMISSED),
    ]
    assert steps[1].actor == "alice" and steps[1].reason_code == "different_person_dob"
    assert steps[1].note == "born 1971 per passport" and steps[1].fingerprint
    assert status == "dismissed"
    assert [e.data()["action"] for e in events] == ["take", "dismiss"]
    assert "1971" not in events[1].payload and events[1].data()["note_sha256"]
    assert verify(store).ok


def test_four_eyes_needs_a_second_user(store: Store) -> None:
    (hit,) = _hits(store, ("DOE", "JOHN MICHAEL"))
    alice, bob, carol = _who(store, "alice"), _who(store, "bob"), _who(store, "carol")
    take(store, alice, hit, config=FOUR_EYES)
    first = confirm(store, alice, hit, config=FOUR_EYES)
    assert first.to_state is ReviewState.AWAITING_COUNTERSIGN
    with pytest.raises(ReviewError) as same:
        countersign(store, alice, hit, config=FOUR_EYES)
    assert same.value.code is ReviewErrorCode.FOUR_EYES
    with pytest.raises(ReviewError) as not_yet:
        transmit(store, alice, hit, REQUEST)
    assert not_yet.value.code is ReviewErrorCode.NOT_CONFIRMED
    reject(store, bob, hit, note="the DOB differs", config=FOUR_EYES)
    confirm(store, alice, hit, config=FOUR_EYES)
    done = countersign(store, carol, hit, config=FOUR_EYES)
    assert done.to_state is ReviewState.CONFIRMED
    with store.read() as conn:
        review = get_review(conn, hit)
    assert review.decided_by == "alice" and review.countersigned_by == "carol"


def test_dismissed_hit_is_not_raised_again(store: Store) -> None:
    (hit,) = _hits(store, ("DOE", "JOHN MICHAEL"))
    alice = _who(store, "alice")
    take(store, alice, hit)
    dismiss(store, alice, hit, "different_person_dob")
    # The same traveller again on another booking and flight: suppressed, not new.
    other = flight("AF", "9", dep=datetime(2026, 12, 20, 9, 15))
    hooks.notify(*push(store, pnr(booking("AGAIN1", traveller("DOE", "JOHN MICHAEL")), fl=other)))
    with store.read() as conn:
        statuses = sorted(conn.exec_driver_sql("SELECT status FROM hit").scalars().all())
        queue = review_queue(conn, now=datetime(2026, 12, 1))
    assert statuses == ["dismissed", "suppressed"]
    assert queue == []
    # Reopened by a supervisor: the dismissal no longer suppresses.
    reopen(store, _who(store, "sue", Role.SUPERVISOR), hit, note="new intelligence")
    with store.read() as conn:
        assert get_review(conn, hit).state is ReviewState.IN_REVIEW


def test_transmission_only_after_confirmation_with_snapshot(store: Store) -> None:
    (hit,) = _hits(store, ("DOE", "JOHN MICHAEL"))
    alice = _who(store, "alice")
    with pytest.raises(ReviewError) as new:
        transmit(store, alice, hit, REQUEST)
    assert new.value.code is ReviewErrorCode.NOT_CONFIRMED
    take(store, alice, hit)
    with pytest.raises(ReviewError):
        transmit(store, alice, hit, REQUEST)
    confirm(store, alice, hit)
    with pytest.raises(ReviewError) as recipient:
        transmit(store, alice, hit, TransmissionRequest(
            recipient="newspaper", legal_basis="x", offence_category="terrorism"))  # fmt: skip
    assert recipient.value.code is ReviewErrorCode.UNKNOWN_RECIPIENT
    with pytest.raises(ReviewError):
        transmit(store, alice, hit, TransmissionRequest(
            recipient="police", legal_basis=" ", offence_category="terrorism"))  # fmt: skip
    with pytest.raises(ReviewError):
        transmit(store, alice, hit, TransmissionRequest(
            recipient="police", legal_basis="law", offence_category="parking"))  # fmt: skip
    with pytest.raises(AccessDenied):
        transmit(store, _who(store, "dora", Role.DPO), hit, REQUEST)
    request = TransmissionRequest(
        recipient="police",
        legal_basis=REQUEST.legal_basis,
        offence_category="terrorism",
        elements=(Element.HIT, Element.IDENTITY, Element.ITINERARY),
        reference="CASE-1",
    )
    sent = transmit(store, alice, hit, request)
    data = json.loads(sent.payload)
    assert set(data["data"]) == {"hit", "identity", "itinerary"}
    assert data["data"]["identity"]["surname"] == "DOE"
    assert data["data"]["itinerary"]["number"] == "100"
    assert data["recipient"] == "police" and data["reference"] == "CASE-1"
    with store.read() as conn:
        (stored,) = list_transmissions(conn, hit_id=hit)
        (event,) = list_events(conn, event_type=TransmissionEvent)
    assert stored.payload == sent.payload and stored.payload_sha256 == sent.payload_sha256
    assert event.data()["payload_sha256"] == sent.payload_sha256 and "DOE" not in event.payload
    # Once transmitted, a confirmed hit cannot be reopened.
    with pytest.raises(ReviewError) as reopened:
        reopen(store, _who(store, "sue", Role.SUPERVISOR), hit, note="oops")
    assert reopened.value.code is ReviewErrorCode.ALREADY_TRANSMITTED


def test_queue_groups_by_traveller_most_urgent_first(store: Store) -> None:
    hits = _hits(store, ("DOE", "JOHN MICHAEL"), ("DOE", "JOHN MICHAEL"), ("DOE", "JOHN"))
    alice = _who(store, "alice")
    now = datetime(2026, 12, 13, 12, 0)  # flights 100 and 101 have left, 102 leaves tomorrow
    with store.read() as conn:
        groups = review_queue(conn, now=now)
        rule_only = review_queue(conn, QueueFilter(kinds=frozenset({"rule"})), now=now)
        high = review_queue(conn, QueueFilter(min_score=0.99), now=now)
    assert [g.number for g in groups] == ["102", "101", "100"]  # next, then latest past
    assert groups[0].urgency_event == "departure" and groups[-1].urgency_event is None
    assert all(len(g.hits) == 1 for g in groups) and rule_only == []
    assert len(high) <= len(groups)
    assign(store, _who(store, "sue", Role.SUPERVISOR), hits[0], "alice")
    with store.read() as conn:
        mine = review_queue(conn, QueueFilter(assignee="alice"), now=now)
    assert [g.hits[0].hit_id for g in mine] == [hits[0]]
    # The analyst's read of the queue is audited.
    shown = open_queue(store, alice, now=now, purpose="morning shift")
    assert len(shown) == 3 and all(g.visible for g in shown)
    with store.read() as conn:
        (read,) = list_events(conn, event_type=PersonalDataRead)
        resource = traveller_resource(conn, shown[0].traveller_id or 0)
    assert read.data()["purpose"] == "morning shift" and len(read.data()["traveller_ids"]) == 3
    assert resource is not None and resource.open_hit
    with pytest.raises(AccessDenied):
        open_queue(store, _who(store, "root", Role.ADMINISTRATOR))


def test_review_config_from_toml_mapping() -> None:
    cfg = review_config_from_mapping(
        {
            "four_eyes": True,
            "reasons": [{"code": "same_person_other_list", "label": "Listed elsewhere"}],
            "authorities": [{"code": "DGSI", "name": "DGSI"}],
        }
    )
    assert cfg.four_eyes and cfg.reason("same_person_other_list") and cfg.authority("DGSI")
    assert cfg.reason("data_quality") is None
    assert ReviewConfig().reason("different_person_document") is not None


runner = CliRunner()


def test_review_cli(tmp_path: Path, store: Store) -> None:
    if store.dialect != "sqlite":
        pytest.skip("the CLI is exercised on SQLite")
    (hit,) = _hits(store, ("DOE", "JOHN MICHAEL"))
    _who(store, "alice")
    db = ["--database-url", str(store.engine.url)]
    queue = runner.invoke(app, ["review", "queue", "--user", "alice", *db])
    assert queue.exit_code == 0 and "DL100" in queue.output and f"{hit}:new" in queue.output
    took = runner.invoke(app, ["review", "decide", str(hit), "take", "--user", "alice", *db])
    assert took.exit_code == 0 and "in_review" in took.output
    bad = runner.invoke(app, ["review", "decide", str(hit), "dismiss", "--user", "alice", *db])
    assert bad.exit_code == 1 and "reason" in bad.output
    assert runner.invoke(app, ["review", "queue", "--user", "nobody", *db]).exit_code == 1
    shown = runner.invoke(app, ["review", "history", str(hit), *db])
    assert "take" in shown.output
    assert "different_person_dob" in runner.invoke(app, ["review", "reasons"]).output
