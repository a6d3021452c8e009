"""The fast path of the queue and booking reads (``paxwatch.api.hot``): the requests it takes
get the same answer as through FastAPI (same status, type and JSON, audited alike); every
other request goes through FastAPI (its 401, 403 and 422 problem details)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field, TypeAdapter, ValidationError

from paxwatch.api import hot
from paxwatch.privacy.access import Role
from paxwatch.store.engine import Store
from tests.api.test_review_api import World, _reads, api, world

__all__ = ["api", "world"]  # the fixtures of the review API tests

_FORCE_FASTAPI = {"_": "1"}
"""An unknown parameter: FastAPI ignores it, the fast path hands the request over."""


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Whether the fast path took each request (in order)."""
    seen: list[bool] = []
    plan = hot.HotReads._plan

    def spy(self: hot.HotReads, scope: Any) -> Any:
        answer = plan(self, scope)
        seen.append(answer is not None)
        return answer

    monkeypatch.setattr(hot.HotReads, "_plan", spy)
    yield seen


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/api/v1/queue", {}, 200),
        ("/api/v1/queue", {"limit": "1"}, 200),
        ("/api/v1/queue", {"limit": "1", "offset": "1", "purpose": "case 7"}, 200),
        ("/api/v1/queue", {"limit": "0050", "purpose": ""}, 200),
        ("/api/v1/bookings/SOON01", {}, 200),
        ("/api/v1/bookings/soon01", {"carrier": "DL", "purpose": "case 7"}, 200),
        ("/api/v1/bookings/SOON01", {"carrier": "XX"}, 404),
        ("/api/v1/bookings/OLD001", {}, 403),
        ("/api/v1/bookings/NOPE01", {}, 404),
    ],
)
def test_same_answer_as_fastapi(
    api: TestClient,
    store: Store,
    world: World,
    taken: list[bool],
    path: str,
    params: dict[str, str],
    status: int,
) -> None:
    analyst = world.roles[Role.ANALYST]
    assert api.get("/api/v1/queue", headers=analyst, params={"limit": "1"}).status_code == 200
    view = "hit_queue" if path.endswith("queue") else "booking"
    before = len(_reads(store, view))
    slow = api.get(path, headers=analyst, params={**params, **_FORCE_FASTAPI})
    fast = api.get(path, headers=analyst, params=params)
    assert taken[-2:] == [False, True]
    assert (fast.status_code, fast.headers["content-type"]) == (
        slow.status_code,
        slow.headers["content-type"],
    )
    assert fast.status_code == status, fast.text
    assert fast.json() == slow.json()
    if status == 200:
        assert fast.content == slow.content
        fast_read, slow_read = _reads(store, view)[:2]  # newest first
        assert len(_reads(store, view)) == before + 2
        assert fast_read.purpose == slow_read.purpose
        assert fast_read.traveller_ids == slow_read.traveller_ids
        assert fast_read.booking_ids == slow_read.booking_ids
    metrics = api.get("/api/v1/metrics", headers=world.roles[Role.ADMINISTRATOR]).text
    template = "/api/v1/queue" if view == "hit_queue" else "/api/v1/bookings/{locator}"
    assert template in metrics


@pytest.mark.parametrize(
    ("path", "params", "headers", "status"),
    [
        ("/api/v1/queue", {}, {}, 401),
        ("/api/v1/queue", {}, {"Authorization": "Bearer pxw_nope"}, 401),
        ("/api/v1/queue", {}, {"Authorization": "Basic eDp5"}, 401),
        ("/api/v1/queue", {}, "auditor", 403),
        ("/api/v1/bookings/SOON01", {}, "administrator", 403),
        ("/api/v1/queue", {"limit": "0"}, "analyst", 422),
        ("/api/v1/queue", {"limit": "1001"}, "analyst", 422),
        ("/api/v1/queue", {"limit": "x"}, "analyst", 422),
        ("/api/v1/queue", {"offset": "-1"}, "analyst", 422),
        ("/api/v1/queue", {"purpose": "p" * 201}, "analyst", 422),
        ("/api/v1/bookings/SOON01", {"carrier": "DLXX"}, "analyst", 422),
        ("/api/v1/queue", {"kind": "watchlist"}, "analyst", 200),
        ("/api/v1/queue", {"state": "dismissed"}, "analyst", 200),
    ],
)
def test_everything_else_goes_through_fastapi(
    api: TestClient,
    world: World,
    taken: list[bool],
    path: str,
    params: dict[str, str],
    headers: dict[str, str] | str,
    status: int,
) -> None:
    for role in Role:
        api.get("/api/v1/queue", headers=world.roles[role])  # every token cached
    sent = world.roles[Role(headers)] if isinstance(headers, str) else headers
    r = api.get(path, headers=sent, params=params)
    assert taken[-1] is False
    assert r.status_code == status, r.text
    if status >= 400:
        assert r.headers["content-type"] == "application/problem+json"


def test_a_repeated_parameter_goes_through_fastapi(
    api: TestClient, world: World, taken: list[bool]
) -> None:
    analyst = world.roles[Role.ANALYST]
    api.get("/api/v1/queue", headers=analyst)
    r = api.get("/api/v1/queue?limit=1&limit=2", headers=analyst)
    assert taken[-1] is False and r.status_code == 200 and r.json()["limit"] == 2


_LIMIT = TypeAdapter(Annotated[int, Field(ge=1, le=1000)])


@given(st.text(max_size=12) | st.integers(-5, 2000).map(str))
def test_an_integer_taken_is_the_one_fastapi_validates(text: str) -> None:
    number = hot._integer(text, 1, 1000)
    if number is not None:  # taken: FastAPI accepts the same number
        assert _LIMIT.validate_python(text) == number
    elif text.isascii() and text.isdigit() and len(text) <= 9:  # in-range digits are taken
        with pytest.raises(ValidationError):
            _LIMIT.validate_python(text)


@given(st.dictionaries(st.sampled_from(["limit", "offset", "purpose", "kind"]), st.text()))
def test_parameters_taken_are_the_ones_sent(params: dict[str, str]) -> None:
    from urllib.parse import urlencode

    allowed = {"limit": 10, "offset": 10, "purpose": 200}
    found = hot._params(urlencode(params).encode(), allowed)
    if found is not None:
        assert found == params
    else:
        assert set(params) - set(allowed) or any(len(v) > allowed[k] for k, v in params.items())
