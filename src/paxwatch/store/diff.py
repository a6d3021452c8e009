"""The difference between two versions of a booking, from their canonical JSON.

Objects are compared key by key; lists of objects that carry a ``ref`` (travellers) are
matched by that ref, other lists by position. Each difference is a ``Change`` with a path
such as ``travellers[ref=2].seats[0].seat`` and the values before and after as JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from paxwatch.store.records import Change


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _keyed(items: list[Any]) -> dict[str, Any] | None:
    if not items or not all(isinstance(i, dict) and i.get("ref") for i in items):
        return None
    keyed = {str(i["ref"]): i for i in items}
    return keyed if len(keyed) == len(items) else None


def diff_json(before: Any, after: Any, path: str = "") -> Iterator[Change]:
    """Yield the changes that turn ``before`` into ``after`` (both JSON-ready values)."""
    if before == after:
        return
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            sub = f"{path}.{key}" if path else key
            if key not in before:
                yield Change(path=sub, kind="added", before=None, after=_text(after[key]))
            elif key not in after:
                yield Change(path=sub, kind="removed", before=_text(before[key]), after=None)
            else:
                yield from diff_json(before[key], after[key], sub)
        return
    if isinstance(before, list) and isinstance(after, list):
        kb, ka = _keyed(before), _keyed(after)
        if kb is not None and ka is not None:
            for ref in list(dict.fromkeys([*kb, *ka])):
                sub = f"{path}[ref={ref}]"
                if ref not in kb:
                    yield Change(path=sub, kind="added", before=None, after=_text(ka[ref]))
                elif ref not in ka:
                    yield Change(path=sub, kind="removed", before=_text(kb[ref]), after=None)
                else:
                    yield from diff_json(kb[ref], ka[ref], sub)
            return
        for i in range(max(len(before), len(after))):
            sub = f"{path}[{i}]"
            if i >= len(before):
                yield Change(path=sub, kind="added", before=None, after=_text(after[i]))
            elif i >= len(after):
                yield Change(path=sub, kind="removed", before=_text(before[i]), after=None)
            else:
                yield from diff_json(before[i], after[i], sub)
        return
    kind = "added" if before is None else "removed" if after is None else "changed"
    yield Change(path=path, kind=kind, before=_text(before), after=_text(after))
