"""The dashboard's and the flights page's hit counts, counted by the database (SQLite and
PostgreSQL), against the hits the real assessment made."""

from __future__ import annotations

from paxwatch.assess import hits as ah
from paxwatch.review.decisions import dismiss, take
from paxwatch.stats.hit_counts import FlightHits, HitCount, hit_counts, hits_per_flight
from paxwatch.store.engine import Store
from tests.review.test_review import _hits, _who

OPEN = {ah.HitStatus.NEW.value, ah.HitStatus.IN_REVIEW.value}


def test_counts_per_list_status_and_flight(store: Store) -> None:
    first, second, _third = _hits(
        store, ("DOE", "JOHN MICHAEL"), ("DOE", "JOHN MICHAEL"), ("DOE", "JOHN MICHAEL")
    )
    alice = _who(store, "alice")
    take(store, alice, first)
    dismiss(store, alice, first, "name_only_common")
    take(store, alice, second)
    with store.read() as conn:
        flight_of = {h.id: h.flight_id for h in ah.list_hits(conn)}
        everything = sorted(hit_counts(conn), key=lambda c: c.status)
        one_flight = hit_counts(conn, {flight_of[first]})
        per_flight = hits_per_flight(conn, None, OPEN)
        chosen = hits_per_flight(conn, [flight_of[second]], OPEN)
        assert hit_counts(conn, set()) == [] and hits_per_flight(conn, [], OPEN) == {}
    assert everything == [
        HitCount("NAT", "dismissed", 1),
        HitCount("NAT", "in_review", 1),
        HitCount("NAT", "new", 1),
    ]
    assert one_flight == [HitCount("NAT", "dismissed", 1)]
    assert per_flight == {
        flight_of[first]: FlightHits(total=1, open=0),
        flight_of[second]: FlightHits(total=1, open=1),
        flight_of[_third]: FlightHits(total=1, open=1),
    }
    assert chosen == {flight_of[second]: FlightHits(total=1, open=1)}
