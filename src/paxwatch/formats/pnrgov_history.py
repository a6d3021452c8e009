"""Groups 8 to 12 of a PNRGOV message, and LTS: split PNRs, non-air segments, history.

Handlers of ``pnrgov_groups.PnrReader`` (see its module docstring): EQN and RCI of a split
PNR (group 8), MSG and TVL of a non-air segment (group 9), ABI, DAT, SAC and the changed
items of the history (groups 10 to 12), and LTS lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from paxwatch.formats.edifact import Segment
from paxwatch.formats.pnrgov_builders import HistoryB, SplitB
from paxwatch.formats.pnrgov_elements import (
    TvlInfo,
    abi_by,
    free_text,
    history_action,
    opt,
    seg_canonical,
)
from paxwatch.formats.values import ddmmyy, integer
from paxwatch.model.booking import NonAirSegment, RecordLocator

if TYPE_CHECKING:
    from paxwatch.formats.pnrgov_groups import PnrReader

HISTORY_ELEMENTS: Final = {
    "TIF": "name",
    "SSR": "ssr",
    "TBD": "bags",
    "TVL": "leg",
    "IFT": "remark",
}


def on_eqn(r: PnrReader, seg: Segment) -> None:
    r.leave_for("split")
    r.b.split_references.append(SplitB(integer(seg.get(0, 0))))
    r.split_idx = len(r.b.split_references) - 1


def split_locators(r: PnrReader, locators: list[RecordLocator]) -> None:
    """RCI in a split-PNR group: the other part's locator (more RCIs: more references)."""
    assert r.split_idx is not None
    current = r.b.split_references[r.split_idx]
    for i, rl in enumerate(locators):
        if i == 0 and current.locator is None:
            current.locator, current.system = rl.locator, rl.system
        else:
            other = SplitB(None)
            other.locator, other.system = rl.locator, rl.system
            r.b.split_references.append(other)


def on_msg(r: PnrReader, seg: Segment) -> None:
    r.leave_for("nonair")
    r.nonair_kind = opt(seg.get(0, 0)) or opt(seg.get(0, 1))
    r.nonair_open = True


def non_air(r: PnrReader, seg: Segment, info: TvlInfo) -> None:
    end = seg.get(0, 2).strip()
    r.b.non_air.append(
        NonAirSegment(
            kind=r.nonair_kind,
            location=opt(info.origin),
            start=info.departure.date() if info.departure else None,
            end=ddmmyy(end, r.pivot) if len(end) == 6 else None,
            provider=opt(info.carrier),
            raw=seg_canonical(seg),
        )
    )
    r.nonair_open = False


def flush_nonair(r: PnrReader) -> None:
    """A non-air group without a TVL is still a non-air segment."""
    if r.zone == "nonair" and r.nonair_open:
        r.b.non_air.append(NonAirSegment(kind=r.nonair_kind))
    r.nonair_open = False


def on_abi(r: PnrReader, seg: Segment) -> None:
    r.leave_for("history")
    r.hist_by = abi_by(seg)
    r.hist_at = None
    r.hist_action = None


def on_sac(r: PnrReader, seg: Segment) -> None:
    if r.zone != "history":
        r.leave_for("history")
        r.hist_by = r.hist_at = None
    r.hist_action = history_action(seg)


def on_lts(r: PnrReader, seg: Segment) -> None:
    text = free_text(seg, 0, r.sep)
    if text:
        r.b.history.append(HistoryB(text))


def history_item(r: PnrReader, seg: Segment) -> None:
    """A changed item in the history (its RPI extends the TVL before it)."""
    history = r.b.history
    tag = seg.tag
    if tag == "RPI" and history and history[-1].element == "leg":
        history[-1].text = history[-1].text + "'" + seg_canonical(seg)
        return
    text = free_text(seg, 1, r.sep) if tag == "IFT" else seg_canonical(seg)
    history.append(
        HistoryB(
            text,
            at=r.hist_at,
            action=r.hist_action,
            element=HISTORY_ELEMENTS.get(tag, tag.lower()),
            by=r.hist_by,
        )
    )
