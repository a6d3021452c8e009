"""API travellers that match no booking are assessed on their own (issue 5: every
passenger), through the ingest pipeline and its hook, on SQLite and PostgreSQL: a listed
crew member or a passenger whose PNR never arrived raises a hit keyed by the API
traveller; a PNR that arrives later and is correlated leaves no second open hit."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from paxwatch.assess.hits import HitKind, HitStatus, list_hits
from paxwatch.assess.hook import install
from paxwatch.assess.jobs import run_scope
from paxwatch.assess.load import Scope
from paxwatch.assess.rules import activate_rule, import_rules
from paxwatch.assess.run import current_assessors
from paxwatch.assess.watchlists import import_entries, set_active
from paxwatch.formats.paxlst_write import write_paxlst
from paxwatch.formats.pnrgov_write import write_pnrgov
from paxwatch.ingest import hooks, ingest_bytes
from paxwatch.ingest.pipeline import STORED
from paxwatch.model.api import ApiTraveller
from paxwatch.model.common import ApiRole
from paxwatch.privacy.subject_export import export_subject
from paxwatch.privacy.subject_requests import SubjectQuery, find_subject
from paxwatch.store import repository as repo
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from tests.assess.helpers import META, entry, push
from tests.store.factory import api, api_traveller, booking, pnr, traveller

BORN = date(1964, 7, 12)


def _listed(store: Store) -> None:
    import_entries(store, "NAT", [entry("E1", "DOE", "JOHN MICHAEL", BORN)], meta=META)
    set_active(store, "NAT", True, by="dpo")
    install(store)


def _ingest_api(store: Store, *travellers: ApiTraveller) -> int:
    result = ingest_bytes(store, write_paxlst(api(*travellers)).encode(), source="test")
    assert result.status == STORED
    return result.flight_ids[0]


def _api_id(store: Store, surname: str) -> int:
    with store.read() as conn:
        return int(
            conn.execute(
                select(s.api_traveller.c.id).where(s.api_traveller.c.surname == surname)
            ).scalar_one()
        )


def _open(store: Store) -> list[tuple[int | None, int | None, str]]:
    with store.read() as conn:
        return sorted(
            (h.traveller_id, h.api_traveller_id, h.status.value)
            for h in list_hits(conn)
            if h.status in (HitStatus.NEW, HitStatus.IN_REVIEW)
        )


def test_listed_passenger_without_a_booking_is_screened(store: Store) -> None:
    _listed(store)
    flight_id = _ingest_api(
        store,
        api_traveller("DOE", "JOHN MICHAEL", locator="NOPNR1", doc="P7654321", dob=BORN),
        api_traveller("ROE", "RICHARD", locator="NOPNR2", dob=date(1980, 1, 1)),
    )
    doe = _api_id(store, "DOE")
    with store.read() as conn:
        (hit,) = list_hits(conn)
        assessed = conn.execute(select(sa_.api_assessment)).all()
    assert hit.kind is HitKind.WATCHLIST and hit.status is HitStatus.NEW
    assert hit.api_only and hit.api_traveller_id == doe and hit.flight_id == flight_id
    assert hit.traveller_id is None and hit.booking_id is None
    assert hit.entry_id == "E1" and "DOE" in (hit.subject_name or "")
    assert {f.name: f for f in hit.features}["dob"].detail.startswith("exact")
    # Both API travellers were screened once (the one without a hit too).
    screened = {r.api_traveller_id for r in assessed if r.kind == "screening"}
    assert screened == {doe, _api_id(store, "ROE")}
    # A resend of the list (new API traveller rows, same person) raises nothing new.
    same = api_traveller("DOE", "JOHN MICHAEL", locator="NOPNR1", doc="P7654321", dob=BORN)
    ingest_bytes(
        store,
        write_paxlst(dataclasses.replace(api(same), reference="API2")).encode(),
        source="test",
    )
    with store.read() as conn:
        assert len(list_hits(conn)) == 1


def test_listed_crew_member_is_screened(store: Store) -> None:
    _listed(store)
    crew = dataclasses.replace(
        api_traveller("DOE", "JOHN MICHAEL", doc="C1234567", dob=BORN), role=ApiRole.CREW
    )
    _ingest_api(store, crew)
    with store.read() as conn:
        (hit,) = list_hits(conn)
    assert hit.api_traveller_id == _api_id(store, "DOE") and hit.traveller_id is None


def test_a_later_booking_supersedes_the_unreviewed_api_hit(store: Store) -> None:
    _listed(store)
    _ingest_api(store, api_traveller("DOE", "JOHN MICHAEL", locator="ABC123", dob=BORN))
    doe = _api_id(store, "DOE")
    assert _open(store) == [(None, doe, "new")]
    booked = pnr(booking("ABC123", traveller("DOE", "JOHN MICHAEL", dob=BORN)))
    ingest_bytes(store, write_pnrgov(booked).encode(), source="test")
    with store.read() as conn:
        hits = sorted(list_hits(conn), key=lambda h: h.id)
    assert [h.status for h in hits] == [HitStatus.SUPERSEDED, HitStatus.NEW]
    assert hits[1].traveller_id is not None and hits[1].booking_id is not None
    assert len(_open(store)) == 1


@pytest.mark.parametrize("status", [HitStatus.IN_REVIEW, HitStatus.DISMISSED])
def test_a_later_booking_adopts_a_reviewed_api_hit(store: Store, status: HitStatus) -> None:
    """An analyst took (or dismissed) the API-only hit; the booking arrives: the hit moves
    to the booked traveller with its review, and the same entry is not raised again."""
    _listed(store)
    flight_id = _ingest_api(store, api_traveller("DOE", "JOHN MICHAEL", locator="ABC123"))
    with store.write() as conn:
        conn.execute(update(sa_.hit).values(status=status.value))
    booked = pnr(booking("ABC123", traveller("DOE", "JOHN MICHAEL", dob=BORN)))
    ingest_bytes(store, write_pnrgov(booked).encode(), source="test")
    with store.read() as conn:
        (hit,) = list_hits(conn)
        tid = conn.execute(select(s.traveller.c.id)).scalar_one()
    assert hit.status is status and hit.traveller_id == tid
    assert hit.api_traveller_id == _api_id(store, "DOE") and not hit.api_only
    assert hit.flight_id == flight_id and hit.booking_id is not None


def test_a_link_made_without_a_new_booking_version_is_settled(store: Store) -> None:
    """The booking was stored without the hook (or an earlier push did not correlate); the
    next call of the hook for the flight finds the API-only hit of the now linked API
    traveller and assesses the booked traveller again: the API-only hit is superseded."""
    _listed(store)
    flight_id = _ingest_api(store, api_traveller("DOE", "JOHN MICHAEL", locator="ABC123"))
    push(store, pnr(booking("ABC123", traveller("DOE", "JOHN MICHAEL", dob=BORN))))
    with store.write() as conn:
        repo.correlate_flight(conn, flight_id, utcnow())
    hooks.notify(flight_id, ())
    with store.read() as conn:
        hits = sorted(list_hits(conn), key=lambda h: h.id)
    assert [(h.status, h.api_only) for h in hits] == [
        (HitStatus.SUPERSEDED, True),
        (HitStatus.NEW, False),
    ]


def test_api_only_rules_read_only_what_the_api_record_gives(store: Store) -> None:
    review = (date.today() + timedelta(days=90)).isoformat()
    text = f"""
