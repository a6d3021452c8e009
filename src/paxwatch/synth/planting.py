"""Deciding the day's special bookings before flights are generated (see ``watchlist``)."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from datetime import date

from paxwatch.model.watchlist import WatchlistEntry
from paxwatch.synth.bookings import address_for, email_for
from paxwatch.synth.config import SynthConfig
from paxwatch.synth.flightgen import typo
from paxwatch.synth.population import ORIGIN_BY_KEY, ORIGINS, Person, draw_person, phone_for
from paxwatch.synth.schedule import ScheduledFlight, Weighted, home_airports
from paxwatch.synth.specials import SpecialBooking, SpecialTraveller
from paxwatch.synth.watchlist import VARIANT_KINDS, _variant

JsonRecord = dict[str, object]
REGULAR_EPOCH = date(2026, 1, 1)  # regulars' identities do not depend on the day


def plan_specials(
    config: SynthConfig,
    schedule: list[ScheduledFlight],
    listed: list[tuple[WatchlistEntry, Person]],
) -> tuple[dict[int, list[SpecialBooking]], list[JsonRecord]]:
    """Special bookings per flight index, and the truth records only the plan knows."""
    rng = random.Random(f"{config.seed}|{config.day.isoformat()}|specials")
    by_flight: dict[int, list[SpecialBooking]] = defaultdict(list)
    records: list[JsonRecord] = []
    day = config.day
    if listed:
        n = min(config.scaled(config.plants_at_full_scale, len(VARIANT_KINDS) + 1), len(listed))
        chosen = rng.sample(range(len(listed)), n)
        native = [i for i in range(len(listed)) if listed[i][1].script != "Latn"]
        for k, idx in enumerate(chosen):
            first = VARIANT_KINDS[k % len(VARIANT_KINDS)]
            if first == "romanisation" and listed[idx][1].script == "Latn" and native:
                idx = rng.choice(native)  # another romanisation needs a non-Latin name
            entry, person = listed[idx]
            kinds: tuple[str, ...] = (first,)
            if first != "exact" and rng.random() < 0.4:
                second = rng.choice([v for v in VARIANT_KINDS if v not in ("exact", first)])
                kinds = (first, second)
            plant = _variant(kinds, person, rng, day, entry)
            travellers = [plant]
            kind = "solo"
            if rng.random() < 0.35:
                mate = draw_person(rng, person.origin, f"C{k:05d}", day)
                travellers.append(
                    SpecialTraveller(
                        person=mate,
                        role="companion",
                        labels=("cotraveller",),
                        entry_id=entry.entry_id,
                    )
                )
                kind = "couple"
            flight = rng.choice(schedule)
            by_flight[flight.index].append(SpecialBooking(flight.index, kind, tuple(travellers)))
        n_decoys = min(config.scaled(config.decoys_at_full_scale, 2), len(listed))
        for k, idx in enumerate(rng.sample(range(len(listed)), n_decoys)):
            entry, person = listed[idx]
            # A namesake: drawn like any traveller of the origin (own birthday, passport),
            # bearing the listed name.
            other = draw_person(rng, person.origin, f"D{k:05d}", day, gender=person.gender)
            decoy = replace(
                other,
                given=person.given,
                surname=person.surname,
                scheme=person.passport_scheme,
            )
            sur, given = decoy.document_name()
            near = rng.random() < 0.5
            st = SpecialTraveller(
                person=decoy,
                role="decoy",
                labels=("near_name" if near else "same_name",),
                surname=typo(sur, rng) if near else sur,
                given=given,
                entry_id=entry.entry_id,
            )
            flight = rng.choice(schedule)
            by_flight[flight.index].append(SpecialBooking(flight.index, "solo", (st,)))
    records += _networks(config, schedule, rng, by_flight)
    _regulars(config, schedule, by_flight)
    return by_flight, records


def _networks(
    config: SynthConfig, schedule: list[ScheduledFlight], rng: random.Random,
    by_flight: dict[int, list[SpecialBooking]],
) -> list[JsonRecord]:  # fmt: skip
    records: list[JsonRecord] = []
    day = config.day
    for k in range(config.scaled(config.networks_at_full_scale, 1)):
        nid = f"NET-{k:04d}"
        kind = ("phone", "card", "address")[k % 3]
        origin = rng.choice(ORIGINS)
        phone = phone_for(origin.country, rng)
        card = "X" * 12 + f"{rng.randrange(10000):04d}"
        address = address_for(origin.nationality, "PARIS", rng, "home")
        payer = " ".join(draw_person(rng, origin.key, "", day).booked_name()[::-1])
        value = {"phone": phone, "card": card, "address": address.street or ""}[kind]
        flights = sorted(rng.sample(range(len(schedule)), min(len(schedule), rng.randint(3, 6))))
        members = []
        for j, fi in enumerate(flights):
            o = rng.choice(ORIGINS).key
            st = SpecialTraveller(
                person=draw_person(rng, o, f"N{k:04d}{j}", day), role="network", labels=(kind,)
            )
            by_flight[fi].append(
                SpecialBooking(
                    fi,
                    "solo",
                    (st,),
                    phone=phone if kind == "phone" else None,
                    card=card if kind == "card" else None,
                    payer=payer if kind == "card" else None,
                    address=address if kind == "address" else None,
                    network_id=nid,
                )
            )
            members.append(schedule[fi].flight_id)
        records.append(
            {
                "type": "network",
                "network_id": nid,
                "shared": kind,
                "value": value,
                "facilitator": payer,
                "flights": members,
            }
        )
    return records


def _regulars(
    config: SynthConfig, schedule: list[ScheduledFlight],
    by_flight: dict[int, list[SpecialBooking]],
) -> None:  # fmt: skip
    """Business travellers of a pool fixed by the seed: each flies on ~12% of days."""
    by_home: dict[str, list[ScheduledFlight]] = defaultdict(list)
    for f in schedule:
        if f.region in ("domestic", "europe"):
            by_home[f.origin].append(f)
            by_home[f.destination].append(f)
    homes = Weighted(list(home_airports(config.country)))
    business_origins = Weighted(
        [("fr", 70.0), ("gb", 8.0), ("de", 8.0), ("us", 6.0), ("it", 4.0), ("es", 4.0)]
    )
    for i in range(config.scaled(config.business_pool_at_full_scale, 5)):
        prng = random.Random(f"{config.seed}|regular|{i}")
        home = homes.draw(prng)
        origin = business_origins.draw(prng)
        person = draw_person(prng, origin, f"R{i:06d}", REGULAR_EPOCH)
        phone = phone_for(ORIGIN_BY_KEY[origin].country, prng)
        email = email_for(person, prng)
        card = "X" * 12 + f"{prng.randrange(10000):04d}"
        drng = random.Random(f"{config.seed}|regular|{i}|{config.day.isoformat()}")
        if drng.random() >= 0.12 or not by_home.get(home):
            continue
        out = [f for f in by_home[home] if f.origin == home]
        if not out:
            continue
        first = drng.choice(out)
        trips = [first]
        back = [
            f
            for f in by_home[home]
            if f.destination == home
            and f.origin == first.destination
            and f.departure > first.arrival
        ]
        if back and drng.random() < 0.5:
            trips.append(drng.choice(back))
        for f in trips:
            st = SpecialTraveller(person=person, role="regular", labels=("regular",))
            by_flight[f.index].append(
                SpecialBooking(
                    f.index,
                    "business",
                    (st,),
                    phone=phone,
                    email=email,
                    card=card,
                    payer=" ".join(person.booked_name()[::-1]),
                )
            )
