"""How often each name of a pool is drawn: long-tailed, Zipf-like weights.

Real name frequencies follow a power law over rank (Zipf), flattened at the very top
(Zipf–Mandelbrot: the share of rank r is proportional to ``(r + q) ** -s``): a few names are
borne by many people, most names by few. The parameters are read off the one table of
measured frequencies at hand, Faker's ``en_US`` (US Census surnames, SSA given names) and
``en_GB`` surnames, and are the same for every culture:

- given names: s = 1.0, q = 6.5 (SSA: the 1st name is 2.0–2.5 times the 10th, the 10th
  4.7–8.8 times the 100th; (r + 6.5)**-1 gives 2.2 and 6.5);
- surnames: s = 0.75, q = 1.4 (log-log slope 0.75 over the 1,000 US surnames, 0.69 over
  the 500 British ones; the 1st is 3.0–3.4 times the 10th, (r + 1.4)**-0.75 gives 3.2).

A pool holds only the head of a culture's names (tens to hundreds, where a population bears
thousands of given names and tens of thousands of surnames). The law over the *truncated*
pool would give its first name the share of everyone who bears a rarer name (a 400-surname
French pool would make MARTIN 4 % of the French, where it is ~0.3 %). So a pool of N names
ranked from common to rare gets the shares its ranks have in a population of M names, and
the rest of the population — the bearers of names the pool does not hold — is spread
evenly over the pool: the flattest honest stand-in for a tail we cannot name. M is chosen
so that the law's head covers what registers report: M = 3,400 given names (the 1,000
commonest then cover ~80 % of people; SSA: 75–90 % by decade) and M = 30,000 surnames
(the 1,000 commonest cover ~37 % and the first ~1.1 %; US Census: about 40 %, SMITH
0.9 %). With these the first given name is ~2.2 % of its sex, the first surname ~1.1 %.

Pools whose source order is not by frequency (alphabetical Faker tables) are ranked by a
fixed hash of each name: the shape of the law is real, which names are the common ones is
not known to the source and is arbitrary (but the same for every seed and every run).
Sources that carry measured weights (Faker's ``en_US``, ``en_GB`` surnames, ``zh_CN``
surnames, the Vietnamese family names of ``seeds_latin``) keep them.
"""

from __future__ import annotations

import hashlib
import math
import random
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

GIVEN_EXPONENT, GIVEN_OFFSET, GIVEN_POPULATION = 1.0, 6.5, 3_400
SURNAME_EXPONENT, SURNAME_OFFSET, SURNAME_POPULATION = 0.75, 1.4, 30_000


@dataclass(frozen=True, slots=True)
class Names:
    """Names with cumulative weights; ``draw`` is one ``random()`` and a bisection."""

    names: tuple[str, ...]
    cumulative: tuple[float, ...]

    def __len__(self) -> int:
        return len(self.names)

    def __bool__(self) -> bool:
        return bool(self.names)

    def draw(self, rng: random.Random) -> str:
        total = self.cumulative[-1]
        return self.names[bisect_right(self.cumulative, rng.random() * total)]

    def share(self, name: str) -> float:
        """The probability of drawing ``name`` (for tests and docs)."""
        total = self.cumulative[-1]
        out = 0.0
        for i, n in enumerate(self.names):
            if n == name:
                out += self.cumulative[i] - (self.cumulative[i - 1] if i else 0.0)
        return out / total


EMPTY = Names((), ())


def _harmonic(n: int, s: float, q: float) -> float:
    """sum of (r + q) ** -s for r in 1..n (exact to 2,000, then the integral of the rest)."""
    head = math.fsum((r + q) ** -s for r in range(1, min(n, 2000) + 1))
    if n <= 2000:
        return head
    a, b = 2000.5 + q, n + 0.5 + q
    tail = (b ** (1 - s) - a ** (1 - s)) / (1 - s) if s != 1.0 else math.log(b / a)
    return float(head + tail)


def zipf_weights(n: int, exponent: float, population: int, offset: float = 0.0) -> list[float]:
    """Shares of ranks 1..n of a Zipf–Mandelbrot law over ``population`` names, the rest of
    the population spread evenly over the n."""
    z = _harmonic(max(population, n), exponent, offset)
    head = [(r + offset) ** -exponent / z for r in range(1, n + 1)]
    rest = max(0.0, 1.0 - math.fsum(head)) / n if n else 0.0
    return [h + rest for h in head]


def _hash_rank(name: str) -> bytes:
    return hashlib.sha1(name.encode("utf-8")).digest()


def ranked(names: list[str] | tuple[str, ...], kind: str, *, ordered: bool) -> Names:
    """Zipf weights for ``names``; ``ordered``: the list is from common to rare.

    ``kind`` is ``given`` or ``surname``. Duplicates (the same name listed twice) are kept
    at their first rank.
    """
    seen: dict[str, None] = {}
    for n in names:
        seen.setdefault(n, None)
    unique = list(seen)
    if not ordered:
        unique.sort(key=_hash_rank)
    s, q, m = (
        (GIVEN_EXPONENT, GIVEN_OFFSET, GIVEN_POPULATION)
        if kind == "given"
        else (SURNAME_EXPONENT, SURNAME_OFFSET, SURNAME_POPULATION)
    )
    return Names(tuple(unique), tuple(accumulate(zipf_weights(len(unique), s, m, q))))


def weighted(pairs: list[tuple[str, float]]) -> Names:
    """Names with measured weights (any positive scale)."""
    return Names(tuple(n for n, _ in pairs), tuple(accumulate(w for _, w in pairs)))