rule R-0001 "Checked in at London"
  offence: drug-trafficking
  author: a.martin
  version: 1
  review: {review}
  score: 40
when
  flight.origin in [LHR] and api.checked_in
end

rule R-0002 "Card payment at London"
  offence: drug-trafficking
  author: a.martin
  version: 1
  review: {review}
  score: 40
when
  flight.origin in [LHR] and booking.payment in [card]
end
"""
    import_rules(store, text, by="a.martin")
    activate_rule(store, "R-0001", by="b.chef", roles={"supervisor"})
    activate_rule(store, "R-0002", by="b.chef", roles={"supervisor"})
    install(store)
    _ingest_api(store, api_traveller("ROE", "RICHARD", locator="NOPNR1"))
    with store.read() as conn:
        (hit,) = list_hits(conn)
    assert hit.kind is HitKind.RULE and hit.rule_id == "R-0001" and hit.api_only
    assert hit.subject_name == "RICHARD ROE"


def test_rescreening_a_scope_covers_api_travellers(store: Store) -> None:
    _ingest_api(store, api_traveller("DOE", "JOHN MICHAEL", locator="NOPNR1", dob=BORN))
    with store.read() as conn:
        assert list_hits(conn) == []
    import_entries(store, "NAT", [entry("E1", "DOE", "JOHN MICHAEL", BORN)], meta=META)
    set_active(store, "NAT", True, by="dpo")
    counts = run_scope(store, Scope(), current_assessors(store))
    assert counts.watchlist_hits == 1
    with store.read() as conn:
        (hit,) = list_hits(conn)
    assert hit.api_traveller_id == _api_id(store, "DOE")


def test_the_api_only_hit_is_in_the_data_subjects_export(store: Store) -> None:
    """A DPO answering an access request sees the hit raised on an API traveller who
    matched no booking (it has no booked traveller to hang from)."""
    _listed(store)
    _ingest_api(
        store,
        api_traveller("DOE", "JOHN MICHAEL", locator="NOPNR1", doc="P7654321", dob=BORN),
        api_traveller("ROE", "RICHARD", locator="NOPNR2", dob=date(1980, 1, 1)),
    )
    now = utcnow()
    with store.write() as conn:
        (hit,) = list_hits(conn)
        found = find_subject(
            conn, SubjectQuery(surname="doe", date_of_birth=BORN), by="dpo", role="dpo", now=now
        )
        roe = find_subject(
            conn,
            SubjectQuery(surname="roe", date_of_birth=date(1980, 1, 1)),
            by="dpo",
            role="dpo",
            now=now,
        )
        data = export_subject(conn, found, by="dpo", role="dpo", now=now).data
        other = export_subject(conn, roe, by="dpo", role="dpo", now=now).data
    assert found.travellers == () and found.api_travellers == (hit.api_traveller_id,)
    [listed] = data["api_travellers"]
    assert [(h["id"], h["kind"]) for h in listed["hits"]] == [(hit.id, "watchlist")]
    assert [a["hits"] for a in other["api_travellers"]] == [[]]
