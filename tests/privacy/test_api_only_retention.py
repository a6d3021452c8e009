"""Hits of API travellers that match no booking age with them (SQLite and PostgreSQL):
deleted with their API traveller (``hit.api_traveller_id`` is an owned reference, so
``purge`` finds them and leaves no orphan), or masked with it when a flag keeps it."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import select

from paxwatch.assess.hits import list_hits
from paxwatch.assess.hook import IngestAssessor
from paxwatch.assess.rules import forget_rulesets
from paxwatch.assess.screen import forget_screeners
from paxwatch.assess.watchlists import import_entries, set_active
from paxwatch.model.common import ApiRole
from paxwatch.privacy.depersonalise import MASK
from paxwatch.privacy.masking import MASK as SHOWN_MASK
from paxwatch.privacy.policies import add_months, load_policy
from paxwatch.privacy.retention import run_retention, set_flag
from paxwatch.review.api_travellers import api_traveller_view
from paxwatch.store import schema as s
from paxwatch.store.engine import Store
from tests.assess.helpers import META, entry
from tests.privacy.test_retention_support import (
    VAULT,
    count,
    flight,
    leaks,
    orphans,
    push_api,
    store,
)
from tests.store.factory import api, api_traveller

__all__ = ["store"]

T0 = flight().legs[0].departure - timedelta(days=2)  # type: ignore[operator]
EU = load_policy("eu")
BORN = api_traveller("X").date_of_birth


def _crew_hit(st: Store) -> int:
    """A listed crew member on a PAXLST received at T0, assessed on its own: its id."""
    forget_screeners()
    forget_rulesets()
    import_entries(st, "NAT", [entry("E1", "DOE", "JOHN MICHAEL", BORN)], meta=META)
    set_active(st, "NAT", True, by="chef")
    crew = dataclasses.replace(
        api_traveller("DOE", "JOHN MICHAEL", doc="C1234567"), role=ApiRole.CREW
    )
    push_api(st, api(crew, fl=flight()), T0, body=b"DOE")
    with st.read() as conn:
        api_id = int(conn.execute(select(s.api_traveller.c.id)).scalar_one())
        flight_id = int(conn.execute(select(s.flight.c.id)).scalar_one())
    IngestAssessor(st)(flight_id, ())
    with st.read() as conn:
        (hit,) = list_hits(conn)
    assert hit.api_traveller_id == api_id
    return api_id


def test_api_only_hits_are_deleted_with_their_api_traveller(store: Store) -> None:
    _crew_hit(store)
    report = run_retention(store, add_months(T0, 6) + timedelta(days=3), EU, vault=VAULT)
    assert report.api_travellers_deleted == 1
    assert count(store, "hit") == 0 and count(store, "api_assessment") == 0
    assert orphans(store) == {}
    assert leaks(store, ["C1234567"]) == []  # (the list entry keeps its own "DOE")


def test_api_only_hits_are_masked_with_a_flagged_api_traveller(store: Store) -> None:
    api_id = _crew_hit(store)
    with store.write() as conn:
        set_flag(
            conn,
            by="sup1",
            role="supervisor",
            kind="objective_evidence",
            reason="Linked to case 2026/17 (confirmed watch-list match)",
            review_on=(T0 + timedelta(days=300)).date(),
            api_traveller_id=api_id,
            now=T0 + timedelta(days=1),
        )
    report = run_retention(store, add_months(T0, 6) + timedelta(days=3), EU, vault=VAULT)
    assert report.api_travellers_masked == 1
    with store.read() as conn:
        (hit,) = list_hits(conn)
    assert hit.subject_name == MASK and hit.api_traveller_id == api_id
    assert all(f.detail in ("", MASK) for f in hit.features)
    assert hit.listed_name == "JOHN MICHAEL DOE"  # the list's data, not the traveller's
    assert leaks(store, ["C1234567"]) == []
    assert orphans(store) == {}
    with store.read() as conn:  # what the hit page shows of it: masked
        view = api_traveller_view(conn, api_id)
    assert view is not None and view.masked and view.role == "crew"
    assert view.surname == SHOWN_MASK and view.date_of_birth is not None
    assert "1964-07-12" not in view.date_of_birth
    assert all("C1234567" not in str(d["number"]) for d in view.documents)
