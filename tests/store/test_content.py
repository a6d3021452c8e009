"""``content_json`` writes exactly ``canonical_json``'s text (stored hashes stay valid)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum, IntEnum
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from paxwatch.formats.reader import read_message
from paxwatch.model import ApiMessage, Booking, Gender, PnrMessage
from paxwatch.privacy.minimise import minimise_message
from paxwatch.store.content import content_json
from paxwatch.store.keys import canonical_json
from paxwatch.store.versions import booking_digests
from tests.store.factory import booking, pnr, traveller
from tests.strategies import pnr_messages


@given(pnr_messages(max_bookings=3))
@settings(max_examples=60, deadline=None)
def test_generated_bookings(message: PnrMessage) -> None:
    for b in message.bookings:
        assert content_json(b) == canonical_json(b)


def test_real_samples(shared_data: Path) -> None:
    paths = sorted((shared_data / "samples").rglob("*"))
    seen = api_seen = 0
    for path in paths:
        if not path.is_file() or path.suffix == ".md":
            continue
        for message in read_message(path.read_bytes()).messages:
            if isinstance(message, ApiMessage):
                # api_write stores each traveller and the reporting party this way too
                for value in (*message.travellers, message.reporting_party):
                    assert content_json(value) == canonical_json(value), path.name
                    api_seen += 1
            if not isinstance(message, PnrMessage):
                continue
            for b in (*message.bookings, *minimise_message(message).message.bookings):
                assert content_json(b) == canonical_json(b), path.name
                seen += 1
    assert seen > 20
    assert api_seen > 20


class _Colour(Enum):
    RED = 'réd "x"'


class _Size(IntEnum):
    BIG = 3


@dataclass(frozen=True)
class _Odd:
    """Values the model rarely or never holds: each must still be written the same."""

    text: str = ""
    zero: int = 0
    no: bool = False
    yes: bool = True
    ratio: float | None = None
    amount: Decimal | None = None
    colour: _Colour | None = None
    size: _Size | None = None
    items: tuple[object, ...] = ()
    listed: list[object] = dataclasses.field(default_factory=list)
    mapping: dict[str, object] | None = None
    when: datetime | None = None
    day: date | None = None


def test_odd_values() -> None:
    values = [
        _Odd(),
        _Odd(
            text='a "quoted" \\ line\nwith é, ü, \u2028 and \x00',
            zero=0,
            no=False,
            ratio=1.5,
            amount=Decimal("12.50"),
            colour=_Colour.RED,
            size=_Size.BIG,
            items=(None, "", (), 0, False, 2.0, Decimal("1"), _Colour.RED, Gender.FEMALE, (1, "x")),
            listed=[],
            mapping={"b": 1, "a": [None, "x"]},
            when=datetime(2026, 1, 2, 3, 4, 5, 6),
            day=date(2026, 1, 2),
        ),
        _Odd(ratio=float("nan"), when=datetime(2026, 1, 2, 3, 4)),
        _Odd(ratio=float("inf"), items=(_Odd(),), listed=[_Odd(text="x")]),
        [1, "x", None],
        (),
    ]
    for value in values:
        assert content_json(value) == canonical_json(value)


def test_digest_is_the_hash_of_the_canonical_text() -> None:
    """A resend changes nothing and a change makes a new version: the digest of a booking
    is the SHA-256 of ``canonical_json``, as for the versions stored before."""
    import hashlib

    b = booking("ABC123", traveller("SMITH", "JOHN"))
    (digest,) = booking_digests(pnr(b))
    text = canonical_json(b)
    assert digest[2] == text
    assert digest[3] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    changed = dataclasses.replace(b, group_name="TOUR")
    assert booking_digests(pnr(changed))[0][3] != digest[3]
    assert booking_digests(pnr(b)) == (digest,)


@given(st.text(max_size=40))
@settings(max_examples=100, deadline=None)
def test_any_text(text: str) -> None:
    b = Booking(locator=text, group_name=text or None)
    assert content_json(b) == canonical_json(b)
