"""From a flight's bookings to the messages a carrier sends: PNR pushes and API.

Each push time (T-72, T-48, T-24 and closure) gives one PNRGOV push of every booking active
then (MSG 22, full). On a configured share of flights the closure push carries only the
bookings that changed since the previous push (MSG 141). Pushes with more bookings than
``bookings_per_part`` are split into parts (UNH ``01:C`` … ``nn:F``). After check-in
closes, the carrier sends the API list (PAXLST) of the passengers who boarded, split the
same way, for every flight that is not domestic.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from paxwatch.model.api import ApiTraveller, ReportingParty
from paxwatch.model.booking import Booking, Document
from paxwatch.model.common import ApiRole, PushAction
from paxwatch.model.flight import Flight, FlightLeg
from paxwatch.model.message import ApiMessage, MessagePart, PnrMessage
from paxwatch.synth.bookings import render
from paxwatch.synth.config import SynthConfig
from paxwatch.synth.flightgen import FlightPlan
from paxwatch.synth.reference import CARRIER_BY_CODE

T = TypeVar("T")
RECIPIENT = {"FR": "FRAPIU"}


@dataclass(frozen=True, slots=True)
class OutMessage:
    """One message to deliver: its model, the push it belongs to, and its file stem."""

    model: PnrMessage | ApiMessage
    push: str  # T-72 … T0, or API
    syntax: str  # edifact / xml
    stem: str


def push_label(hours: int) -> str:
    return f"T-{hours}" if hours else "T0"


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    if not items:
        return [items]
    return [items[i : i + size] for i in range(0, len(items), size)]


def _parts(n: int, i: int) -> MessagePart | None:
    return None if n == 1 else MessagePart(number=i + 1, final=i == n - 1)


def flight_model(plan: FlightPlan) -> Flight:
    f = plan.flight
    return Flight(
        carrier=f.carrier,
        number=f.number,
        legs=(
            FlightLeg(
                origin=f.origin, destination=f.destination, departure=f.departure, arrival=f.arrival
            ),
        ),
    )


def _stem(plan: FlightPlan, push: str, part: int, parts: int) -> str:
    f = plan.flight
    tail = f"_p{part + 1:02d}of{parts:02d}" if parts > 1 else ""
    route = f"{f.origin}{f.destination}"
    return f"{f.carrier}{f.number.zfill(4)}_{f.departure:%Y%m%d}_{route}_{push}{tail}"


def pnr_messages(config: SynthConfig, plan: FlightPlan, rng: random.Random) -> Iterator[OutMessage]:
    """Every PNRGOV push of the flight, in time order."""
    f = plan.flight
    syntax = "xml" if rng.random() < config.xml_share else "edifact"
    changes_only = rng.random() < config.changes_only_share
    previous: dict[str, Booking] = {}
    flight = flight_model(plan)
    recipient = RECIPIENT.get(config.country, config.country + "PIU")
    last = len(plan.stages) - 1
    for s, at in enumerate(plan.stages):
        final = s == last
        current = {p.locator: render(p, at, final, plan.leg) for p in plan.bookings if p.active(at)}
        action = PushAction.FULL
        chosen = list(current.values())
        if final and changes_only and s > 0:
            action = PushAction.CHANGES
            chosen = [b for k, b in current.items() if previous.get(k) != b]
        previous = current
        label = push_label(config.push_hours[s])
        chunks = _chunks(chosen, config.bookings_per_part)
        for i, chunk in enumerate(chunks):
            yield OutMessage(
                model=PnrMessage(
                    version="13.1" if syntax == "edifact" else "16.1",
                    syntax=syntax,
                    sender=f.carrier,
                    recipient=recipient,
                    prepared_at=at,
                    reference=f"{f.index:05d}{s}{i + 1:02d}",
                    part=_parts(len(chunks), i),
                    action=action,
                    flight=flight,
                    declared_count=len(chunk),
                    bookings=tuple(chunk),
                ),
                push=label,
                syntax=syntax,
                stem=_stem(plan, label, i, len(chunks)),
            )


def api_travellers(plan: FlightPlan) -> list[ApiTraveller]:
    """Boarded passengers as the departure control system lists them."""
    f = plan.flight
    out: list[ApiTraveller] = []
    at = plan.stages[-1]
    for p in plan.bookings:
        if not p.active(at):
            continue
        for t in p.travellers:
            if t.no_show:
                continue
            sur, given = t.person.document_name()
            doc = t.doc
            out.append(
                ApiTraveller(
                    role=ApiRole.PASSENGER,
                    surname=doc.surname or sur if doc else sur,
                    given_names=(doc.given_names or given) if doc else given,
                    gender=t.person.gender,
                    date_of_birth=doc.date_of_birth if doc else None,
                    nationality=t.person.nationality,
                    embarkation=f.origin,
                    debarkation=f.destination,
                    documents=(
                        (
                            Document(
                                type="P",
                                number=doc.number,
                                issuing_country=doc.issuing_country,
                                expiry=doc.expiry,
                            ),
                        )
                        if doc
                        else ()
                    ),
                    seat=t.new_seat or t.seat,
                    booking_locator=p.locator,
                )
            )
    return out


def api_messages(config: SynthConfig, plan: FlightPlan) -> Iterator[OutMessage]:
    """The PAXLST of boarded passengers (not for domestic flights)."""
    f = plan.flight
    if f.region == "domestic":
        return
    travellers = api_travellers(plan)
    chunks = _chunks(travellers, config.api_per_part)
    carrier = CARRIER_BY_CODE.get(f.carrier)
    for i, chunk in enumerate(chunks):
        yield OutMessage(
            model=ApiMessage(
                version="D:05B",
                sender=f.carrier,
                recipient=RECIPIENT.get(config.country, config.country + "PIU"),
                prepared_at=f.departure + timedelta(minutes=10),
                reference=f"{f.index:05d}A{i + 1:02d}",
                part=_parts(len(chunks), i),
                document="745",
                reporting_party=ReportingParty(name=carrier.name.upper() if carrier else f.carrier),
                flights=(flight_model(plan),),
                travellers=tuple(chunk),
                declared_count=len(chunk),
            ),
            push="API",
            syntax="edifact",
            stem=_stem(plan, "API", i, len(chunks)),
        )
