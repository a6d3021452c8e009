"""``paxwatch serve`` loads the airports' time zones before serving (not on the first
booking read, while every client waits)."""

from __future__ import annotations

from paxwatch.cli.serve import warm_up
from paxwatch.store import flight_times


def test_warm_up_loads_the_airports() -> None:
    flight_times._zone.cache_clear()  # as in a new server process
    flight_times._zones.cache_clear()
    assert flight_times._zones.cache_info().currsize == 0
    warm_up()
    assert flight_times._zones.cache_info().currsize == 1
    assert "CDG" in flight_times._zones()
