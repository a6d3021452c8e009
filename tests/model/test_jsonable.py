"""The JSON form of the model is lossless: from_jsonable(to_jsonable(x)) == x."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from hypothesis import given, settings

from paxwatch.model import Booking, PartialDate, PnrMessage, WatchlistEntry
from paxwatch.model.jsonable import from_jsonable, to_jsonable
from paxwatch.model.watchlist import ListedName
from tests.strategies import pnr_messages


@settings(max_examples=25, deadline=None)
@given(pnr_messages())
def test_pnr_message_round_trips_through_json(message: PnrMessage) -> None:
    text = json.dumps(to_jsonable(message))
    assert from_jsonable(PnrMessage, json.loads(text)) == message


def test_watchlist_entry_with_partial_dates_round_trips() -> None:
    entry = WatchlistEntry(
        source="X",
        entry_id="1",
        names=(ListedName(full_name="محمد علي", script="Arab"),),
        dates_of_birth=(PartialDate(year=1970), PartialDate(year=1971, month=3)),
    )
    data = to_jsonable(entry)
    assert data["dates_of_birth"] == ["1970", "1971-03"]  # type: ignore[index, call-overload]
    assert from_jsonable(WatchlistEntry, data) == entry


def test_datetimes_keep_seconds_and_microseconds() -> None:
    at = datetime(2026, 3, 1, 10, 5, 7, 123456)
    booking = Booking(locator="ABC123", created_at=at)
    assert from_jsonable(Booking, to_jsonable(booking)).created_at == at


def test_data_that_does_not_fit_is_refused() -> None:
    with pytest.raises((TypeError, ValueError)):
        from_jsonable(Booking, {"locator": 12})
    with pytest.raises((TypeError, ValueError)):
        from_jsonable(Booking, {"locator": "A", "travellers": [{"surname": "X", "type": "alien"}]})
