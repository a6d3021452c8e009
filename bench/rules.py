"""Targeting-rule throughput: 100 active rules over crafted traveller contexts.

Builds ``--pax`` travellers (default 50,000) from random but realistic bookings (a small
generator here; ``paxwatch.synth`` can replace it), times building their contexts, then
assesses every context against 100 varied valid rules compiled to closures. Baseline in the
same run: the tree-walking interpreter (``paxwatch.rules.interpret``) over a sample of the
same contexts, with the same rules; both must find the same hits.

    .venv/bin/python bench/rules.py [--pax 50000] [--rules 100] [--seed 7]

The last line is the headline; the goal is a France-scale day (550,000 travellers) against
100 rules in under 5 minutes.
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

from paxwatch.model import (
    Agency,
    ApiRole,
    ApiTraveller,
    Bag,
    Booking,
    Document,
    FrequentFlyer,
    Leg,
    Payment,
    PaymentMethod,
    Ticket,
    Traveller,
)
from paxwatch.rules.ast import Rule
from paxwatch.rules.check import CheckConfig, check_rule
from paxwatch.rules.context import BookingFacts, TravellerContext, build_context
from paxwatch.rules.evaluate import RuleSet
from paxwatch.rules.interpret import interpret_rule
from paxwatch.rules.parse import parse_rule

FRANCE_DAY = 550_000
GOAL_SECONDS = 300.0
FRENCH = ["CDG", "ORY", "NCE", "LYS", "MRS", "TLS", "BOD", "NTE"]
ABROAD = {
    "NG": ["LOS", "ABV"], "GH": ["ACC"], "SN": ["DSS"], "CI": ["ABJ"], "MA": ["CMN", "RAK"],
    "DZ": ["ALG"], "TN": ["TUN"], "TR": ["IST", "SAW", "GZT"], "AE": ["DXB"], "QA": ["DOH"],
    "US": ["JFK", "MIA", "LAX"], "CA": ["YUL"], "BR": ["GRU"], "CO": ["BOG"], "PE": ["LIM"],
    "CN": ["PEK"], "IN": ["DEL"], "TH": ["BKK"], "GB": ["LHR"], "RU": ["SVO"],
}  # fmt: skip
HUBS = ["IST", "DXB", "DOH", "CMN", "ADD", "FRA", "AMS", "MAD", "LHR"]
CARRIERS = ["AF", "TK", "EK", "QR", "AT", "ET", "LH", "KL", "IB", "BA", "DL"]
NATIONALITIES = ["FRA", "NGA", "GHA", "SEN", "CIV", "MAR", "DZA", "TUN", "TUR", "USA", "BRA",
                 "COL", "CHN", "IND", "GBR", "DEU", "ITA", "ESP"]  # fmt: skip
METHODS = [PaymentMethod.CARD] * 12 + [PaymentMethod.CASH, PaymentMethod.INVOICE,
                                       PaymentMethod.MILES, PaymentMethod.CHEQUE]  # fmt: skip


def _legs(rng: random.Random, departure: datetime) -> tuple[Leg, ...]:
    home = rng.choice(FRENCH)
    away = rng.choice(rng.choice(list(ABROAD.values())))
    route = [away, home] if rng.random() < 0.5 else [home, away]
    if rng.random() < 0.35:
        route.insert(1, rng.choice([h for h in HUBS if h not in route]))
    trips = [route]
    if rng.random() < 0.55:
        trips.append(route[::-1])
    legs: list[Leg] = []
    moment = departure
    for trip in trips:
        for origin, destination in pairwise(trip):
            arrival = moment + timedelta(minutes=rng.randint(60, 720))
            carrier = rng.choice(CARRIERS)
            operated = rng.choice(CARRIERS) if rng.random() < 0.15 else None
            legs.append(
                Leg(carrier=carrier, number=str(rng.randint(1, 9999)), origin=origin,
                    destination=destination, departure=moment, arrival=arrival,
                    operating_carrier=operated)
            )  # fmt: skip
            moment = arrival + timedelta(minutes=rng.randint(35, 600))
        moment += timedelta(days=rng.randint(2, 30))
    return tuple(legs)


def _traveller(rng: random.Random, ref: int, day: date) -> Traveller:
    born = day - timedelta(days=rng.randint(200, 80 * 365))
    nationality = rng.choice(NATIONALITIES)
    document = Document(
        type="P" if rng.random() < 0.8 else "I",
        number=str(rng.randint(10**7, 10**8)),
        issuing_country=nationality,
        nationality=nationality,
        date_of_birth=born,
        expiry=day + timedelta(days=rng.randint(-30, 3650)),
    )
    programmes: tuple[FrequentFlyer, ...] = ()
    if rng.random() < 0.25:
        tier = rng.choice(["BLUE", "SILVER", "GOLD", "PLATINUM"])
        programmes = (FrequentFlyer(airline=rng.choice(CARRIERS), number="1", tier=tier),)
    ticket = Ticket(
        number=str(rng.randint(10**12, 10**13)) if rng.random() < 0.9 else None,
        total_amount=Decimal(rng.randint(80, 6000)),
        currency=rng.choice(["EUR", "EUR", "EUR", "USD", "XOF", "NGN"]),
    )
    return Traveller(
        ref=str(ref), surname="X", date_of_birth=born, nationality=nationality,
        documents=(document,), frequent_flyers=programmes, tickets=(ticket,),
    )  # fmt: skip


def _booking(rng: random.Random, index: int) -> Booking:
    departure = datetime(2026, 12, 1, 6) + timedelta(minutes=rng.randint(0, 30 * 24 * 60))
    count = rng.choice([1, 1, 1, 1, 2, 2, 3, 4, 6])
    travellers = tuple(_traveller(rng, i + 1, departure.date()) for i in range(count))
    agency = Agency(iata_number=str(rng.randint(10**7, 10**8)), country=rng.choice(list(ABROAD)))
    return Booking(
        locator=f"B{index:07d}",
        created_at=departure - timedelta(hours=rng.expovariate(1 / 400)),
        travellers=travellers,
        legs=_legs(rng, departure),
        payments=(Payment(method=rng.choice(METHODS)),),
        agency=agency if rng.random() < 0.7 else None,
        group_name="GROUP" if count >= 6 else None,
    )


def _api(rng: random.Random, traveller: Traveller) -> ApiTraveller | None:
    if rng.random() < 0.4:
        return None
    bags = tuple(
        Bag(count=1, weight=Decimal(rng.randint(5, 32))) for _ in range(rng.choice([0, 1, 1, 2]))
    )
    seat = f"{rng.randint(1, 45)}{rng.choice('ABCDEF')}"
    return ApiTraveller(
        role=ApiRole.PASSENGER, surname="X", documents=traveller.documents, bags=bags, seat=seat
    )


def build_contexts(pax: int, seed: int) -> tuple[list[TravellerContext], float]:
    """``pax`` contexts (one traveller on one leg each) and the seconds spent building them."""
    rng = random.Random(seed)
    bookings: list[tuple[Booking, list[ApiTraveller | None], Booking | None]] = []
    total = 0
    while total < pax:
        book = _booking(rng, len(bookings))
        previous = None
        if rng.random() < 0.3:
            previous = Booking(locator=book.locator, legs=book.legs[:1], travellers=book.travellers)
        bookings.append((book, [_api(rng, t) for t in book.travellers], previous))
        total += len(book.travellers)
    started = time.perf_counter()
    contexts: list[TravellerContext] = []
    for book, apis, previous in bookings:
        facts = BookingFacts(book, previous)
        leg = book.legs[0]
        for traveller, api in zip(book.travellers, apis, strict=True):
            contexts.append(build_context(facts, traveller, leg, api))
    return contexts[:pax], time.perf_counter() - started


TEMPLATES = [
    "booking.lead_time_hours < {hours}",
    "booking.lead_time_days between {low} and {high}",
    "booking.payment in [{methods}]",
    "booking.payment = cash",
    "booking.one_way",
    "booking.travellers = 1",
    "booking.travellers >= {party}",
    "booking.ticket_price >= {price}",
    "booking.ticket_currency in [{currencies}]",
    "booking.changes >= 1",
    "not booking.ticketed",
    "booking.agency_country in [{countries}]",
    "traveller.age between {age_low} and {age_high}",
    "traveller.age < 18",
    "traveller.document_days_to_expiry < {expiry}",
    "traveller.document_type != P",
    "traveller.frequent_flyer_tier in [GOLD, PLATINUM]",
    "itinerary.origin in [{airports}]",
    "itinerary.destination in [{airports}]",
    "itinerary.via in [{hubs}]",
    "itinerary.countries in [{countries}]",
    "itinerary.min_connection_minutes < {minutes}",
    "itinerary.connections >= 1",
    "flight.codeshare",
    "flight.carrier in [{carriers}]",
    "api.checked_in and api.bags = 0",
    "api.bag_weight_kg > {weight}",
    "api.seat_row between 1 and {row}",
    "traveller.nationality in [{nationalities}] and booking.one_way",
]
EXONERATING = [
    "traveller.frequent_flyer",
    "booking.group",
    "booking.payment in [card] and booking.lead_time_days > 30",
    "traveller.age < 12",
    "api.present and api.bags >= 2",
]
OFFENCES = [
    "terrorism",
    "drug-trafficking",
    "trafficking-in-human-beings",
    "fraud",
    "money-laundering",
    "document-forgery",
    "facilitation-of-unauthorised-entry",
]


def _fill(rng: random.Random, template: str) -> str:
    def some(pool: list[str], most: int = 3) -> str:
        return ", ".join(rng.sample(pool, rng.randint(1, most)))

    airports = [a for codes in ABROAD.values() for a in codes] + FRENCH
    low = rng.randint(0, 20)
    age_low = rng.randint(0, 60)
    return template.format(
        hours=rng.choice([24, 48, 72, 96]), low=low, high=low + rng.randint(1, 10),
        methods=some(["cash", "cheque", "miles", "invoice", "card"], 2),
        party=rng.randint(2, 5), price=rng.choice([1000, 2000, 3000, 5000]),
        currencies=some(["EUR", "USD", "XOF", "NGN"], 2), countries=some(list(ABROAD)),
        age_low=age_low, age_high=age_low + rng.randint(5, 25), expiry=rng.choice([0, 30, 90]),
        airports=some(airports, 4), hubs=some(HUBS), minutes=rng.choice([45, 60, 90]),
        carriers=some(CARRIERS), weight=rng.choice([20, 30, 40]), row=rng.randint(3, 20),
        nationalities=some(["NG", "GH", "SN", "MA", "TR", "CO", "BR", "CN"]),
    )  # fmt: skip


def make_rules(count: int, seed: int, today: date) -> list[Rule]:
    """``count`` varied rules that all pass the static checks."""
    rng = random.Random(seed)
    review = today + timedelta(days=180)
    rules: list[Rule] = []
    for number in range(count):
        conditions = [_fill(rng, t) for t in rng.sample(TEMPLATES, rng.randint(3, 5))]
        if rng.random() < 0.2:  # some rules have an alternative inside
            alternative = _fill(rng, rng.choice(TEMPLATES))
            conditions[-1] = f"({conditions[-1]} or {alternative})"
        when = "\n  and ".join(conditions)
        unless = rng.sample(EXONERATING, rng.randint(0, 2))
        text = (
            f'rule B-{number:03d} "generated rule {number}"\n'
            f"  offence: {rng.choice(OFFENCES)}\n  author: bench.author\n  version: 1\n"
            f"  review: {review.isoformat()}\n  score: {rng.randint(5, 60)}\n  status: active\n"
            f"when\n  {when}\n" + (f"unless\n  {' or '.join(unless)}\n" if unless else "") + "end\n"
        )
        rule = parse_rule(text)
        issues = check_rule(rule, CheckConfig(today=today))
        assert not issues, f"{rule.id}: {issues}"
        rules.append(rule)
    return rules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pax", type=int, default=50_000)
    parser.add_argument("--rules", type=int, default=100)
    parser.add_argument("--baseline", type=int, default=5_000, help="contexts for the baseline")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs, best one kept")
    args = parser.parse_args()

    contexts, build_seconds = build_contexts(args.pax, args.seed)
    build_rate = len(contexts) / build_seconds
    print(f"contexts: {len(contexts):,} built in {build_seconds:.2f} s ({build_rate:,.0f}/s)")

    started = time.perf_counter()
    rules = make_rules(args.rules, args.seed, date(2026, 11, 27))
    ruleset = RuleSet(rules)
    print(f"rules: {len(rules)} parsed, checked, compiled in {time.perf_counter() - started:.2f} s")

    def timed_compiled(sample: list[TravellerContext]) -> tuple[float, int]:
        gc.collect()
        started = time.perf_counter()
        found = 0
        for ctx in sample:
            found += len(ruleset.evaluate(ctx))
        return time.perf_counter() - started, found

    def timed_closures(sample: list[TravellerContext]) -> tuple[float, int]:
        gc.collect()
        started = time.perf_counter()
        found = 0
        for ctx in sample:
            for compiled in ruleset.rules:
                found += compiled.evaluate(ctx) is not None
        return time.perf_counter() - started, found

    def timed_interpreter(sample: list[TravellerContext]) -> tuple[float, int]:
        gc.collect()
        started = time.perf_counter()
        found = sum(interpret_rule(rule, ctx) for ctx in sample for rule in rules)
        return time.perf_counter() - started, found

    # best of --repeat runs each: the machine may be shared, the minimum is the least disturbed
    seconds, hits = min(timed_compiled(contexts) for _ in range(args.repeat))
    rate = len(contexts) / seconds
    print(
        f"compiled: {len(contexts):,} pax x {len(rules)} rules in {seconds:.2f} s "
        f"= {rate:,.0f} pax/s, {hits:,} hits ({hits / len(contexts):.3f} per pax)"
    )
    plain_seconds, plain_hits = min(timed_closures(contexts) for _ in range(args.repeat))
    assert plain_hits == hits
    print(
        f"  same closures without the rule index: {plain_seconds:.2f} s "
        f"= {len(contexts) / plain_seconds:,.0f} pax/s"
    )
    sample = contexts[: args.baseline]
    naive_seconds, naive_hits = min(timed_interpreter(sample) for _ in range(args.repeat))
    naive_rate = len(sample) / naive_seconds
    same_hits = timed_compiled(sample)[1]
    assert naive_hits == same_hits, f"interpreter {naive_hits} hits, compiled {same_hits}"
    print(
        f"baseline (AST interpreter): {len(sample):,} pax in {naive_seconds:.2f} s "
        f"= {naive_rate:,.0f} pax/s, same {naive_hits:,} hits"
    )

    day_eval = FRANCE_DAY / rate
    day_build = FRANCE_DAY / build_rate
    verdict = "within" if day_eval + day_build < GOAL_SECONDS else "OVER"
    print(
        f"France day ({FRANCE_DAY:,} pax): build contexts {day_build:.0f} s + evaluate "
        f"{day_eval:.0f} s = {day_build + day_eval:.0f} s, {verdict} the "
        f"{GOAL_SECONDS / 60:.0f}-minute goal"
    )
    print(
        f"rules: {len(rules)} rules x {len(contexts):,} pax at {rate:,.0f} pax/s "
        f"(France day in {day_eval:.0f} s) = {rate / naive_rate:.1f}x AST interpreter"
    )


if __name__ == "__main__":
    main()
