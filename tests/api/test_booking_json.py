"""The booking answer is built without a pydantic model per version (``lookup_json``): it
must be the JSON that ``BookingLookup`` of ``BookingOut.of`` gives, depersonalised values
masked alike."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic_core import to_json

from paxwatch.api.bookings import lookup_json, masked_json_answer
from paxwatch.api.models import BookingLookup, BookingOut
from paxwatch.api.reads import DEPERSONALISED, masked_answer
from paxwatch.store.records import BookingFlightStatus, BookingHistory, BookingVersionInfo, Change

T0 = datetime(2026, 12, 12, 9, 15, 30, 250)
texts = st.none() | st.text(max_size=10) | st.just(DEPERSONALISED)
leaves = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts
contents = st.dictionaries(
    st.text(max_size=6),
    st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=8,
    ),
    max_size=5,
)


def _when(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


@st.composite
def histories(draw: st.DrawFn) -> BookingHistory:
    versions = tuple(
        BookingVersionInfo(
            id=draw(st.integers(1, 10**9)),
            version_no=n + 1,
            received_at=_when(draw(st.integers(0, 10**6))),
            raw_message_id=draw(st.integers(1, 10**9)),
            flight_key=draw(texts),
            push_action=draw(st.none() | st.sampled_from(("full", "change"))),
            content_hash=draw(st.text(min_size=1, max_size=8)),
            content_json=json.dumps(draw(contents), sort_keys=True, ensure_ascii=False),
            changes=tuple(
                Change(path=draw(st.text(max_size=8)), kind="set", before=draw(texts), after=a)
                for a in draw(st.lists(texts, max_size=3))
            ),
        )
        for n in range(draw(st.integers(0, 3)))
    )
    flights = tuple(
        BookingFlightStatus(
            flight_id=draw(st.integers(1, 10**6)),
            flight_key=draw(st.text(min_size=1, max_size=12)),
            status=draw(st.sampled_from(("active", "cancelled"))),
            last_seen_at=_when(draw(st.integers(0, 10**6))),
            cancelled_at=draw(st.none() | st.just(T0)),
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    return BookingHistory(
        booking_id=draw(st.integers(1, 10**9)),
        key=draw(st.text(min_size=1, max_size=10)),
        locator=draw(st.text(min_size=1, max_size=6)),
        carrier=draw(texts),
        versions=versions,
        flights=flights,
    )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(found=st.lists(histories(), max_size=3), locator=st.text(min_size=1, max_size=8))
def test_lookup_json_is_the_models_json(found: list[BookingHistory], locator: str) -> None:
    model = BookingLookup(
        locator=locator.strip().upper(), bookings=[BookingOut.of(h) for h in found]
    )
    fast: dict[str, Any] = lookup_json(locator, found)
    # The same bytes (non-finite numbers as null, as pydantic writes them).
    assert to_json(fast, inf_nan_mode="null") == model.model_dump_json().encode()
    shown = masked_json_answer(fast).body
    assert shown == masked_answer(model).body
    assert DEPERSONALISED.encode() not in shown
