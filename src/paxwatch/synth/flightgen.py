"""Everyone booked on one flight: ordinary bookings around the planted ones.

``plan_flight`` draws the flight's bookings from its own random stream (seeded by the day
and flight id, so flights are independent and can be generated in any process), starting
with the special bookings decided for the day, then ordinary ones until the flight holds
its passenger count. Cancelled bookings come on top, as in real traffic.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from paxwatch.model.booking import Contact, FrequentFlyer, Leg, Payment
from paxwatch.model.common import Gender, PaymentMethod, TravellerType
from paxwatch.synth import bookings as bk
from paxwatch.synth.config import SynthConfig
from paxwatch.synth.population import ORIGIN_BY_KEY, ORIGINS, Person, draw_person, phone_for
from paxwatch.synth.reference import CARRIER_BY_CODE, airport
from paxwatch.synth.schedule import ScheduledFlight, Weighted, home_airports
from paxwatch.synth.specials import SpecialBooking, SpecialTraveller

LONG_HAUL_KM = 3000


@lru_cache(maxsize=512)
def origin_mixture(foreign_country: str, region: str) -> Weighted[str]:
    """Name origins on a flight: the general mix, boosted for the foreign end's country."""
    base = [(o.key, o.weight) for o in ORIGINS]
    total = sum(w for _, w in base)
    local = [o.key for o in ORIGINS if foreign_country in o.homes]
    if region == "domestic" or not local or local == ["fr"]:
        fr_boost = 2.0 if region == "domestic" else 1.0
        return Weighted([(k, w * (fr_boost if k == "fr" else 1.0)) for k, w in base])
    share = 0.55 if region in ("maghreb", "middle_east", "africa", "asia") else 0.35
    boost = total * share / (1 - share) / len(local)
    return Weighted([(k, w + (boost if k in local else 0.0)) for k, w in base])


@dataclass(slots=True)
class FlightPlan:
    """A flight and all its bookings, with the push times (stage i at ``stages[i]``)."""

    flight: ScheduledFlight
    bookings: list[bk.BookingPlan]
    stages: list[datetime]
    leg: Leg
    codeshare_numbers: dict[str, str]


def _lead_hours(kind: str, rng: random.Random) -> float:
    median_days = {"business": 4.0, "family": 60.0, "group": 100.0}.get(kind, 30.0)
    days = math.exp(rng.gauss(math.log(median_days), 1.1))
    return min(330 * 24.0, max(1.0, days * 24.0))


