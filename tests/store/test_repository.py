"""Repository functions on both databases, with model objects built directly."""

from __future__ import annotations

import json
from datetime import date

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from paxwatch.model import Finding, PushAction, Severity
from paxwatch.store import repository as repo
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from paxwatch.store.migrate import current_revision, head_revision
from paxwatch.store.schema import metadata
from tests.store.factory import api, api_traveller, booking, pnr, raw_id, traveller


def _push(store: Store, message: object, *, allow_cancel: bool = True) -> object:
    with store.write() as conn:
        return repo.write_pnr_message(
            conn,
            message,  # type: ignore[arg-type]
            raw_id=raw_id(conn),
            at=utcnow(),
            allow_cancel=allow_cancel,
        )


def test_migration_builds_the_schema_of_the_code(store: Store) -> None:
    assert current_revision(store) == head_revision()
    with store.read() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diffs == []


def test_versions_resend_and_difference(store: Store) -> None:
    first = _push(store, pnr(booking("ABC123", traveller("SMITH", seat="15A"))))
    assert (first.new_versions, first.unchanged) == (1, 0)  # type: ignore[attr-defined]
    again = _push(store, pnr(booking("ABC123", traveller("SMITH", seat="15A"))))
    assert (again.new_versions, again.unchanged) == (0, 1)  # type: ignore[attr-defined]
    changed = _push(store, pnr(booking("ABC123", traveller("SMITH", seat="22C"))))
    assert changed.new_versions == 1  # type: ignore[attr-defined]
    with store.read() as conn:
        [history] = repo.booking_history(conn, "abc123")
        flights = repo.list_flights(conn, date(2026, 12, 12))
        manifest = repo.flight_manifest(conn, flights[0].id)
    assert [v.version_no for v in history.versions] == [1, 2]
    assert history.versions[0].changes == ()
    [change] = history.versions[1].changes
    assert change.path == "travellers[ref=1].seats[0].seat"
    assert (change.before, change.after) == ('"15A"', '"22C"')
    assert manifest is not None
    assert [(t.surname, t.seat, t.version_no) for t in manifest.booked] == [("SMITH", "22C", 2)]
    assert flights[0].bookings == 1 and flights[0].booked_travellers == 1


def test_change_push_never_cancels(store: Store) -> None:
    _push(store, pnr(booking("AAA111"), booking("BBB222")))
    _push(store, pnr(booking("CCC333")))
    with store.read() as conn:
        manifest = repo.flight_manifest(conn, repo.list_flights(conn)[0].id)
    assert manifest is not None
    assert sorted({t.locator for t in manifest.booked}) == ["AAA111", "BBB222", "CCC333"]


def test_full_push_cancels_absent_bookings_once_complete(store: Store) -> None:
    _push(store, pnr(booking("AAA111"), booking("BBB222"), booking("CCC333")))
    full = PushAction.FULL
    p1 = _push(store, pnr(booking("AAA111"), action=full, part=(1, False), reference="F1"))
    assert p1.cancelled == 0  # type: ignore[attr-defined]
    # A change push during the full push: CCC333 is newer than the snapshot, kept.
    _push(store, pnr(booking("CCC333")))
    p2 = _push(store, pnr(booking("DDD444"), action=full, part=(2, True), reference="F1"))
    assert p2.cancelled == 1  # type: ignore[attr-defined]
    with store.read() as conn:
        manifest = repo.flight_manifest(conn, repo.list_flights(conn)[0].id)
        [history] = repo.booking_history(conn, "BBB222")
    assert manifest is not None
    assert sorted({t.locator for t in manifest.booked}) == ["AAA111", "CCC333", "DDD444"]
    assert manifest.cancelled_bookings == ("BBB222",)
    assert history.flights[0].status == "cancelled"
    # The cancelled booking comes back when a later push carries it.
    _push(store, pnr(booking("BBB222")))
    with store.read() as conn:
        manifest = repo.flight_manifest(conn, repo.list_flights(conn)[0].id)
    assert manifest is not None and manifest.cancelled_bookings == ()


def test_incomplete_or_unreliable_full_push_cancels_nothing(store: Store) -> None:
    _push(store, pnr(booking("AAA111"), booking("BBB222")))
    full = PushAction.FULL
    # Final part arrives but part 1 is missing.
    out = _push(store, pnr(booking("AAA111"), action=full, part=(2, True), reference="F2"))
    assert out.cancelled == 0  # type: ignore[attr-defined]
    # A single-part full push read with errors.
    out = _push(store, pnr(booking("AAA111"), action=full, reference="F3"), allow_cancel=False)
    assert out.cancelled == 0  # type: ignore[attr-defined]
    with store.read() as conn:
        manifest = repo.flight_manifest(conn, repo.list_flights(conn)[0].id)
    assert manifest is not None and manifest.cancelled_bookings == ()


