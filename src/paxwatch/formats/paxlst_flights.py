"""The flights of a PAXLST message: TDT, and the stops (LOC) and times (DTM) that follow it.

A flight is a list of stops: LOC 125/5/005 (departure), 87/8/008 (arrival), 92 (routing)
and PT (port of transit) each add a stop, and the DTM after it gives its departure (189,
136) or arrival (232, 132). ``FlightDraft.build`` makes the legs from consecutive stops.
Handlers ``handler(state, segment)`` of ``paxlst_message.MessageReader``.
"""

from __future__ import annotations

import re
from typing import Final

from paxwatch.formats.edifact import Segment
from paxwatch.formats.paxlst_parts import FlightDraft, Stop, place
from paxwatch.formats.paxlst_state import MessageState
from paxwatch.formats.values import flight_number

__all__ = ["ARRIVAL_TIMES", "DEPARTURE_TIMES", "STOPS", "on_stop", "on_stop_time", "on_tdt"]

_FLIGHT: Final = re.compile(r"([A-Z0-9]{2}[A-Z]?) ?([0-9]{1,5}[A-Z]?)\Z")
_DEPARTURE_STOPS: Final = frozenset({"125", "5", "005"})
_ARRIVAL_STOPS: Final = frozenset({"87", "8", "008"})
_ROUTE_STOPS: Final = frozenset({"92", "PT"})
STOPS: Final = _DEPARTURE_STOPS | _ARRIVAL_STOPS | _ROUTE_STOPS
DEPARTURE_TIMES: Final = frozenset({"189", "136"})
ARRIVAL_TIMES: Final = frozenset({"232", "132"})


def on_tdt(r: MessageState, seg: Segment) -> None:
    """TDT: a new flight (``AA123``, or the number with the carrier in element 4 or 3)."""
    r.close_traveller()
    r.in_party = False
    r.skip_group = False
    raw = seg.get(1).strip().upper()
    match = _FLIGHT.match(raw)
    carrier_element = (seg.get(4) or seg.get(3)).strip().upper()
    if match and any(ch.isalpha() for ch in match.group(1)):
        carrier, raw_number = match.group(1), match.group(2)
    elif raw.isdigit() and carrier_element:
        carrier, raw_number = carrier_element, raw
    else:
        r.flight = None
        r.skip_flight = True
        r.error(
            seg,
            "bad-flight",
            f"has flight {raw[:12]!r}; expected carrier and number (AA123). The "
            "flight and its places were not read.",
        )
        return
    r.skip_flight = False
    r.flight = FlightDraft(carrier, flight_number(raw_number), raw_number, seg)
    r.flights.append(r.flight)


def on_stop(r: MessageState, seg: Segment) -> None:
    """A LOC that adds a stop to the flight being read."""
    flight = r.flight
    if flight is None or r.trav is not None or r.skip_group:
        if not r.skip_flight:
            r.outside(seg, "outside a flight (TDT) group")
        return
    value = place(seg.get(1))
    if not value:
        r.error(seg, "no-place", "has no place; not read.")
        return
    flight.stops.append(Stop(value, seg))


def on_stop_time(r: MessageState, seg: Segment, departure: bool) -> None:
    """A DTM giving the departure or arrival time of the last stop."""
    flight = r.flight
    if flight is None or not flight.stops or r.trav is not None:
        if not r.skip_flight:
            r.outside(seg, "without a place (LOC) before it")
        return
    when = r.read_datetime(seg)
    stop = flight.stops[-1]
    if departure:
        stop.departure = when
    else:
        stop.arrival = when
