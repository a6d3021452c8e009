"""The intra-EU selection register and the deletion of unselected intra-EU PNR on arrival."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from paxwatch.model import PushAction
from paxwatch.privacy import audit
from paxwatch.privacy.policies import load_policy, privacy_history
from paxwatch.privacy.retention import run_retention
from paxwatch.privacy.selection import (
    SelectionError,
    add_selection,
    check_flight,
    flight_retained,
    is_intra_eu,
    list_selections,
    revoke_selection,
)
from paxwatch.store.engine import Store
from tests.privacy.test_retention_support import VAULT, booking_id, count, flight, push, store
from tests.store.factory import booking, pnr, traveller

__all__ = ["store"]

DEP = datetime(2026, 12, 12, 9, 15)
NOW = datetime(2026, 12, 1, 8, 0)
CDG_FRA = flight("AF", "1018", "CDG", "FRA", DEP, DEP + timedelta(hours=1, minutes=15))
CDG_MAD = flight("AF", "1300", "CDG", "MAD", DEP, DEP + timedelta(hours=2))
FRA_JFK = flight("LH", "400", "FRA", "JFK", DEP + timedelta(hours=3), DEP + timedelta(hours=11))


def _select_route(conn: object, origin: str = "CDG", destination: str = "MAD") -> int:
    return add_selection(
        conn,  # type: ignore[arg-type]
        scope="route",
        origin=origin,
        destination=destination,
        valid_from=date(2026, 11, 1),
        valid_until=date(2027, 1, 31),
        review_on=date(2027, 1, 15),
        decision="Threat assessment 2026-11 (ref TA-2026-11)",
        legal_basis="Regulation (EU) 2025/13 Art 13; national decree",
        by="head-of-piu",
        now=NOW,
    )


def test_intra_eu_and_the_pure_check() -> None:
    assert is_intra_eu("CDG", "FRA") and not is_intra_eu("CDG", "JFK")
    assert not is_intra_eu("LHR", "CDG")  # the UK is not a member state
    check = check_flight(
        [], carrier="AF", number="1018", origin="CDG", destination="FRA", on=DEP.date()
    )
    assert check.intra_eu and not check.retain


def test_unselected_intra_eu_pnr_is_deleted_on_arrival(store: Store) -> None:
    with store.write() as conn:
        _select_route(conn)
    push(store, pnr(booking("FRA111", traveller("SMITH")), action=PushAction.FULL, fl=CDG_FRA), NOW)
    push(store, pnr(booking("MAD111", traveller("JONES")), action=PushAction.FULL, fl=CDG_MAD), NOW)
    # A connection CDG-FRA-JFK: the booking is also on an extra-EU flight and stays.
    push(store, pnr(booking("JFK111", traveller("BROWN")), action=PushAction.FULL, fl=CDG_FRA), NOW)
    push(store, pnr(booking("JFK111", traveller("BROWN")), action=PushAction.FULL, fl=FRA_JFK), NOW)
    eu = load_policy("eu")

    before = run_retention(store, DEP, eu, vault=VAULT)  # not arrived yet
    assert before.intra_eu_flights == 0 and booking_id(store, "FRA111") is not None
    report = run_retention(store, DEP + timedelta(hours=3), eu, vault=VAULT)
    assert report.intra_eu_flights == 1
    assert booking_id(store, "FRA111") is None
    assert booking_id(store, "MAD111") is not None  # selected route
    assert booking_id(store, "JFK111") is not None  # also on an extra-EU flight
    assert count(store, "stat_flight") >= 1
    with store.read() as conn:
        kinds = [e.kind for e in privacy_history(conn)]
        retained = flight_retained(conn, 2)
    assert "retention.intra_eu_deleted" in kinds
    assert audit.verify(store).ok
    assert retained.retain
    assert run_retention(store, DEP + timedelta(hours=3), eu, vault=VAULT).changed == 0
    # The UK profile has no intra-EU selection.
    assert load_policy("uk").intra_eu_selection is False


def test_register_validation_and_revocation(store: Store) -> None:
    with store.write() as conn:
        with pytest.raises(SelectionError):
            add_selection(
                conn,
                scope="route",
                origin="CDG",
                valid_from=date(2026, 1, 1),
                valid_until=date(2026, 2, 1),
                review_on=date(2026, 1, 15),
                decision="d",
                legal_basis="l",
                by="x",
                now=NOW,
            )
        selection_id = _select_route(conn)
        assert revoke_selection(conn, selection_id, by="head-of-piu", now=NOW)
        assert not revoke_selection(conn, selection_id, by="head-of-piu", now=NOW)
        [entry] = list_selections(conn)
    assert entry.revoked_by == "head-of-piu" and not entry.active_on(DEP.date())
