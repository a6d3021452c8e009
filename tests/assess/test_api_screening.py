"""Screening uses the API record of check-in: a booked traveller correlated with the API
traveller the carrier sent is screened with the date of birth, gender, nationality, names
and documents read from the travel document (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from paxwatch.assess.hits import HitKind, HitStatus, list_hits
from paxwatch.assess.hook import install
from paxwatch.assess.load import load_travellers
from paxwatch.assess.rules import activate_rule, import_rules
from paxwatch.assess.screen import subject_of
from paxwatch.assess.watchlists import import_entries, set_active
from paxwatch.formats.paxlst_write import write_paxlst
from paxwatch.formats.pnrgov_write import write_pnrgov
from paxwatch.ingest import hooks, ingest_bytes
from paxwatch.ingest.pipeline import STORED
from paxwatch.store.engine import Store
from tests.assess.helpers import META, entry, push, push_api
from tests.assess.test_assess import _rule_text
from tests.store.factory import api, api_traveller, booking, pnr, traveller

BORN = date(1964, 7, 12)


def _booked_without_dob(store: Store) -> tuple[int, tuple[int, ...]]:
    import_entries(store, "NAT", [entry("E1", "DOE", "JOHN MICHAEL", BORN)], meta=META)
    set_active(store, "NAT", True, by="dpo")
    install(store)
    fid, ids = push(store, pnr(booking("ABC123", traveller("DOE", "JOHN MICHAEL", dob=None))))
    hooks.notify(fid, ids)
    with store.read() as conn:
        (first,) = list_hits(conn)
    assert first.status is HitStatus.NEW
    assert {f.name: f for f in first.features}["dob"].detail.startswith("unknown")
    return fid, ids


def test_api_date_of_birth_rules_a_namesake_out(store: Store) -> None:
    fid, ids = _booked_without_dob(store)
    checked_in = api_traveller("DOE", "JOHN MICHAEL", locator="ABC123", dob=date(1990, 5, 5))
    assert push_api(store, api(checked_in)) == fid
    hooks.notify(fid, ids)  # the correlated travellers are assessed again
    with store.read() as conn:
        hits = list_hits(conn)
    assert [h.status for h in hits] == [HitStatus.SUPERSEDED]


def test_api_record_completes_the_hit(store: Store) -> None:
    fid, ids = _booked_without_dob(store)
    checked_in = api_traveller("DOE", "JOHN MICHAEL", locator="ABC123", doc="P7654321", dob=BORN)
    push_api(store, api(checked_in))
    with store.read() as conn:
        (item,) = load_travellers(conn, [(ids[0], fid)], api=True)
    subject = subject_of(item)
    assert subject.date_of_birth == BORN and subject.gender == "M"
    assert [d.number for d in subject.documents] == ["P7654321"]
    hooks.notify(fid, ids)
    with store.read() as conn:
        hits = sorted(list_hits(conn), key=lambda h: h.id)
    assert [h.status for h in hits] == [HitStatus.SUPERSEDED, HitStatus.NEW]
    assert {f.name: f for f in hits[1].features}["dob"].detail.startswith("exact")
    hooks.notify(fid, ids)  # nothing new: the same data hit the same entry once
    with store.read() as conn:
        assert len(list_hits(conn)) == 2


def test_api_list_at_ingest_assesses_the_booked_traveller_again(store: Store) -> None:
    """Through the ingest pipeline: the PNR push raises a name-only hit; the carrier's API
    list (same locator, another date of birth) is ingested and the hook rules it out."""
    import_entries(store, "NAT", [entry("E1", "DOE", "JOHN MICHAEL", BORN)], meta=META)
    set_active(store, "NAT", True, by="dpo")
    install(store)
    booked = pnr(booking("ABC123", traveller("DOE", "JOHN MICHAEL", dob=None)))
    first = ingest_bytes(store, write_pnrgov(booked).encode(), source="test")
    assert first.status == STORED
    with store.read() as conn:
        assert [h.status for h in list_hits(conn)] == [HitStatus.NEW]
    checked_in = api_traveller("DOE", "JOHN MICHAEL", locator="ABC123", dob=date(1990, 5, 5))
    listed = ingest_bytes(store, write_paxlst(api(checked_in)).encode(), source="test")
    assert listed.status == STORED and listed.assess and listed.assess[0][1]
    with store.read() as conn:
        assert [h.status for h in list_hits(conn)] == [HitStatus.SUPERSEDED]


def test_api_list_does_not_raise_a_rule_hit_again(store: Store) -> None:
    """Rules are assessed again with the API list too; a rule hit whose values did not
    change is not stored twice (its fingerprint names the booked traveller)."""
    import_rules(store, _rule_text(date.today() + timedelta(days=90)), by="a.martin")
    activate_rule(store, "R-0001", by="b.chef", roles={"supervisor"})
    install(store)
    no_ff = dataclasses.replace(traveller("ROE", ref="1"), frequent_flyers=())
    hooks.notify(*push(store, pnr(booking("ABC123", no_ff))))
    with store.read() as conn:
        (first,) = list_hits(conn, kind=HitKind.RULE)
    checked_in = api_traveller("ROE", "JOHN", locator="ABC123", doc="P1112223")
    listed = ingest_bytes(store, write_paxlst(api(checked_in)).encode(), source="test")
    assert listed.assess and listed.assess[0][1]  # the booked traveller was assessed again
    with store.read() as conn:
        assert [h.id for h in list_hits(conn, kind=HitKind.RULE)] == [first.id]
