"""Art 20 figures and push compliance, sealed before retention removes the data; CSV."""

from __future__ import annotations

from datetime import datetime, timedelta

from paxwatch.model import PushAction
from paxwatch.privacy.flight_figures import (
    EARLY,
    LATE,
    MISSING,
    ON_TIME,
    ComplianceSchedule,
    early_status,
    final_status,
)
from paxwatch.privacy.policies import add_months, load_policy
from paxwatch.privacy.retention import run_retention
from paxwatch.stats import art20, art20_csv, compliance, compliance_csv
from paxwatch.store.engine import Store
from tests.privacy.test_retention_support import VAULT, flight, push, push_api, store
from tests.store.factory import api, api_traveller, booking, pnr, traveller

__all__ = ["store"]

DEP_LOCAL = datetime(2026, 12, 12, 9, 15)  # LHR in winter: UTC
SC = ComplianceSchedule()


def test_schedule_classification() -> None:
    dep = datetime(2026, 3, 10, 12, 0)
    assert early_status([dep - timedelta(hours=30)], dep, SC) == ON_TIME
    assert early_status([dep - timedelta(hours=10)], dep, SC) == LATE
    assert early_status([dep - timedelta(hours=72)], dep, SC) == EARLY
    assert early_status([], dep, SC) == MISSING
    assert final_status([dep + timedelta(minutes=20)], dep, SC) == ON_TIME
    assert final_status([dep + timedelta(hours=5)], dep, SC) == LATE
    assert final_status([dep - timedelta(hours=30)], dep, SC) == MISSING


def test_art20_and_compliance_survive_retention(store: Store) -> None:
    fl = flight()
    two = booking("AAA111", traveller("SMITH", ref="1"), traveller("JONES", ref="2"))
    push(
        store,
        pnr(two, booking("BBB222", traveller("BROWN")), action=PushAction.FULL, fl=fl),
        DEP_LOCAL - timedelta(hours=30),
    )
    push(
        store,
        pnr(booking("BBB222", traveller("BROWN", seat="1A")), fl=fl),
        DEP_LOCAL + timedelta(minutes=10),
    )
    push_api(store, api(api_traveller("SMITH"), api_traveller("BROWN"), fl=fl), DEP_LOCAL)
    push(
        store,
        pnr(booking("CCC333", traveller("GREEN")), action=PushAction.FULL, fl=flight("AF", "1")),
        DEP_LOCAL + timedelta(hours=6),
    )
    now = DEP_LOCAL + timedelta(days=1)
    with store.write() as conn:
        report = art20(conn, 2026, now=now)
        comp = compliance(conn, "2026-12", now=now)
    december = report.months[11]
    assert (
        december.flights,
        december.bookings,
        december.pnr_passengers,
        december.api_passengers,
    ) == (2, 3, 4, 2)
    assert report.total.pnr_passengers == 4 and report.months[0].flights == 0
    rows = {r.carrier: r for r in comp.carriers}
    assert (rows["DL"].early_on_time, rows["DL"].final_on_time) == (1, 1)
    assert (rows["AF"].early_missing, rows["AF"].final_late) == (1, 1)
    assert "period,flights,bookings" in art20_csv(report).splitlines()[0]
    assert compliance_csv(comp).splitlines()[0].endswith("on_time_rate")
    assert "SMITH" not in art20_csv(report) + compliance_csv(comp)

    run_retention(store, add_months(DEP_LOCAL, 7), load_policy("eu"), vault=VAULT)
    with store.write() as conn:
        after = art20(conn, 2026, now=add_months(DEP_LOCAL, 7))
    assert after.total == report.total
