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
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")

_MISSING = dataclasses.MISSING


def fast_init(cls: type[T]) -> type[T]:
    """Give the frozen slotted dataclass ``cls`` a faster ``__init__`` (see the module)."""
    if getattr(cls, "__post_init__", None) is not None or "__slots__" not in cls.__dict__:
        # (an InitVar is only useful with __post_init__, so none can be missed)
        raise TypeError(f"fast_init needs a slotted dataclass without __post_init__: {cls}")
    namespace: dict[str, Any] = {"_MISSING": _MISSING}
    args: list[str] = []
    body: list[str] = []
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        name = f.name
        namespace[f"_set_{name}"] = cls.__dict__[name].__set__
        if not f.init:
            if f.default is not _MISSING:
                namespace[f"_default_{name}"] = f.default
                body.append(f"    _set_{name}(self, _default_{name})")
            elif f.default_factory is not _MISSING:
                namespace[f"_factory_{name}"] = f.default_factory
                body.append(f"    _set_{name}(self, _factory_{name}())")
            continue
        if f.default is not _MISSING:
            namespace[f"_default_{name}"] = f.default
            args.append(f"{name}=_default_{name}")
            body.append(f"    _set_{name}(self, {name})")
        elif f.default_factory is not _MISSING:
            namespace[f"_factory_{name}"] = f.default_factory
            args.append(f"{name}=_MISSING")
            body.append(
                f"    _set_{name}(self, _factory_{name}() if {name} is _MISSING else {name})"
            )
        else:
            args.append(name)
            body.append(f"    _set_{name}(self, {name})")
    signature = "self, *, " + ", ".join(args) if args else "self"
    source = f"def __init__({signature}):\n" + ("\n".join(body) or "    pass") + "\n"
    exec(source, namespace)  # the same technique dataclasses uses to generate __init__
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__annotations__ = dict(cls.__init__.__annotations__)  # for inspect.signature
    setattr(cls, "__init__", init)  # noqa: B010 (mypy forbids assigning a method)
    return cls
