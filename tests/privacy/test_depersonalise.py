"""Depersonalisation: no masked value is left in any column, JSON content or archive entry
(property test), the masked JSON still reads as a booking, and masked values are marked."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from paxwatch.assess.hits import HitFeature, HitKind, NewHit, insert_hits
from paxwatch.model import (
    Address,
    Booking,
    Contact,
    ContactKind,
    Payment,
    PaymentMethod,
    PushAction,
    Remark,
)
from paxwatch.model.jsonable import from_jsonable
from paxwatch.privacy.depersonalise import MASK, Vault, mask_booking_content, mask_hit_features
from paxwatch.privacy.policies import add_months, load_policy
from paxwatch.privacy.retention import run_retention, set_flag
from paxwatch.privacy.unmask import Actor, decide_unmasking, request_unmasking, unmask
from paxwatch.store import schema as s
from paxwatch.store.engine import Store
from paxwatch.store.keys import canonical_json
from tests.privacy.test_retention import T0
from tests.privacy.test_retention_support import (
    VAULT,
    flight,
    leaks,
    push,
    push_api,
    store,
    traveller_id,
)
from tests.store.factory import api, api_traveller, booking, pnr, traveller

__all__ = ["store"]

_LETTERS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=7, max_size=12)


@st.composite
def people(draw: st.DrawFn) -> dict[str, str]:
    """Distinctive values (a random tag keeps them apart from everything else stored)."""
    tag = draw(_LETTERS)
    digits = draw(st.integers(10**8, 10**9 - 1))
    return {
        "surname": f"Q{tag}",
        "given": f"Z{tag[::-1]}",
        "other": f"K{tag}X",
        "phone": f"+3361{digits}",
        "email": f"m{tag.lower()}@mail{digits}.example",
        "card": f"4{digits}{digits % 10000:04d}",
        "document": f"D{digits}",
        "street": f"{digits % 1000} RUE {tag}",
    }


def _booking(p: dict[str, str], locator: str) -> Booking:
    base = booking(
        locator,
        traveller(p["surname"], p["given"], ref="1", doc=p["document"]),
        traveller(p["other"], "EVE", ref="2"),
        phone=p["phone"],
        email=p["email"],
        remarks=(Remark(kind="UMNR", text=f"UMNR DELIVER TO {p['other']}"),),
    )
    address = Address(kind="billing", street=p["street"], city="PARIS", raw=p["street"])
    return Booking(
        **{
            **{f: getattr(base, f) for f in Booking.__dataclass_fields__},
            "group_name": f"GROUP {p['surname']}",
            "number_in_party": 2,
            "contacts": (
                *base.contacts,
                Contact(
                    kind=ContactKind.ADDRESS, value=p["street"], raw=p["street"], address=address
                ),
            ),
            "payments": (
                Payment(
                    method=PaymentMethod.CARD,
                    card_vendor="VI",
                    card_number=p["card"],
                    card_expiry="1229",
                    payer_name=f"{p['surname']} {p['given']}",
                    payer_phone=p["phone"],
                    billing_address=address,
                ),
            ),
        }
    )


def _needles(p: dict[str, str]) -> list[str]:
    return [
        p["surname"],
        p["given"],
        p["other"],
        p["phone"][3:],
        p["email"],
        p["card"],
        p["document"],
        p["street"],
    ]


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(p=people(), flagged=st.booleans())
def test_no_masked_value_survives_until_an_approved_unmasking(
    store: Store, p: dict[str, str], flagged: bool
) -> None:
    locator = uuid.uuid4().hex[:6].upper()
    body = json.dumps(p).encode()  # the archived message holds every value
    fl = flight(number=str(100 + len(p["surname"])))
    push(store, pnr(_booking(p, locator), action=PushAction.FULL, fl=fl), T0, body=body)
    push_api(
        store,
        api(api_traveller(p["surname"], p["given"], locator=locator, doc=p["document"]), fl=fl),
        T0,
        body=body,
    )
    assert leaks(store, [p["surname"]])  # stored before
    _plant_hit(store, locator, p)  # a hit keeps a snapshot of what was compared
    if flagged:
        with store.write() as conn:
            set_flag(
                conn,
                by="sue",
                role="supervisor",
                kind="objective_evidence",
                reason="evidence",
                review_on=(T0 + timedelta(days=365)).date(),
                traveller_id=traveller_id(store, locator, "1"),
                now=T0,
            )
    at = add_months(T0, 6) + timedelta(days=1)
    run_retention(store, at, load_policy("eu"), vault=VAULT)
    assert leaks(store, _needles(p)) == []
    if not flagged:
        return
    with store.read() as conn:
        bid = conn.execute(
            select(s.booking.c.id).where(s.booking.c.locator == locator)
        ).scalar_one()
    analyst, judge = (
        Actor(username="ana", role="analyst"),
        Actor(username="j", role="independent_approver"),
    )
    with store.write() as conn:
        rid = request_unmasking(
            conn,
            analyst,
            booking_ids=[bid],
            reason="r",
            legal_basis="l",
            offence="terrorism",
            valid_hours=2,
            now=at,
        )
        decide_unmasking(conn, rid, judge, approve=True, note="ok", now=at)
        [record] = unmask(conn, rid, analyst, vault=VAULT, now=at + timedelta(hours=1))
    full = json.dumps(record.content)
    assert p["surname"] in full and p["document"] in full
    assert [t["ref"] for t in record.content["travellers"]] == ["1"]  # the other one is gone
    assert leaks(store, _needles(p)) == []


def _plant_hit(store: Store, locator: str, p: dict[str, str]) -> None:
    tid = traveller_id(store, locator, "1")
    with store.write() as conn:
        row = conn.execute(
            select(s.traveller.c.booking_id, s.booking_flight.c.flight_id)
            .join(s.booking_flight, s.booking_flight.c.booking_id == s.traveller.c.booking_id)
            .where(s.traveller.c.id == tid)
        ).first()
        assert row is not None
        insert_hits(
            conn,
            [
                NewHit(
                    kind=HitKind.WATCHLIST,
                    traveller_id=tid,
                    booking_id=row.booking_id,
                    flight_id=row.flight_id,
                    score=0.9,
                    features=(
                        HitFeature(
                            name="name",
                            value=0.93,
                            weight=0.8,
                            detail=f"{p['surname']}~{p['surname']} 1.00",
                        ),
                        HitFeature(name="document", value=1.0, detail=f"{p['document']} exact"),
                    ),
                    algorithm_version="test",
                    fingerprint=uuid.uuid4().hex,
                    listed_name="LISTED PERSON",
                    subject_name=f"{p['given']} {p['surname']}",
                )
            ],
            T0,
        )


def test_hit_snapshots_keep_scores_and_lose_the_traveller() -> None:
    text = json.dumps(
        {
            "subject_name": "JOHN DOE",
            "listed_name": "JON DOE",
            "features": [
                {"name": "name", "value": 0.9, "weight": 0.8, "detail": "JOHN~JON 0.9"},
                {
                    "name": "traveller.nationality in [XXA]",
                    "field": "traveller.nationality",
                    "value": "XXA",
                    "held": True,
                },
            ],
        }
    )
    masked = json.loads(mask_hit_features(text))
    assert masked["subject_name"] == MASK and masked["listed_name"] == "JON DOE"
    name, rule = masked["features"]
    assert (name["value"], name["weight"], name["detail"]) == (0.9, 0.8, MASK)
    assert (rule["value"], rule["held"]) == (MASK, True)


def test_masked_content_reads_as_a_booking_and_keeps_the_itinerary() -> None:
    p = {
        "surname": "QTEST",
        "given": "ZTEST",
        "other": "KTESTX",
        "phone": "+33611",
        "email": "a@b.c",
        "card": "4111",
        "document": "D1",
        "street": "1 RUE X",
    }
    original = json.loads(canonical_json(_booking(p, "ABC123")))
    masked = mask_booking_content(original)
    rebuilt = from_jsonable(Booking, masked)
    assert rebuilt.travellers[0].surname == MASK and rebuilt.travellers[0].date_of_birth is None
    assert rebuilt.legs == from_jsonable(Booking, original).legs
    assert rebuilt.payments[0].amount == from_jsonable(Booking, original).payments[0].amount
    assert rebuilt.number_in_party is None and rebuilt.group_name == MASK
    assert rebuilt.travellers[0].seats == from_jsonable(Booking, original).travellers[0].seats
    assert rebuilt.travellers[0].documents[0].number == MASK


def test_vault_keys_rotate_and_a_wrong_key_fails() -> None:
    import pytest

    from paxwatch.privacy.depersonalise import VaultError

    old, new = Vault.generate_key(), Vault.generate_key()
    token = Vault([old]).seal(b"x")
    assert Vault([new, old]).open(token) == b"x"
    with pytest.raises(VaultError):
        Vault([new]).open(token)
