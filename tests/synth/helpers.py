"""Helpers for the synth tests: generate a small day in memory and compare models."""

from __future__ import annotations

from typing import Any

from paxwatch.model.jsonable import to_jsonable

# Fields a reader fills from the text that the generator does not set.
IGNORED = {"raw", "raw_name", "raw_number", "raw_method", "is_codeshare"}


def pruned(value: Any) -> Any:
    """JSON of a model without empty values and raw texts (what the generator states)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in IGNORED:
                continue
            p = pruned(v)
            if p in (None, "", [], {}):
                continue
            out[k] = p
        return out
    if isinstance(value, list):
        return [pruned(v) for v in value]
    return value


def differences(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Where ``actual`` does not hold what ``expected`` states (extra keys are allowed)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected object, got {actual!r}"]
        out: list[str] = []
        for k, v in expected.items():
            out += differences(v, actual.get(k), f"{path}.{k}")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {len(expected)} items, got {actual!r}"[:300]]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            out += differences(e, a, f"{path}[{i}]")
        return out
    if expected != actual:
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    return []


# Fields a reader may legitimately not give back (none today: every clean message must read
# back to exactly what was generated).
KNOWN_GAPS: set[str] = set()


def _normalised(value: Any, gaps: set[str]) -> Any:
    if isinstance(value, dict):
        return {k: _normalised(v, gaps) for k, v in value.items() if k not in gaps}
    if isinstance(value, list):
        return [_normalised(v, gaps) for v in value]
    return value


def model_differences(generated: Any, parsed: Any, gaps: set[str] | None = None) -> list[str]:
    """Differences between what was generated and what a reader read back."""
    g = KNOWN_GAPS if gaps is None else gaps
    expected = _normalised(pruned(to_jsonable(generated)), g)
    actual = _normalised(pruned(to_jsonable(parsed)), g)
    return differences(expected, actual)