class _FlightBuilder:
    def __init__(self, config: SynthConfig, flight: ScheduledFlight):
        self.config = config
        self.f = flight
        self.rng = random.Random(f"{config.seed}|{config.day.isoformat()}|{flight.flight_id}")
        self.carrier = CARRIER_BY_CODE.get(flight.carrier)
        self.low_cost = self.carrier.low_cost if self.carrier else False
        self.long = flight.distance_km > LONG_HAUL_KM
        self.mix = origin_mixture(airport(flight.foreign).country, flight.region)
        rows = max(1, math.ceil(flight.seats / 6))
        self.seats = [f"{r}{c}" for r in range(1, rows + 1) for c in "ABCDEF"]
        self.rng.shuffle(self.seats)
        self.seat_i = 0
        self.pid_i = 0
        self.homes = [c for c, _ in home_airports(config.country)][:8]
        self.cs_numbers = {
            p: str(random.Random(f"{flight.flight_id}|cs|{p}").randint(3000, 9999))
            for p in flight.codeshares
        }
        self.leg = Leg(
            carrier=flight.carrier,
            number=flight.number,
            origin=flight.origin,
            destination=flight.destination,
            departure=flight.departure,
            arrival=flight.arrival,
            booking_class="Y",
            status="HK",
            equipment=flight.equipment,
        )
        self.closure = flight.departure - timedelta(minutes=20)
        self.stages = [
            flight.departure - timedelta(hours=h) if h else self.closure for h in config.push_hours
        ]
        self.first_stage = self.stages[0]

    def pid(self) -> str:
        self.pid_i += 1
        return f"{self.f.index:05d}-{self.pid_i:04d}"

    def next_seat(self) -> str:
        seat = self.seats[self.seat_i % len(self.seats)]
        self.seat_i += 1
        return seat

    def _times(self, t: bk.TravellerPlan, created: datetime) -> None:
        rng, dep = self.rng, self.f.departure
        online = dep - timedelta(seconds=int(rng.uniform(1.5, 30) * 3600))
        airport_ci = dep - timedelta(minutes=rng.randint(60, 150))
        r = rng.random()
        docs_share = 0.95 if self.long or self.f.region != "domestic" else 0.1
        if rng.random() < docs_share:
            t.docs_at = created if r < 0.4 else max(created, online if r < 0.8 else airport_ci)
        r = rng.random()
        t.seat_at = created if r < 0.25 else max(created, online if r < 0.8 else airport_ci)
        t.seat = self.next_seat()
        if rng.random() < 0.04:
            t.new_seat = self.next_seat()
        t.no_show = rng.random() < 0.03
        bag_p = 0.85 if self.long else 0.35
        t.bags = (1 + (rng.random() < 0.3)) if rng.random() < bag_p else 0
        if rng.random() < 0.02 and t.type == TravellerType.ADULT:
            t.wrong_name = (t.surname, _typo(t.given or t.surname, rng))
            span = max(60.0, (dep - timedelta(hours=2) - created).total_seconds())
            t.corrected_at = created + timedelta(seconds=int(rng.uniform(0, span)))

    def traveller(
        self,
        person: Person,
        ref: int,
        ttype: TravellerType,
        created: datetime,
        *,
        role: str = "normal",
        titles: bool = True,
        special: SpecialTraveller | None = None,
    ) -> bk.TravellerPlan:
        sur, given = person.booked_name()
        t = bk.TravellerPlan(person=person, ref=str(ref), type=ttype, role=role)
        t.surname = special.surname if special and special.surname is not None else sur
        t.given = special.given if special and special.given is not None else given
        t.title = bk.title_for(person, ttype) if titles and len(t.given) > 1 else None
        self._times(t, created)
        birth = special.birth if special and special.birth else person.birth
        t.doc = bk.document_of(person, birth, special.passport if special else None)
        if special and special.surname is not None:  # the variant identity is on the document
            t.doc = replace(t.doc, surname=t.surname, given_names=t.given)
        if special and special.no_birth:
            # no DOCS in any PNR push; the passport is still read at check-in, so the API
            # of a flight that has one (not domestic) carries its date of birth
            t.docs_at = None
        if special:
            t.labels = list(special.labels)
            t.entry_id = special.entry_id
            t.wrong_name = None
        return t

    def booking(
        self,
        kind: str,
        persons: list[tuple[Person, TravellerType]],
        special: SpecialBooking | None = None,
    ) -> bk.BookingPlan:
        rng, f = self.rng, self.f
        created = f.departure - timedelta(seconds=int(_lead_hours(kind, rng) * 3600))
        created = created.replace(second=0, microsecond=0)
        titles = rng.random() < 0.7
        travellers: list[bk.TravellerPlan] = []
        specials = special.travellers if special else ()
        for i, (p, ttype) in enumerate(persons):
            sp = specials[i] if i < len(specials) else None
            role = sp.role if sp else ("business" if kind == "business" else "normal")
            travellers.append(
                self.traveller(p, i + 1, ttype, created, role=role, titles=titles, special=sp)
            )
        adults = [t for t in travellers if t.type == TravellerType.ADULT]
        for t in travellers:
            if t.type == TravellerType.INFANT and adults:
                t.accompanying_ref = adults[0].ref
                t.seat = None
                t.new_seat = None
        channel = self._channel(kind)
        amount = bk.fare(f, kind, rng)
        legs, itinerary, codeshare = self._itinerary(kind)
        for t in travellers:
            if not self.low_cost:
                t.ticket = bk.ticket_for(legs[0].carrier, created.date(), amount, rng)
            if (kind == "business" and rng.random() < 0.8) or rng.random() < 0.08:
                t.ff = FrequentFlyer(
                    airline=f.carrier,
                    number=f"{rng.randrange(10**9, 10**10)}",
                    tier=rng.choice(("SILVER", "GOLD", "PLATINUM", None)),
                )
        lead = persons[0][0]
        plan = bk.BookingPlan(
            locator=bk.new_locator(rng),
            kind=kind,
            created_at=created,
            travellers=travellers,
            legs=legs,
            itinerary=itinerary,
            codeshare=codeshare,
            channel=channel,
            system=self.carrier.system if self.carrier else "1A",
            group_name=f"GRP{rng.randrange(100, 999)}" if kind == "group" else None,
        )
        plan.network_id = special.network_id if special else None
        plan.contacts = self._contacts(lead, special)
        plan.payments = self._payments(kind, channel, amount * len(persons), lead, special)
        plan.agency = bk.agency_for(rng, f.carrier, channel, "FRA")
        return plan

    def _channel(self, kind: str) -> str:
        r = self.rng.random()
        if kind == "business":
            return "agency" if r < 0.8 else "web"
        if self.low_cost:
            return "agency" if r < 0.05 else "web"
        return "agency" if r < 0.4 else "web" if r < 0.85 else "office"

    def _itinerary(self, kind: str) -> tuple[tuple[Leg, ...], str, bool]:
        rng, f = self.rng, self.f
        leg = self.leg
        codeshare = bool(self.cs_numbers) and rng.random() < 0.2
        if codeshare:
            partner = rng.choice(sorted(self.cs_numbers))
            leg = Leg(
                carrier=partner,
                number=self.cs_numbers[partner],
                origin=f.origin,
                destination=f.destination,
                departure=f.departure,
                arrival=f.arrival,
                operating_carrier=f.carrier,
                operating_number=f.number,
                booking_class="Y",
                status="HK",
                equipment=f.equipment,
            )
        legs: list[Leg] = [leg]
        itinerary = "direct"
        hub = f.carrier in ("AF", "KL") and f.region != "domestic"
        if hub and rng.random() < 0.25:
            before = f.direction == "departure"
            extra = bk.connection_leg(f, rng, before, self.homes)
            legs = [extra, leg] if before else [leg, extra]
            itinerary = "connecting"
        if rng.random() < (0.55 if kind == "business" else 0.4):
            days = rng.randint(0, 3) if kind == "business" else rng.randint(2, 21)
            legs.append(bk.return_leg(f, days, rng))
            itinerary += "+return"
        return tuple(legs), itinerary, codeshare

    def _contacts(self, lead: Person, special: SpecialBooking | None) -> tuple[Contact, ...]:
        rng = self.rng
        out: list[Contact] = []
        origin = ORIGIN_BY_KEY[lead.origin]
        country = origin.country
        phone = special.phone if special and special.phone else None
        if phone or rng.random() < 0.8:
            out.append(bk.phone_contact(phone or phone_for(country, rng)))
        email = special.email if special and special.email else None
        if email or rng.random() < 0.85:
            out.append(bk.email_contact(email or bk.email_for(lead, rng)))
        address = special.address if special else None
        if address is None and rng.random() < 0.1 and not self.low_cost:
            address = bk.address_for(origin.nationality, airport(self.f.home).city, rng)
        if address is not None:
            out.append(bk.address_contact(address))
        return tuple(out)

    def _payments(
        self,
        kind: str,
        channel: str,
        amount: Decimal,
        lead: Person,
        special: SpecialBooking | None,
    ) -> tuple[Payment, ...]:
        rng = self.rng
        if special and special.card:
            return (bk.card_payment(rng, amount, special.payer, special.card),)
        r = rng.random()
        if channel == "office" and r < 0.4:
            return (bk.other_payment(PaymentMethod.CASH, amount),)
        if kind == "business" and channel == "agency" and r < 0.6:
            return (bk.other_payment(PaymentMethod.INVOICE, amount),)
        if not self.low_cost and r > 0.97:
            return (bk.other_payment(PaymentMethod.MILES, amount),)
        sur, given = lead.booked_name()
        return (bk.card_payment(rng, amount, f"{given} {sur}".strip()),)

    def ordinary(self, kind: str) -> bk.BookingPlan:
        rng, day = self.rng, self.config.day
        origin = self.mix.draw(rng)
        lead = draw_person(rng, origin, self.pid(), day)
        persons: list[tuple[Person, TravellerType]] = [(lead, TravellerType.ADULT)]
        if kind == "couple":
            g = Gender.FEMALE if lead.gender == Gender.MALE else Gender.MALE
            same = lead.surname if rng.random() < 0.6 else None
            persons.append(
                (
                    draw_person(rng, origin, self.pid(), day, gender=g, surname=same),
                    TravellerType.ADULT,
                )
            )
        elif kind == "family":
            g = Gender.FEMALE if lead.gender == Gender.MALE else Gender.MALE
            persons.append(
                (
                    draw_person(rng, origin, self.pid(), day, gender=g, surname=lead.surname),
                    TravellerType.ADULT,
                )
            )
            for _ in range(rng.choice((1, 1, 2, 2, 2, 3, 4))):
                ttype = TravellerType.INFANT if rng.random() < 0.15 else TravellerType.CHILD
                kid = draw_person(
                    rng,
                    origin,
                    self.pid(),
                    day,
                    surname=lead.surname,
                    kind=ttype.value,
                    scheme=lead.scheme,
                )
                persons.append((kid, ttype))
        elif kind == "group":
            for _ in range(rng.randint(7, 24)):
                o = origin if rng.random() < 0.8 else self.mix.draw(rng)
                persons.append((draw_person(rng, o, self.pid(), day), TravellerType.ADULT))
        elif kind == "business" and rng.random() < 0.15:
            persons.append((draw_person(rng, origin, self.pid(), day), TravellerType.ADULT))
        return self.booking(kind, persons)


