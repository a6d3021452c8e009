"""``fast_init``: the faster constructor keeps the dataclass semantics of the model."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from paxwatch.model import Address, ApiMessage, Booking, PnrMessage, Traveller
from paxwatch.model.fast import fast_init


@fast_init
@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class _Sample:
    required: str
    plain: int = 3
    listed: list[int] = dataclasses.field(default_factory=list)
    hidden: str = dataclasses.field(default="h", init=False)
    made: tuple[int, ...] = dataclasses.field(default_factory=lambda: (1,), init=False)


def test_defaults_factories_and_init_false_fields() -> None:
    a = _Sample(required="r")
    assert (a.required, a.plain, a.listed, a.hidden, a.made) == ("r", 3, [], "h", (1,))
    b = _Sample(required="r")
    assert a.listed is not b.listed  # a new list per instance, as dataclasses does
    c = _Sample(required="x", plain=5, listed=[2])
    assert (c.plain, c.listed) == (5, [2])


def test_same_errors_as_the_dataclass_constructor() -> None:
    with pytest.raises(TypeError):
        _Sample()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Sample(required="r", hidden="no")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Sample("r")  # type: ignore[misc]
    with pytest.raises(TypeError):
        Traveller(surname="X", unknown=1)  # type: ignore[call-arg]


def test_still_frozen_equal_and_hashable() -> None:
    a = Address(kind="home", city="PARIS", raw="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.city = "LYON"  # type: ignore[misc]
    assert a == Address(kind="home", city="PARIS", raw="x")
    assert hash(a) == hash(Address(kind="home", city="PARIS", raw="x"))
    assert dataclasses.replace(a, city="LYON").city == "LYON"
    assert repr(a).startswith("Address(kind='home'")


def test_init_false_fields_of_the_model() -> None:
    assert PnrMessage().kind == "pnrgov"
    assert ApiMessage().kind == "paxlst"
    assert Booking(locator="ABC123").travellers == ()


def test_signature_is_that_of_the_dataclass() -> None:
    params = inspect.signature(Traveller).parameters
    assert [p.name for p in params.values()] == [f.name for f in dataclasses.fields(Traveller)]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values())
    assert params["surname"].default is inspect.Parameter.empty
    assert params["given_names"].default == ""


def test_refuses_classes_it_cannot_speed_up() -> None:
    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        x: int = 0

    with pytest.raises(TypeError):
        fast_init(NoSlots)
