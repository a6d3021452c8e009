"""Ground-truth records (``truth.jsonl``): one JSON object per line, ``type`` first.

Record types (documented in ``docs/synth.md``): ``config``, ``network``, ``flight``,
``booking``, ``traveller``, ``message``, ``summary``. Travellers carry their name in their
own script, their origin, the name as booked and as on the document, and, for planted
persons, decoys and network members, the watch-list entry and variant labels.
"""

from __future__ import annotations

import json
from typing import Any

from paxwatch.synth.bookings import BookingPlan, TravellerPlan
from paxwatch.synth.flightgen import FlightPlan
from paxwatch.synth.population import ORIGIN_BY_KEY


def dumps(record: dict[str, Any]) -> str:
    """One line of JSON, keys in insertion order, non-ASCII kept (native scripts)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str)


def flight_record(plan: FlightPlan, files: list[str]) -> dict[str, Any]:
    f = plan.flight
    return {
        "type": "flight",
        "flight_id": f.flight_id,
        "carrier": f.carrier,
        "number": f.number,
        "origin": f.origin,
        "destination": f.destination,
        "departure": f.departure.isoformat(timespec="minutes"),
        "arrival": f.arrival.isoformat(timespec="minutes"),
        "region": f.region,
        "direction": f.direction,
        "equipment": f.equipment,
        "seats": f.seats,
        "passengers": f.passengers,
        "codeshares": [f"{c}{n}" for c, n in sorted(plan.codeshare_numbers.items())],
        "pushes": [t.isoformat(timespec="minutes") for t in plan.stages],
        "files": files,
    }


def booking_record(plan: FlightPlan, b: BookingPlan) -> dict[str, Any]:
    lead_hours = (plan.flight.departure - b.created_at).total_seconds() / 3600
    return {
        "type": "booking",
        "flight_id": plan.flight.flight_id,
        "locator": b.locator,
        "kind": b.kind,
        "size": len(b.travellers),
        "created_at": b.created_at.isoformat(timespec="minutes"),
        "lead_hours": round(lead_hours, 1),
        "cancelled_at": b.cancelled_at.isoformat(timespec="minutes") if b.cancelled_at else None,
        "itinerary": b.itinerary,
        "codeshare": b.codeshare,
        "channel": b.channel,
        "payment": b.payments[0].method.value if b.payments else None,
        "network_id": b.network_id,
    }


def traveller_record(plan: FlightPlan, b: BookingPlan, t: TravellerPlan) -> dict[str, Any]:
    p = t.person
    origin = ORIGIN_BY_KEY[p.origin]
    doc_sur, doc_given = p.document_name()
    return {
        "type": "traveller",
        "traveller_id": f"{plan.flight.flight_id}/{b.locator}/{t.ref}",
        "person_id": p.pid,
        "flight_id": plan.flight.flight_id,
        "locator": b.locator,
        "ref": t.ref,
        "role": t.role,
        "traveller_type": t.type.value,
        "origin": p.origin,
        "origin_label": origin.label,
        "script": origin.script,
        "native_name": p.native_name,
        "native_given": list(p.given),
        "native_surname": list(p.surname),
        "scheme": p.scheme,
        "booked": {"surname": t.surname, "given_names": t.given},
        "booked_first": (
            {"surname": t.wrong_name[0], "given_names": t.wrong_name[1]} if t.wrong_name else None
        ),
        "document": {
            "surname": t.doc.surname if t.doc else doc_sur,
            "given_names": t.doc.given_names if t.doc else doc_given,
            "number": t.doc.number if t.doc else None,
            "date_of_birth": t.doc.date_of_birth.isoformat()
            if t.doc and t.doc.date_of_birth
            else None,
        },
        "true_birth": p.birth.isoformat(),
        "gender": p.gender.value,
        "nationality": p.nationality,
        "no_show": t.no_show,
        "cancelled": b.cancelled_at is not None,
        "entry_id": t.entry_id,
        "variants": t.labels,
        "network_id": b.network_id,
    }
