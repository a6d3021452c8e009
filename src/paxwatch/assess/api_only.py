"""Assessment of API travellers that match no booking (issue 5: every passenger assessed).

A PAXLST traveller is normally assessed through the booked traveller it is correlated
with (``api_pnr_link``; ``screen.subject_of`` completes the booked traveller with the API
record). One that matches no booking on the flight — a crew member, a transit passenger,
a traveller whose PNR never arrived or whose names disagree too much to correlate — would
otherwise never be screened. Here it is assessed on its own:

- **screening** of ``Subject.from_api_traveller`` (names, date of birth, gender,
  nationality, documents as read at check-in) against the active lists;
- **rules** on ``rules.api_context.api_only_context``: the fields an API record gives
  (age, nationality, document, flight, bags, seat); booking and itinerary fields are
  unknown there, so a rule hits only when what the API record gives makes it hold.

Their hits carry ``api_traveller_id`` and neither ``traveller_id`` nor ``booking_id``;
``api_assessment`` records what ran on each (API traveller, flight), so each push of the
flight screens only the API travellers not yet assessed with the current lists and rules.

**When a booking arrives later** (or correlation links the API traveller on another push),
the booked traveller is assessed with the API record (``run.assess_pairs``), and
``api_merge.merge_linked`` settles the API-only hits of the API travellers now linked to it:
an unreviewed (``new``) one is ``superseded`` (the booked traveller's assessment raises the
hit again if the combined data still match); one a human already took, confirmed or
dismissed is **adopted** by the booked traveller (``traveller_id``/``booking_id`` set, its
review kept) and the booked assessment does not raise the same list entry or rule again on
that flight. Either way no second open hit is left for the same person.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, and_, exists, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from paxwatch.assess import rules as rules_
from paxwatch.assess import screen as screen_
from paxwatch.assess.hits import Candidate, HitKind, HitStatus
from paxwatch.assess.load import FlightInfo, Scope, _flights, within_scope
from paxwatch.model.api import ApiTraveller
from paxwatch.model.jsonable import from_jsonable
from paxwatch.rules import RuleSet
from paxwatch.rules.api_context import api_only_context
from paxwatch.screening.screen import Screener
from paxwatch.screening.subject import Subject
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_
from paxwatch.store.schema_privacy import masked_record

_CHUNK = 500


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadedApiTraveller:
    """One stored API traveller on one flight, with no booked traveller linked there."""

    api_traveller_id: int
    flight: FlightInfo
    api: ApiTraveller

    @property
    def name(self) -> str:
        return f"{self.api.given_names} {self.api.surname}".strip()


def api_subject(item: LoadedApiTraveller) -> Subject:
    """What screening looks at (``ref`` = ``api:<row id>``)."""
    return Subject.from_api_traveller(item.api, ref=f"api:{item.api_traveller_id}")


def _unlinked(flight_id: int) -> ColumnElement[bool]:
    af, link = s.api_traveller_flight, s.api_pnr_link
    return ~exists().where(
        and_(link.c.api_traveller_id == af.c.api_traveller_id, link.c.flight_id == flight_id)
    )


def pending_api_travellers(
    conn: Connection, flight_id: int, digests: Mapping[str, str], *, force: bool = False
) -> list[int]:
    """The API travellers of ``flight_id`` that match no booked traveller there and lack
    an assessment of one of ``digests`` (kind → digest of the list or rule set; ``force``:
    whether assessed or not), in id order. Depersonalised ones (past the masking date) are
    left out: there is nothing left to screen."""
    if not digests:
        return []
    af, aa, mr = s.api_traveller_flight, sa_.api_assessment, masked_record
    query = (
        select(af.c.api_traveller_id)
        .where(af.c.flight_id == flight_id, _unlinked(flight_id))
        .where(~exists().where(mr.c.api_traveller_id == af.c.api_traveller_id))
        .order_by(af.c.api_traveller_id)
    )
    if not force:
        missing = [
            ~exists().where(
                and_(
                    aa.c.api_traveller_id == af.c.api_traveller_id,
                    aa.c.flight_id == flight_id,
                    aa.c.kind == kind,
                    aa.c.digest == digest,
                )
            )
            for kind, digest in sorted(digests.items())
        ]
        query = query.where(or_(*missing))
    return [int(i) for i in conn.execute(query).scalars()]


def load_api_travellers(
    conn: Connection, flight_id: int, ids: Sequence[int]
) -> list[LoadedApiTraveller]:
    """The API travellers ``ids`` on ``flight_id`` as model objects (id order)."""
    flight = _flights(conn, [flight_id]).get(flight_id)
    if flight is None:
        return []
    a = s.api_traveller
    out: list[LoadedApiTraveller] = []
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), _CHUNK):
        rows = conn.execute(
            select(a.c.id, a.c.content)
            .where(a.c.id.in_(wanted[start : start + _CHUNK]))
            .order_by(a.c.id)
        )
        for api_id, content in rows:
            out.append(
                LoadedApiTraveller(
                    api_traveller_id=int(api_id),
                    flight=flight,
                    api=from_jsonable(ApiTraveller, json.loads(content)),
                )
            )
    return out


def screen_candidates(
    items: Sequence[LoadedApiTraveller], screener: Screener
) -> list[list[Candidate]]:
    """Screen each API traveller; per traveller, its hits to store (best first)."""
    out: list[list[Candidate]] = []
    for item in items:
        matches = screener.screen(api_subject(item)) if len(screener) else []
        out.append(
            [
                Candidate(
                    screen_.hit_of_match(
                        m,
                        flight_id=item.flight.flight_id,
                        traveller_id=None,
                        booking_id=None,
                        api_traveller_id=item.api_traveller_id,
                    ),
                    m,
                )
                for m in matches
            ]
        )
    return out


def rule_candidates(items: Sequence[LoadedApiTraveller], ruleset: RuleSet) -> list[list[Candidate]]:
    """Evaluate the rules on each API traveller's own context; per traveller, its hits."""
    out: list[list[Candidate]] = []
    for item in items:
        if not ruleset.rules:
            out.append([])
            continue
        f = item.flight
        ctx = api_only_context(
            item.api,
            carrier=f.carrier,
            number=f.number,
            origin=f.origin,
            destination=f.destination,
            day=f.departure_date,
            ref=f"api:{item.api_traveller_id}",
        )
        digest = api_subject(item).digest()
        out.append(
            [
                Candidate(
                    rules_.hit_of_rule(
                        h,
                        digest,
                        flight_id=f.flight_id,
                        traveller_id=None,
                        booking_id=None,
                        api_traveller_id=item.api_traveller_id,
                        subject_name=item.name,
                    )
                )
                for h in ruleset.evaluate(ctx)
            ]
        )
    return out


