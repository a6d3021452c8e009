"""Data-subject requests: find by name + date of birth or by document, export, erase."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from paxwatch.model import PushAction
from paxwatch.privacy import audit
from paxwatch.privacy.policies import add_months, load_policy, privacy_history
from paxwatch.privacy.retention import run_retention, set_flag
from paxwatch.privacy.subject_export import export_subject
from paxwatch.privacy.subject_requests import (
    SubjectQuery,
    SubjectRequestError,
    erase_subject,
    find_subject,
    record_request,
)
from paxwatch.store.engine import Store
from tests.privacy.test_retention import T0
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

BORN = date(1964, 7, 12)


def _load(st: Store) -> None:
    two = booking(
        "AAA111",
        traveller("SMITH", "ANNA", ref="1", doc="P1234567"),
        traveller("JONES", "BOB", ref="2"),
    )
    push(st, pnr(two, action=PushAction.FULL, fl=flight()), T0)
    push_api(
        st, api(api_traveller("SMITH", "ANNA", locator="AAA111", doc="P1234567"), fl=flight()), T0
    )


def test_find_export_and_erase(store: Store) -> None:
    _load(store)
    with store.write() as conn:
        with pytest.raises(SubjectRequestError):
            find_subject(
                conn,
                SubjectQuery(surname="SMITH", date_of_birth=BORN),
                by="a",
                role="analyst",
                now=T0,
            )
        by_name = find_subject(
            conn, SubjectQuery(surname="smith", date_of_birth=BORN), by="dpo", role="dpo", now=T0
        )
        by_doc = find_subject(
            conn, SubjectQuery(document="p 1234567"), by="dpo", role="dpo", now=T0
        )
        export = export_subject(conn, by_name, by="dpo", role="dpo", now=T0, reference="DSR-1")
    bid = booking_id(store, "AAA111")
    assert by_name.travellers == ((bid, "1"),) and len(by_name.api_travellers) == 1
    assert (
        by_doc.travellers == by_name.travellers and by_doc.api_travellers == by_name.api_travellers
    )
    data = json.loads(export.to_json())
    [entry] = data["bookings"]
    assert [t["surname"] for t in entry["versions"][0]["content"]["travellers"]] == ["SMITH"]
    assert "JONES" not in export.to_json()
    with store.write() as conn:
        removed = erase_subject(conn, by_name, by="dpo", role="dpo", now=T0, reference="DSR-1")
        record_request(
            conn,
            kind="erasure",
            received_on=T0.date(),
            matches=by_name,
            outcome="done",
            by="dpo",
            role="dpo",
            now=T0,
            reference="DSR-1",
        )
    assert removed >= 2
    assert leaks(store, ["SMITH", "P1234567"]) == []
    assert booking_id(store, "AAA111") is not None  # JONES is still booked
    assert orphans(store) == {}
    assert count(store, "subject_request") == 1
    # Every step is in the audit trail (never the name searched), and the chain verifies.
    with store.read() as conn:
        kinds = [e.kind for e in privacy_history(conn, "subject.")]
        [erased] = audit.list_events(conn, event_type=audit.DeletionEvent)
        trail = " ".join(e.payload for e in audit.list_events(conn, limit=None))
    searched = ["subject.searched"] * 2
    assert kinds == [*searched, "subject.exported", "subject.erased", "subject.erasure"]
    assert erased.data()["what"] == "data subject" and erased.data()["count"] == removed
    assert "SMITH" not in trail.upper() and "1234567" not in trail
    assert audit.verify(store).ok


def test_masked_records_are_found_with_the_vault(store: Store) -> None:
    _load(store)
    with store.write() as conn:
        set_flag(
            conn,
            by="sue",
            role="supervisor",
            kind="objective_evidence",
            reason="case",
            review_on=(T0 + timedelta(days=300)).date(),
            traveller_id=traveller_id(store, "AAA111", "1"),
            now=T0,
        )
    at = add_months(T0, 7)
    run_retention(store, at, load_policy("eu"), vault=VAULT)
    query = SubjectQuery(surname="SMITH", given_names="ANNA", date_of_birth=BORN)
    with store.write() as conn:
        blind = find_subject(conn, query, by="dpo", role="dpo", now=at)
        seen = find_subject(conn, query, by="dpo", role="dpo", now=at, vault=VAULT)
        export = export_subject(conn, seen, by="dpo", role="dpo", now=at, vault=VAULT)
    assert blind.empty
    assert seen.masked_found == 2 and len(seen.travellers) == 1
    assert "P1234567" in export.to_json()


def test_document_search_matches_the_normalised_number_only(store: Store) -> None:
    """By document: the number as normalised (separators and case do not matter), whole
    (a number that merely ends the same is someone else), booked and on API lists."""
    longest = "L" + "123456789" * 4 + "012"  # 40 characters, as long as a number is stored
    bookings = (
        booking("DOC001", traveller("KOWALSKI", "JAN", ref="1", doc="x12-345 678")),
        booking("DOC002", traveller("NOWAK", "EWA", ref="1", doc="Y12345678")),
        booking("DOC003", traveller("LONG", "NUMBER", ref="1", doc=longest)),
    )
    push(st := store, pnr(*bookings, action=PushAction.FULL, fl=flight()), T0)
    push_api(st, api(api_traveller("KOWALSKI", "JAN", doc="X12345678"), fl=flight()), T0)

    def found(number: str) -> tuple[set[str], int]:
        with st.write() as conn:
            m = find_subject(conn, SubjectQuery(document=number), by="dpo", role="dpo", now=T0)
        ids = {booking_id(st, loc): loc for loc in ("DOC001", "DOC002", "DOC003")}
        return {ids[bid] for bid, _ref in m.travellers}, len(m.api_travellers)

    assert found("X 1234-5678") == ({"DOC001"}, 1)
    assert found("12345678") == (set(), 0)
    assert found(longest.lower()) == ({"DOC003"}, 0)
    assert found("Y12345678") == ({"DOC002"}, 0)
