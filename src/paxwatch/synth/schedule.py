"""The day's flights: real airports and carriers, routes by region, times, aircraft, loads.

``build_schedule(config)`` returns every flight of the day in departure order. Each flight
has one end in the PIU country; domestic flights have both. Departure times follow the
daily waves of a hub (morning, midday and evening peaks); long-haul arrivals land in the
morning. The aircraft is the one that fits the distance, the passenger count its seats
times a load factor drawn around the configured mean.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from paxwatch.synth.config import SynthConfig
from paxwatch.synth.reference import (
    CARRIER_BY_CODE,
    CARRIERS,
    CODESHARE_PARTNERS,
    FLEET,
    HOME_WEIGHTS,
    REGION_SHARES,
    REGIONS,
    Aircraft,
    Airport,
    Carrier,
    _airports,
    airport,
    distance_km,
)


@dataclass(frozen=True, slots=True)
class ScheduledFlight:
    """One operated flight of the day (times are local at each airport)."""

    index: int
    carrier: str
    number: str
    origin: str
    destination: str
    departure: datetime
    arrival: datetime
    region: str
    direction: str  # departure / arrival / domestic (seen from the PIU country)
    equipment: str
    seats: int
    passengers: int
    codeshares: tuple[str, ...]
    distance_km: int

    @property
    def flight_id(self) -> str:
        return (
            f"{self.carrier}{self.number}-{self.departure:%Y%m%d}-{self.origin}{self.destination}"
        )

    @property
    def foreign(self) -> str:
        """The end of the flight outside the PIU country (the destination when domestic)."""
        return self.destination if self.direction == "departure" else self.origin

    @property
    def home(self) -> str:
        return self.origin if self.direction != "arrival" else self.destination


T = TypeVar("T")


class Weighted(Generic[T]):
    """Draws from weighted choices in O(log n) with a given ``random.Random``."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Sequence[tuple[T, float]]):
        kept = [(item, w) for item, w in pairs if w > 0]
        self.items = [item for item, _ in kept]
        self.cum: list[float] = []
        acc = 0.0
        for _, w in kept:
            acc += w
            self.cum.append(acc)
        self.total = acc

    def draw(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


def _known(pairs: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
    table = _airports()
    return [(code, w) for code, w in pairs if code in table and w > 0]


@lru_cache(maxsize=8)
def home_airports(country: str) -> tuple[tuple[str, float], ...]:
    """Airports of the PIU country with weights (equal weights when no table exists)."""
    if country in HOME_WEIGHTS:
        return tuple(_known(HOME_WEIGHTS[country]))
    table = _airports()
    codes = sorted(c for c, row in table.items() if row["country"] == country)
    if not codes:
        raise ValueError(f"airportsdata has no airport in country {country!r}")
    return tuple((c, 1.0) for c in codes)


def _aircraft(km: float, rng: random.Random, low_cost: bool) -> Aircraft:
    fits = [a for a in FLEET if a.max_km >= km * 1.05]
    if km < 3500:
        fits = [a for a in fits if a.seats <= 220]
        if low_cost:
            fits = [a for a in fits if a.code in ("320", "73H", "32N", "321", "319")]
    elif km < 6500:
        fits = [a for a in fits if 180 <= a.seats <= 300]
    else:
        fits = [a for a in fits if a.seats >= 250]
    # narrow-bodies of 140-190 seats dominate short haul; the A380 is rare
    weights = [3.0 if 140 <= a.seats <= 190 else 0.15 if a.seats > 500 else 1.0 for a in fits]
    return rng.choices(fits, weights)[0]


def _carrier(region: str, home: str, foreign: Airport, rng: random.Random) -> Carrier:
    local = [c for c in CARRIERS if c.country == foreign.country and region != "domestic"]
    if region == "domestic":
        pool = [("AF", 5.0), ("TO", 1.5), ("U2", 2.5), ("FR", 0.5), ("VY", 0.3)]
    elif region == "europe":
        pool = [("AF", 3.0), ("U2", 3.0), ("TO", 1.5), ("FR", 1.5), ("VY", 0.8)]
        pool += [(c.code, 3.0) for c in local]
    elif region == "maghreb":
        pool = [("AF", 1.5), ("TO", 2.0), ("U2", 0.5), ("FR", 0.5)]
        pool += [(c.code, 4.0) for c in local]
    else:
        pool = [("AF", 4.0)] + [(c.code, 3.0) for c in local]
        if foreign.country in ("RE", "GP", "MQ", "GF"):
            pool += [("SS", 2.0), ("TX", 2.0), ("UU", 1.0)]
        if region in ("middle_east", "asia", "africa"):
            pool += [("EK", 0.5), ("QR", 0.5), ("TK", 0.3)] if region != "africa" else []
    if home == "BVA":
        pool = [("FR", 5.0), ("W6", 0.0)]
    return CARRIER_BY_CODE[Weighted(pool).draw(rng)]


# Departure waves (local hour, weight) and long-haul arrival waves.
_DEP_WAVES = Weighted([(h, w) for h, w in enumerate(
    [0, 0, 0, 0, 0, 0.3, 3, 5, 5, 4, 3.5, 3.5, 4, 3.5, 3, 3.5, 4, 4.5, 4.5, 4, 3, 2.5, 1.5, 0.5]
)])  # fmt: skip
_LONG_ARR_WAVES = Weighted([(h, w) for h, w in enumerate(
    [0, 0, 0, 0, 0, 1, 4, 6, 5, 3, 2, 1.5, 1.5, 1.5, 2, 2, 2, 1.5, 1, 1, 0.5, 0.5, 0.3, 0.2]
)])  # fmt: skip


def _times(
    day: date,
    origin: Airport,
    destination: Airport,
    km: float,
    long_arrival: bool,
    rng: random.Random,
) -> tuple[datetime, datetime]:
    minutes = int(km / 800 * 60 + 35 + rng.randint(-5, 15))
    minutes -= minutes % 5
    o_tz, d_tz = ZoneInfo(origin.tz), ZoneInfo(destination.tz)
    if long_arrival:  # arrives today in the morning waves: departure may be yesterday
        arr_local = datetime.combine(day, time(_LONG_ARR_WAVES.draw(rng), 5 * rng.randrange(12)))
        arr_utc = arr_local.replace(tzinfo=d_tz)
        dep_local = (arr_utc - timedelta(minutes=minutes)).astimezone(o_tz)
        dep_local = dep_local.replace(tzinfo=None)
        if dep_local.date() == day:
            return dep_local, arr_local
    dep_local = datetime.combine(day, time(_DEP_WAVES.draw(rng), 5 * rng.randrange(12)))
    dep_utc = dep_local.replace(tzinfo=o_tz)
    arr_local = (dep_utc + timedelta(minutes=minutes)).astimezone(d_tz).replace(tzinfo=None)
    return dep_local, arr_local


def build_schedule(config: SynthConfig) -> list[ScheduledFlight]:
    """Every flight of the day, in order of departure then flight id."""
    rng = random.Random(f"{config.seed}|{config.day.isoformat()}|schedule")
    homes = Weighted(list(home_airports(config.country)))
    regions = Weighted(list(REGION_SHARES))
    region_airports = {r: Weighted(_known(pairs)) for r, pairs in REGIONS.items()}
    long_haul_homes = Weighted([("CDG", 8.0), ("ORY", 2.0), ("NCE", 0.6), ("LYS", 0.3)])
    numbers_used: set[tuple[str, str]] = set()
    drafts: list[ScheduledFlight] = []
    for _ in range(config.flights):
        region = regions.draw(rng)
        if region == "domestic":
            home = homes.draw(rng)
            other = homes.draw(rng)
            while other == home or {home, other} <= {"CDG", "ORY", "BVA"}:
                other = homes.draw(rng)
            foreign_code = other
        else:
            long_haul = region in ("asia", "americas") or (region in ("africa", "middle_east"))
            home = (
                long_haul_homes.draw(rng) if long_haul and rng.random() < 0.8 else homes.draw(rng)
            )
            foreign_code = region_airports[region].draw(rng)
        h_ap, f_ap = airport(home), airport(foreign_code)
        direction = "domestic" if region == "domestic" else rng.choice(("departure", "arrival"))
        origin, destination = (f_ap, h_ap) if direction == "arrival" else (h_ap, f_ap)
        carrier = _carrier(region, home, f_ap, rng)
        km = distance_km(origin, destination)
        craft = _aircraft(km, rng, carrier.low_cost)
        dep, arr = _times(
            config.day, origin, destination, km, direction == "arrival" and km > 4000, rng
        )
        while True:
            number = str(rng.randint(10, 999) if km > 2500 else rng.randint(1000, 8999))
            if (carrier.code, number) not in numbers_used:
                numbers_used.add((carrier.code, number))
                break
        load = min(1.0, max(0.35, rng.gauss(config.load_factor, 0.08)))
        partners = CODESHARE_PARTNERS.get(carrier.code, ())
        shares = tuple(sorted(rng.sample(partners, k=min(len(partners), rng.randint(0, 2)))))
        drafts.append(
            ScheduledFlight(
                index=0,
                carrier=carrier.code,
                number=number,
                origin=origin.code,
                destination=destination.code,
                departure=dep,
                arrival=arr,
                region=region,
                direction=direction,
                equipment=craft.code,
                seats=craft.seats,
                passengers=max(1, round(craft.seats * load)),
                codeshares=shares if not carrier.low_cost else (),
                distance_km=round(km),
            )
        )
    drafts.sort(key=lambda f: (f.departure, f.flight_id))
    return [_with_index(f, i) for i, f in enumerate(drafts)]


def _with_index(f: ScheduledFlight, i: int) -> ScheduledFlight:
    return replace(f, index=i)