def supersede_api(
    conn: Connection,
    items: Sequence[LoadedApiTraveller],
    candidates: Sequence[Candidate],
    kinds: Sequence[HitKind],
    at: datetime,
) -> int:
    """Mark ``superseded`` the unreviewed API-only hits of ``items`` (of ``kinds``, the
    assessments that ran completely) that this assessment no longer reproduces."""
    if not items or not kinds:
        return 0
    h = sa_.hit
    kept = {c.hit.fingerprint for c in candidates}
    stale: list[int] = []
    flights = {i.flight.flight_id for i in items}
    ids = sorted({i.api_traveller_id for i in items})
    for start in range(0, len(ids), _CHUNK):
        rows = conn.execute(
            select(h.c.id, h.c.fingerprint).where(
                h.c.api_traveller_id.in_(ids[start : start + _CHUNK]),
                h.c.traveller_id.is_(None),
                h.c.flight_id.in_(sorted(flights)),
                h.c.status == HitStatus.NEW.value,
                h.c.kind.in_([k.value for k in kinds]),
            )
        )
        stale.extend(int(r.id) for r in rows if r.fingerprint not in kept)
    set_status_of(conn, stale, HitStatus.SUPERSEDED, at)
    return len(stale)


def set_status_of(conn: Connection, ids: Sequence[int], status: HitStatus, at: datetime) -> None:
    h = sa_.hit
    for start in range(0, len(ids), _CHUNK):
        conn.execute(
            update(h)
            .where(h.c.id.in_(ids[start : start + _CHUNK]))
            .values(status=status.value, status_at=at)
        )


def record_api_assessments(
    conn: Connection, rows: Sequence[tuple[int, int, str, str, int]], at: datetime
) -> None:
    """Upsert (API traveller, flight, kind) → digest, hits, at."""
    if not rows:
        return
    values = [
        {"api_traveller_id": a, "flight_id": f, "kind": k, "digest": d, "hits": n, "at": at}
        for a, f, k, d, n in rows
    ]
    table = sa_.api_assessment
    keys = ["api_traveller_id", "flight_id", "kind"]
    if conn.dialect.name == "postgresql":
        pg = pg_insert(table)
        conn.execute(
            pg.on_conflict_do_update(
                index_elements=keys,
                set_={"digest": pg.excluded.digest, "hits": pg.excluded.hits, "at": pg.excluded.at},
            ),
            values,
        )
    else:
        lite = sqlite_insert(table)
        conn.execute(
            lite.on_conflict_do_update(
                index_elements=keys,
                set_={
                    "digest": lite.excluded.digest,
                    "hits": lite.excluded.hits,
                    "at": lite.excluded.at,
                },
            ),
            values,
        )


def api_scope_flights(conn: Connection, scope: Scope) -> list[int]:
    """The flights of ``scope`` with an API traveller matching no booked traveller there."""
    f, af, link = s.flight, s.api_traveller_flight, s.api_pnr_link
    query = (
        select(af.c.flight_id)
        .join(f, f.c.id == af.c.flight_id)
        .where(
            ~exists().where(
                and_(
                    link.c.api_traveller_id == af.c.api_traveller_id,
                    link.c.flight_id == af.c.flight_id,
                )
            )
        )
        .distinct()
    )
    query = within_scope(query, scope, af.c.flight_id)
    return sorted(int(i) for i in conn.execute(query).scalars())
