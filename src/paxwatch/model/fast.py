"""A faster ``__init__`` for the model's frozen, slotted, keyword-only dataclasses.

The ``__init__`` that ``dataclasses`` generates for a frozen class sets every field with
``object.__setattr__(self, name, value)``, which looks the attribute up by name and checks
that ``__setattr__`` is not being bypassed illegitimately: about 0.3 µs per field. Readers
build tens of model objects per message, so this is a large share of reading time.

``fast_init`` replaces that ``__init__`` with one of the same signature (keyword-only
parameters, the same defaults and default factories, ``init=False`` fields set to their
default) that stores each field through the slot's own descriptor (``member.__set__``),
about three times faster. Nothing else changes: the class is still a frozen dataclass
(assigning an attribute raises ``FrozenInstanceError``), equality, hashing, ``repr``,
``dataclasses.fields`` and ``replace`` are those ``dataclasses`` generated.

When the C extension ``paxwatch.model._construct`` is built (the normal install builds it,
see ``setup.py``) and ``PAXWATCH_PURE_PYTHON`` is not set, calls of the class are moreover
served in C: the keyword arguments are stored in the slots straight from the call, without
the dictionary ``type.__call__`` makes of them nor a Python frame (about 20 times cheaper).
Whatever that constructor does not handle (positional arguments, unknown, repeated or
missing keywords) goes to the Python ``__init__`` above, which raises the usual errors.
``ACCELERATED`` says whether it is in use.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_MISSING = dataclasses.MISSING

# Field kinds of the C constructor (``_construct.c``).
_REQUIRED, _DEFAULT, _FACTORY, _FIXED_DEFAULT, _FIXED_FACTORY = range(5)


def _load() -> Callable[[type, tuple[tuple[str, Any, int, Any], ...]], bool] | None:
    if os.environ.get("PAXWATCH_PURE_PYTHON"):
        return None
    try:
        from paxwatch.model import _construct  # type: ignore[attr-defined]
    except ImportError:
        return None  # not built: the Python ``__init__`` only
    install: Callable[[type, tuple[tuple[str, Any, int, Any], ...]], bool] = _construct.install
    return install


_install = _load()
ACCELERATED = _install is not None


def fast_init(cls: type[T]) -> type[T]:
    """Give the frozen slotted dataclass ``cls`` a faster ``__init__`` (see the module)."""
    if getattr(cls, "__post_init__", None) is not None or "__slots__" not in cls.__dict__:
        # (an InitVar is only useful with __post_init__, so none can be missed)
        raise TypeError(f"fast_init needs a slotted dataclass without __post_init__: {cls}")
    namespace: dict[str, Any] = {"_MISSING": _MISSING}
    args: list[str] = []
    body: list[str] = []
    spec: list[tuple[str, Any, int, Any]] = []  # for the C constructor
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        name = f.name
        slot = cls.__dict__[name]
        namespace[f"_set_{name}"] = slot.__set__
        if not f.init:
            if f.default is not _MISSING:
                namespace[f"_default_{name}"] = f.default
                body.append(f"    _set_{name}(self, _default_{name})")
                spec.append((name, slot, _FIXED_DEFAULT, f.default))
            elif f.default_factory is not _MISSING:
                namespace[f"_factory_{name}"] = f.default_factory
                body.append(f"    _set_{name}(self, _factory_{name}())")
                spec.append((name, slot, _FIXED_FACTORY, f.default_factory))
            continue
        if f.default is not _MISSING:
            namespace[f"_default_{name}"] = f.default
            args.append(f"{name}=_default_{name}")
            body.append(f"    _set_{name}(self, {name})")
            spec.append((name, slot, _DEFAULT, f.default))
        elif f.default_factory is not _MISSING:
            namespace[f"_factory_{name}"] = f.default_factory
            args.append(f"{name}=_MISSING")
            body.append(
                f"    _set_{name}(self, _factory_{name}() if {name} is _MISSING else {name})"
            )
            spec.append((name, slot, _FACTORY, f.default_factory))
        else:
            args.append(name)
            body.append(f"    _set_{name}(self, {name})")
            spec.append((name, slot, _REQUIRED, None))
    signature = "self, *, " + ", ".join(args) if args else "self"
    source = f"def __init__({signature}):\n" + ("\n".join(body) or "    pass") + "\n"
    exec(source, namespace)  # the same technique dataclasses uses to generate __init__
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__annotations__ = dict(cls.__init__.__annotations__)  # for inspect.signature
    setattr(cls, "__init__", init)  # noqa: B010 (mypy forbids assigning a method)
    if _install is not None:
        _install(cls, tuple(spec))  # False (nothing done) for a class it cannot build
    return cls
