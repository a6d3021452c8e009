"""``fast_init``: the faster constructor keeps the dataclass semantics of the model."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paxwatch.model import Address, ApiMessage, Booking, PnrMessage, Traveller, fast
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


# The C constructor (``paxwatch.model._construct``, when built) against the Python __init__.

_MODEL_CLASSES = [Address, ApiMessage, Booking, PnrMessage, Traveller, _Sample]


def _python_built(cls: type, kwargs: dict[str, object]) -> object:
    obj = object.__new__(cls)
    cls.__init__(obj, **kwargs)  # type: ignore[misc]
    return obj


def test_c_constructor_in_use_when_built() -> None:
    if not fast.ACCELERATED:
        pytest.skip("paxwatch.model._construct is not built (or PAXWATCH_PURE_PYTHON)")
    assert "__paxwatch_construct__" in Traveller.__dict__


@settings(max_examples=300, deadline=None)
@given(
    cls=st.sampled_from(_MODEL_CLASSES),
    picks=st.lists(st.integers(0, 30), max_size=12),
    extra=st.sampled_from([None, "unknown", "kind", "hidden"]),
    positional=st.booleans(),
    value=st.one_of(st.none(), st.text(max_size=3), st.integers()),
)
def test_c_constructor_same_objects_and_errors_as_python(
    cls: type, picks: list[int], extra: str | None, positional: bool, value: object
) -> None:
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    # keywords in any order, possibly missing required ones
    kwargs = {names[i % len(names)]: value for i in picks} if names else {}
    if extra is not None:
        kwargs[extra] = value
    args = (value,) if positional else ()
    try:
        expected: object = _python_built(cls, kwargs) if not args else cls(*args, **kwargs)
    except TypeError as exc:
        with pytest.raises(TypeError) as raised:
            cls(*args, **kwargs)
        assert str(raised.value) == str(exc)
        return
    got = cls(*args, **kwargs)
    assert type(got) is cls
    for f in dataclasses.fields(cls):
        a, b = getattr(got, f.name), getattr(expected, f.name)
        if f.default_factory is dataclasses.MISSING or f.name in kwargs:
            assert a is b
        else:
            assert a == b and type(a) is type(b)


def test_c_constructor_calls_factories_for_each_instance() -> None:
    assert _Sample(required="r").listed is not _Sample(required="r").listed


def test_subclass_of_a_fast_class_uses_its_own_constructor() -> None:
    @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    class Sub(_Sample):
        more: int = 7

    s = Sub(required="r", more=2)
    assert (type(s), s.required, s.more, s.hidden) == (Sub, "r", 2, "h")
