"""The queue's answer is built without a pydantic model per group (``page_json``): it must
be the JSON that ``QueuePage`` of ``QueueGroupOut.of`` gives, names hidden alike."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paxwatch.api.models_review import QueueGroupOut, QueuePage
from paxwatch.api.queue import page_json
from paxwatch.api.reads import json_answer
from paxwatch.privacy.access import FlightWindow
from paxwatch.review.decisions import ReviewState
from paxwatch.review.queue import QueueGroup, QueueHit

T0 = datetime(2026, 12, 12, 9, 15, 30, 250)
texts = st.none() | st.text(max_size=12)


@st.composite
def groups(draw: st.DrawFn) -> QueueGroup:
    hits = tuple(
        QueueHit(
            hit_id=draw(st.integers(1, 10**9)),
            kind=draw(st.sampled_from(("watchlist", "rule"))),
            source_id=draw(texts),
            entry_id=draw(texts),
            rule_id=draw(texts),
            rule_version=draw(st.none() | st.integers(1, 99)),
            score=draw(st.floats(0, 1)),
            state=draw(st.sampled_from(list(ReviewState))),
            assignee=draw(texts),
            listed_name=draw(texts),
            offence=draw(texts),
            created_at=T0 + timedelta(seconds=draw(st.integers(0, 10**6))),
        )
        for _ in range(draw(st.integers(1, 3)))
    )
    departure = draw(st.none() | st.just(T0))
    return QueueGroup(
        flight_id=draw(st.integers(1, 10**6)),
        carrier="DL",
        number=draw(st.text(min_size=1, max_size=4)),
        origin=draw(st.none() | st.just("LHR")),
        destination=draw(st.none() | st.just("JFK")),
        departure=departure,
        arrival=draw(st.none() | st.just(T0 + timedelta(hours=8))),
        urgency_at=departure,
        urgency_event=draw(st.sampled_from((None, "departure", "arrival"))),
        traveller_id=draw(st.none() | st.integers(1, 10**6)),
        booking_id=draw(st.none() | st.integers(1, 10**6)),
        subject_name=draw(texts),
        best_score=max(h.score for h in hits),
        hits=hits,
        visible=draw(st.booleans()),
        window=FlightWindow(flight_id=1, first_seen_at=T0, departure_utc=T0, arrival_utc=None),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(found=st.lists(groups(), max_size=5), limit=st.integers(1, 4), offset=st.integers(0, 99))
def test_page_json_is_the_models_json(found: list[QueueGroup], limit: int, offset: int) -> None:
    more = len(found) > limit
    model = QueuePage(
        items=[QueueGroupOut.of(g) for g in found[:limit]],
        limit=limit,
        offset=offset,
        next_offset=offset + limit if more else None,
    )
    fast = bytes(json_answer(page_json(found, limit, offset)).body)
    assert json.loads(fast) == json.loads(model.model_dump_json())
    assert fast == model.model_dump_json().encode()  # the same bytes, key order included
    for item, group in zip(json.loads(fast)["items"], found, strict=False):
        if not group.visible:
            assert item["subject_name"] is None
            assert all(h["listed_name"] is None for h in item["hits"])
