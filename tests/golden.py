"""Golden-file comparison: the expected JSON was written by reading the message by hand.

``assert_matches(expected, actual)``: every key of an expected object must be in the actual
object with a matching value (keys the golden file leaves out are not compared); lists must
have the same length and match item by item; other values must be equal. So a golden file
states exactly what a person read in the message, and a parser that reads more passes while
one that reads less, or differently, fails with the JSON path of the first difference.
"""

from __future__ import annotations

from typing import Any


def assert_matches(expected: Any, actual: Any, path: str = "$") -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{path}.{key}: missing (have {sorted(actual)})"
            assert_matches(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected a list, got {actual!r}"
        assert len(actual) == len(expected), (
            f"{path}: {len(actual)} items, expected {len(expected)}: {actual!r}"
        )
        for i, (exp, act) in enumerate(zip(expected, actual, strict=True)):
            assert_matches(exp, act, f"{path}[{i}]")
    else:
        assert actual == expected, f"{path}: got {actual!r}, expected {expected!r}"


def significant_findings(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Errors and warnings (info-level findings are not part of golden files)."""
    return [f for f in findings if f.get("severity") in ("error", "warning")]
