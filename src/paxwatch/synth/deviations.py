"""Real-world layout deviations (``docs/formats.md``) and truly broken messages.

``deviate`` takes a clean serialised message and, for a configured share, applies one or
two of the deviations production traffic shows; for a much smaller share it breaks the
message (truncated in transit). Every change is named so that the ground truth says what
was done to each file. EDIFACT deviations keep the content readable by a tolerant reader;
broken messages are not meant to be fully readable.
"""

from __future__ import annotations

import random
import re

EDIFACT_KINDS: tuple[str, ...] = (
    "wrapped-80",
    "wrapped-72",
    "no-una",
    "bad-count",
    "glued-titles",
    "crlf",
    "space-after-terminator",
)
XML_KINDS: tuple[str, ...] = ("crlf",)

_TERMINATOR = re.compile(r"(?<!\?)'")
_UNT = re.compile(r"UNT\+(\d+)")
_EQN_CNT = re.compile(r"(EQN\+|CNT\+42:)(\d+)")
_TITLE = re.compile(r"(TIF\+[^']*?[A-Z]) (MRS|MR|MS|MSTR|MISS)(?=[:'+])")


def _one_line(text: str) -> str:
    return text.replace("\r", "").replace("\n", "")


def _wrap(text: str, width: int) -> str:
    flat = _one_line(text)
    return "\n".join(flat[i : i + width] for i in range(0, len(flat), width)) + "\n"


def _apply(kind: str, text: str, rng: random.Random) -> str:
    if kind.startswith("wrapped-"):
        return _wrap(text, int(kind.split("-")[1]))
    if kind == "no-una":
        return re.sub(r"\AUNA.{6}\r?\n?", "", text, flags=re.DOTALL)
    if kind == "bad-count":
        target = _EQN_CNT if rng.random() < 0.5 and _EQN_CNT.search(text) else _UNT
        return target.sub(
            lambda m: (
                m.group(0)[: -len(m.groups()[-1])] + str(int(m.groups()[-1]) + rng.randint(1, 9))
            ),
            text,
            count=1,
        )
    if kind == "glued-titles":
        return _TITLE.sub(r"\1\2", text)
    if kind == "crlf":
        if "\n" not in text:
            text = _TERMINATOR.sub("'\n", text)
        return text.replace("\r\n", "\n").replace("\n", "\r\n")
    if kind == "space-after-terminator":
        return _TERMINATOR.sub("' ", _one_line(text)).rstrip() + "\n"
    raise ValueError(kind)


def deviate(
    text: str, syntax: str, rng: random.Random, share: float, broken_share: float
) -> tuple[str, tuple[str, ...], bool]:
    """(text as delivered, deviations applied, truly broken?)."""
    kinds: tuple[str, ...] = ()
    if rng.random() < share:
        pool = EDIFACT_KINDS if syntax == "edifact" else XML_KINDS
        kinds = tuple(sorted(set(rng.sample(pool, k=min(len(pool), rng.choice((1, 1, 2)))))))
        if "space-after-terminator" in kinds and any(k.startswith("wrapped") for k in kinds):
            kinds = tuple(k for k in kinds if k != "space-after-terminator")
        for kind in kinds:
            text = _apply(kind, text, rng)
    if rng.random() < broken_share:
        cut = int(len(text) * rng.uniform(0.3, 0.85))
        return text[:cut], (*kinds, "truncated"), True
    return text, kinds, False