def _typo(name: str, rng: random.Random) -> str:
    """One keying error: a letter dropped, doubled, swapped with the next, or replaced."""
    if len(name) < 3:
        return name + name[-1:]
    i = rng.randrange(1, len(name) - 1)
    op = rng.randrange(4)
    if name[i] == " " or name[i + 1 : i + 2] == " ":
        op = 1
    if op == 0:
        return name[:i] + name[i + 1 :]
    if op == 1:
        return name[: i + 1] + name[i] + name[i + 1 :]
    if op == 2:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    letters = "AEIOUY" if name[i] in "AEIOUY" else "BCDFGHKLMNPRSTVZ"
    return name[:i] + rng.choice([c for c in letters if c != name[i]]) + name[i + 1 :]


def typo(name: str, rng: random.Random) -> str:
    return _typo(name, rng)


def plan_flight(
    config: SynthConfig, flight: ScheduledFlight, specials: tuple[SpecialBooking, ...]
) -> FlightPlan:
    """All bookings of ``flight`` (specials first), deterministic for the day and seed."""
    b = _FlightBuilder(config, flight)
    plans: list[bk.BookingPlan] = []
    seated = 0
    for sp in specials:
        persons = [(t.person, TravellerType.ADULT) for t in sp.travellers]
        plan = b.booking(sp.kind, persons, sp)
        plans.append(plan)
        seated += len(persons)
    kinds = Weighted(list(config.booking_mix))
    while seated < flight.passengers:
        kind = kinds.draw(b.rng)
        plan = b.ordinary(kind)
        room = flight.passengers - seated
        if len(plan.travellers) > room and kind != "solo":
            continue
        plans.append(plan)
        seated += len(plan.travellers)
    for _ in range(len(plans)):  # cancellations on top: ~5% of bookings
        if b.rng.random() < 0.05:
            extra = b.ordinary("solo")
            span = (flight.departure - timedelta(hours=3) - extra.created_at).total_seconds()
            offset = timedelta(seconds=int(b.rng.uniform(0, max(span, 60.0))))
            extra.cancelled_at = extra.created_at + offset
            plans.append(extra)
    plans.sort(key=lambda p: (p.created_at, p.locator))
    return FlightPlan(flight, plans, b.stages, b.leg, b.cs_numbers)