def test_api_pnr_correlation_rules(store: Store) -> None:
    _push(
        store,
        pnr(
            booking("ABC123", traveller("SMITHJR", ref="1"), traveller("JONES", "ANN", ref="2")),
            booking("XYZ999", traveller("BROWN", "TOM", doc="P123456")),
            booking("QQQ111", traveller("GREEN", "EVA", dob=date(1990, 1, 2))),
            booking("LONELY", traveller("WHITE")),
        ),
    )
    message = api(
        api_traveller("JONES", "ANN", locator="ABC123"),
        api_traveller("SMITH", "JOHN", locator="ABC123"),
        api_traveller("BRAUN", "TOM", doc="P-123456"),
        api_traveller("GREEN", "EVA", dob=date(1990, 1, 2)),
        api_traveller("NOBODY", "X", dob=None),
    )
    with store.write() as conn:
        out = repo.write_api_message(conn, message, raw_id=raw_id(conn), at=utcnow())
        summary = repo.correlate_flight(conn, out.flight_ids[0], utcnow())
    assert (summary.linked, summary.unmatched_api, summary.unmatched_booked) == (4, 1, 1)
    with store.read() as conn:
        manifest = repo.flight_manifest(conn, out.flight_ids[0])
    assert manifest is not None
    rules = {t.surname: t.match_rule for t in manifest.api}
    assert rules == {
        "JONES": "locator+name",
        "SMITH": "locator",
        "BRAUN": "document",
        "GREEN": "name+dob",
        "NOBODY": None,
    }
    assert [t.surname for t in manifest.unmatched_booked] == ["WHITE"]
    assert [t.surname for t in manifest.unmatched_api] == ["NOBODY"]


def test_the_one_traveller_of_a_surname_is_not_linked_to_someone_else(store: Store) -> None:
    """A family booked under two spellings of its surname (MARZOUQI, MARZOUKI) and travelling
    under one: HAYAA's API record must not be linked to AYOUB, the booking's one MARZOUKI
    (she would carry his date of birth and passport into screening, and he would be left
    unlinked); she is linked to her own booked record once the others are placed."""
    _push(
        store,
        pnr(
            booking(
                "GPAYCU",
                traveller("MARZOUQI", "HAYAA", ref="1", dob=None),
                traveller("MARZOUKI", "AYOUB", ref="2", dob=date(1966, 12, 4)),
                traveller("MARZOUQI", "NOUR", ref="3", doc="N1", dob=date(2014, 3, 23)),
            ),
            booking("OTHERS", traveller("DUPONT", "JEAN", ref="1", dob=None)),
        ),
    )
    message = api(
        api_traveller("MARZOUKI", "HAYAA", locator="GPAYCU", dob=date(2005, 8, 10)),
        api_traveller("MARZOUKI", "AYOUB", locator="GPAYCU", dob=date(1966, 12, 4)),
        api_traveller("MARZOUKI", "NOUR", locator="GPAYCU", doc="N1", dob=date(2014, 3, 23)),
        # no date of birth booked: the first given names decide (J is JEAN's initial)
        api_traveller("DUPONT", "J", locator="OTHERS", dob=date(1970, 1, 1)),
    )
    with store.write() as conn:
        out = repo.write_api_message(conn, message, raw_id=raw_id(conn), at=utcnow())
        summary = repo.correlate_flight(conn, out.flight_ids[0], utcnow())
    assert (summary.linked, summary.unmatched_api, summary.unmatched_booked) == (4, 0, 0)
    with store.read() as conn:
        manifest = repo.flight_manifest(conn, out.flight_ids[0])
    assert manifest is not None
    booked = {t.traveller_id: (t.surname, t.given_names) for t in manifest.booked}
    links = {
        t.given_names: (booked[t.traveller_id], t.match_rule)
        for t in manifest.api
        if t.traveller_id is not None
    }
    assert links == {
        "AYOUB": (("MARZOUKI", "AYOUB"), "locator+name"),
        "NOUR": (("MARZOUQI", "NOUR"), "document"),
        "HAYAA": (("MARZOUQI", "HAYAA"), "locator"),
        "J": (("DUPONT", "JEAN"), "locator+name"),
    }


def test_identifiers_make_links_a_join(store: Store) -> None:
    _push(
        store,
        pnr(
            booking("AAA111", traveller("ONE", doc="X1"), email="Shared@Example.com"),
            booking("BBB222", traveller("TWO"), phone="0044 1753 637285"),
        ),
    )
    with store.read() as conn:
        phones = repo.find_identifier(conn, "phone", "+441753637285")
        cards = repo.find_identifier(conn, "card", "VI:XXXXXXXX1186")
        docs = repo.find_identifier(conn, "document", "P:GBR:X1")
        mails = repo.find_identifier(conn, "email", "shared@example.com")
    assert len({h.booking_id for h in phones}) == 2
    assert len({h.booking_id for h in cards}) == 2
    assert len(docs) == 1 and docs[0].traveller_id is not None
    assert len(mails) == 1


def test_quarantine_rows(store: Store) -> None:
    finding = Finding(severity=Severity.ERROR, code="unknown-format", message="not a message")
    with store.write() as conn:
        raw = raw_id(conn)
        repo.quarantine_raw(conn, raw, reason="unknown-format", findings=[finding], at=utcnow())
    with store.read() as conn:
        [item] = repo.list_quarantine(conn)
    assert item.reason == "unknown-format" and item.attempts == 1
    assert json.loads(item.findings_json)[0]["code"] == "unknown-format"
    with store.write() as conn:
        repo.resolve_quarantine(conn, raw, utcnow())
    with store.read() as conn:
        assert repo.list_quarantine(conn) == []
        assert len(repo.list_quarantine(conn, include_resolved=True)) == 1
