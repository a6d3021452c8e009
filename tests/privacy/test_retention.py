"""Data ages through 6 months and 5 years under the EU and UK profiles."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from paxwatch.model import PushAction
from paxwatch.privacy.depersonalise import ERASED, MASK
from paxwatch.privacy.policies import PolicyError, add_months, load_policy, policy_from_mapping
from paxwatch.privacy.retention import FlagError, list_flags, run_retention, set_flag
from paxwatch.store import schema as s
from paxwatch.store.engine import Store
from tests.privacy.test_retention_support import (
    VAULT,
    booking_id,
    count,
    flight,
    leaks,
    orphans,
    push,
    push_api,
    store,
    traveller_id,
)
from tests.store.factory import api, api_traveller, booking, pnr, traveller

__all__ = ["store"]

T0 = datetime(2026, 12, 10, 10, 0)
EU = load_policy("eu")
UK = load_policy("uk")


def _load(st: Store) -> None:
    """Booking AAA111 (SMITH ref 1, JONES ref 2), BBB222 (BROWN), the API list of the flight."""
    two = booking(
        "AAA111",
        traveller("SMITH", "ANNA", ref="1", doc="P1234567"),
        traveller("JONES", "BOB", ref="2", doc="P7654321"),
        email="anna.smith@example.org",
    )
    one = booking(
        "BBB222", traveller("BROWN", "CARL", ref="1", doc="P5550001"), phone="+33611223344"
    )
    push(st, pnr(two, one, action=PushAction.FULL, fl=flight()), T0, body=b"SMITH JONES BROWN")
    push_api(
        st,
        api(
            api_traveller("SMITH", "ANNA", locator="AAA111", doc="P1234567"),
            api_traveller("BROWN", "CARL", locator="BBB222", doc="P5550001"),
            fl=flight(),
        ),
        T0 + timedelta(days=2),
        body=b"SMITH BROWN",
    )


def _flag_smith(st: Store, kind: str, at: datetime) -> int:
    with st.write() as conn:
        return set_flag(
            conn,
            by="sup1",
            role="supervisor",
            kind=kind,
            reason="Linked to case 2026/17 (confirmed watch-list match)",
            evidence_ref="CASE-2026-17",
            review_on=at.date() + timedelta(days=300),
            traveller_id=traveller_id(st, "AAA111", "1"),
            now=at,
        )


def test_eu_profile_six_months_and_five_years(store: Store) -> None:
    _load(store)
    _flag_smith(store, "objective_evidence", T0 + timedelta(days=30))

    early = run_retention(store, add_months(T0, 6) - timedelta(hours=1), EU, vault=VAULT)
    assert early.changed == 0

    at = add_months(T0, 6) + timedelta(days=3)
    report = run_retention(store, at, EU, vault=VAULT)
    assert booking_id(store, "BBB222") is None
    assert booking_id(store, "AAA111") is not None
    assert report.versions_masked == 1 and report.bookings_deleted == 1
    assert report.travellers_dropped == 1 and report.api_travellers_deleted == 1
    assert report.api_travellers_masked == 1
    assert [k.reason for k in report.kept] == [
        "Linked to case 2026/17 (confirmed watch-list match)"
    ]
    with store.read() as conn:
        rows = conn.execute(select(s.traveller.c.surname, s.traveller.c.ref)).all()
        bodies = set(conn.execute(select(s.raw_message.c.body)).scalars())
    assert [tuple(r) for r in rows] == [(MASK, "1")]
    assert bodies == {ERASED}
    assert (
        leaks(store, ["SMITH", "JONES", "BROWN", "ANNA", "P1234567", "anna.smith", "33611"]) == []
    )
    assert count(store, "stat_flight") == 1
    assert orphans(store) == {}

    again = run_retention(store, at, EU, vault=VAULT)
    assert again.changed == 0

    final = run_retention(store, add_months(T0, 60) + timedelta(days=3), EU, vault=VAULT)
    assert final.bookings_deleted == 1
    for table in ("booking", "booking_version", "traveller", "api_traveller", "raw_message"):
        assert count(store, table) == 0, table
    assert count(store, "stat_flight") == 1  # Art 20 figures outlive the data
    assert orphans(store) == {}


def test_eu_flag_past_its_review_date_no_longer_protects(store: Store) -> None:
    _load(store)
    flag_at = T0 + timedelta(days=1)
    _flag_smith(store, "objective_evidence", flag_at)  # review 300 days after T0 + 1 day
    report = run_retention(store, add_months(T0, 11), EU, vault=VAULT)
    assert report.kept == [] and len(report.expired_flags) == 1
    assert count(store, "booking") == 0


def test_uk_profile_journey_end_then_mask_then_delete(store: Store) -> None:
    _load(store)
    _flag_smith(store, "risk_assessment", T0 + timedelta(days=1))
    dep = datetime(2026, 12, 12, 9, 15)

    assert run_retention(store, dep + timedelta(hours=20), UK, vault=VAULT).changed == 0
    report = run_retention(store, dep + timedelta(days=3), UK, vault=VAULT)
    assert booking_id(store, "BBB222") is None
    assert report.travellers_dropped == 1  # JONES left booking AAA111
    with store.read() as conn:
        names = conn.execute(select(s.traveller.c.surname)).scalars().all()
    assert names == ["SMITH"]  # the flagged traveller, not yet masked
    assert count(store, "api_traveller") == 1
    assert orphans(store) == {}
    assert run_retention(store, dep + timedelta(days=3), UK, vault=VAULT).changed == 0

    masked = run_retention(store, add_months(T0, 6) + timedelta(days=3), UK, vault=VAULT)
    assert masked.versions_masked == 1 and masked.api_travellers_masked == 1
    assert leaks(store, ["SMITH", "JONES", "BROWN", "P1234567"]) == []
    run_retention(store, add_months(T0, 60) + timedelta(days=1), UK, vault=VAULT)
    assert count(store, "booking") == 0 and count(store, "api_traveller") == 0
    assert orphans(store) == {}


def test_eu_flag_kind_must_match_the_profile(store: Store) -> None:
    _load(store)
    _flag_smith(store, "risk_assessment", T0 + timedelta(days=1))  # a UK flag under EU
    run_retention(store, add_months(T0, 7), EU, vault=VAULT)
    assert count(store, "booking") == 0


def test_dry_run_reports_and_changes_nothing(store: Store) -> None:
    _load(store)
    before = count(store, "traveller")
    report = run_retention(store, add_months(T0, 7), EU, vault=VAULT, dry_run=True)
    assert report.bookings_deleted == 2 and report.dry_run
    assert count(store, "traveller") == before
    real = run_retention(store, add_months(T0, 7), EU, vault=VAULT)
    assert real.counts() == report.counts()


def test_small_chunks_resume_to_the_same_end(store: Store) -> None:
    _load(store)
    for i in range(5):
        push(store, pnr(booking(f"CCC{i:03d}", traveller(f"NAME{i}")), fl=flight()), T0)
    report = run_retention(store, add_months(T0, 7), EU, vault=VAULT, chunk=2)
    assert report.bookings_deleted == 7
    assert count(store, "booking") == 0
    assert orphans(store) == {}
    for table in ("traveller", "document", "identifier", "api_traveller", "booking_flight"):
        assert count(store, table) == 0, table


def test_orphan_check_finds_rows_left_behind(store: Store) -> None:
    _load(store)
    assert orphans(store) == {}
    with store.write() as conn:
        conn.execute(delete(s.booking_version))  # not through purge: its rows stay behind
    found = orphans(store)
    assert found["traveller.version_id"] == 3 and found["booking_leg.version_id"] == 2
    assert "traveller.booking_id" not in found  # the bookings are still there


def test_flags_are_for_supervisors_with_a_reason_and_review_date(store: Store) -> None:
    _load(store)
    tid = traveller_id(store, "AAA111", "1")
    with store.write() as conn:
        for role, reason, review in (
            ("analyst", "x", date(2027, 6, 1)),
            ("supervisor", " ", date(2027, 6, 1)),
            ("supervisor", "x", date(2028, 6, 1)),
        ):
            with pytest.raises(FlagError):
                set_flag(
                    conn,
                    by="a",
                    role=role,
                    reason=reason,
                    review_on=review,
                    kind="objective_evidence",
                    traveller_id=tid,
                    now=T0,
                )
        assert list_flags(conn) == []


def test_policy_files_and_errors(tmp_path: object) -> None:
    assert EU.mask_cutoff(datetime(2026, 8, 31)) == datetime(2026, 2, 28)
    assert UK.delete_unflagged == "journey_end"
    with pytest.raises(PolicyError):
        policy_from_mapping("x", {"delete_after_months": 72})
    with pytest.raises(PolicyError):
        policy_from_mapping("x", {"unknown_key": 1})
    with pytest.raises(PolicyError):
        load_policy("/nonexistent/profile.toml")


def _stored_out_of_order(st: Store) -> datetime:
    """YNG001 and its API list received 60 days after OLD001 and its list, but stored
    first (a late delivery, a replay): the old rows have the larger ids. Returns when
    the young ones were received."""
    received = T0 + timedelta(days=60)
    young = booking("YNG001", traveller("YOUNG", "YVES", ref="1", doc="P1110001"))
    push(st, pnr(young, fl=flight(number="100")), received)
    yves = api_traveller("YOUNG", "YVES", locator="YNG001", doc="P1110001")
    push_api(st, api(yves, fl=flight(number="100")), received)
    old = booking("OLD001", traveller("OLDER", "OLGA", ref="1", doc="P2220002"))
    push(st, pnr(old, fl=flight(number="200")), T0)
    olga = api_traveller("OLDER", "OLGA", locator="OLD001", doc="P2220002")
    push_api(st, api(olga, fl=flight(number="200")), T0)
    return received


def test_rows_stored_out_of_order_age_by_their_time_not_their_id(store: Store) -> None:
    """Each age step first reads the newest id of a row old enough and walks ids up to it
    (not on through every younger row): old rows stored after younger ones still go on
    time, the younger ones below them wait."""
    received = _stored_out_of_order(store)
    at = add_months(T0, 6) + timedelta(days=3)
    assert add_months(received, 6) > at
    report = run_retention(store, at, EU, vault=VAULT)
    assert booking_id(store, "OLD001") is None
    assert booking_id(store, "YNG001") is not None
    assert report.bookings_deleted == 1 and report.api_travellers_deleted == 1
    assert count(store, "api_traveller") == 1
    assert run_retention(store, at, EU, vault=VAULT).changed == 0
    assert orphans(store) == {}


def test_rows_stored_out_of_order_reach_five_years_by_their_time(store: Store) -> None:
    _stored_out_of_order(store)
    ticks: list[tuple[str, int]] = []

    def progress(step: str, rows: int) -> None:
        ticks.append((step, rows))

    at = add_months(T0, 60) + timedelta(days=3)  # OLD001 is 5 years old, YNG001 not yet
    report = run_retention(store, at, EU, vault=VAULT, progress=progress)
    assert report.bookings_deleted == 2
    assert ("5 years: versions", 1) in ticks and ("5 years: API", 1) in ticks
    assert ("6 months: versions", 1) in ticks and ("6 months: API", 1) in ticks
    for table in ("booking", "booking_version", "traveller", "api_traveller"):
        assert count(store, table) == 0, table
    assert orphans(store) == {}
