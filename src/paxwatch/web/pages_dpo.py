"""What the DPO / statistics pages show: Art 20 figures, carrier compliance, unmasking
requests (with the approver's decision and the DPO's ex-post review) and retention flags.

No personal data on any of these pages: statistics are counts, requests and flags carry ids,
reasons and legal bases. Permissions: ``read_stats`` for the statistics; the unmasking and
flag pages use the stand-in role sets of ``paxwatch.api.models_privacy`` (the actions are
not in ``privacy.access`` yet). Every change goes through the library, which audits it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from paxwatch.api.models_privacy import FLAG_READERS, UNMASKING_READERS, privacy_now
from paxwatch.privacy.access import AccessDenied, Action, Principal, Role, can, require
from paxwatch.privacy.flags import (
    Flag,
    FlagError,
    lift_flag,
    list_flags,
    review_max_days,
    set_flag,
)
from paxwatch.privacy.policies import FLAG_KINDS
from paxwatch.privacy.unmask import (
    Actor,
    UnmaskError,
    UnmaskRequest,
    decide_unmasking,
    dpo_review,
    get_request,
    list_requests,
    pending_dpo_reviews,
)
from paxwatch.stats import Art20Report, ComplianceReport, art20, compliance
from paxwatch.store.engine import Store
from paxwatch.web import charts
from paxwatch.web.pages_review import NotFound

_COLOURS = (
    ("on time", "#2e7d32"),
    ("late", "#e08a00"),
    ("early", "#1f5f99"),
    ("missing", "#b3261e"),
)


def require_role(principal: Principal, name: str, roles: Collection[Role]) -> None:
    """The stand-in check of an action ``privacy.access`` does not define yet."""
    if principal.role not in roles:
        raise AccessDenied(Action.UNMASK, f"role {principal.role.value} may not {name}")


def stacked_chart(
    rows: Sequence[tuple[str, Sequence[int]]],
    *,
    title: str,
    width: int = 560,
    bar_height: int = 18,
    label_width: int = 80,
) -> Markup:
    """Horizontal stacked bars (on time, late, early, missing), one per carrier."""
    data = list(rows) or [("none", (0, 0, 0, 0))]
    top = max(sum(v) for _l, v in data) or 1
    legend = 22
    height = legend + len(data) * (bar_height + 6) + 6
    span = width - label_width - 50
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (name, colour) in enumerate(_COLOURS):
        lx = label_width + i * 90
        parts.append(
            f'<rect x="{lx}" y="4" width="12" height="12" fill="{colour}"/>'
            f'<text x="{lx + 16}" y="14">{escape(name)}</text>'
        )
    for i, (label, values) in enumerate(data):
        y = legend + 6 + i * (bar_height + 6)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height - 5}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        x = float(label_width)
        for (name, colour), value in zip(_COLOURS, values, strict=False):
            w = span * value / top
            if value:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_height}" '
                    f'fill="{colour}"><title>{escape(label)} {escape(name)}: {value:,}</title>'
                    "</rect>"
                )
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + bar_height - 5}">{sum(values):,}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True, slots=True, kw_only=True)
class StatsPage:
    """The Art 20 figures of a year and the compliance of a month, with their charts."""

    year: int
    month: str
    art20: Art20Report
    compliance: ComplianceReport
    art20_chart: Markup
    compliance_chart: Markup


def default_month(today: date) -> str:
    return f"{today.year}-{today.month:02d}"


def stats_page(
    store: Store, principal: Principal, *, year: int | None, month: str | None
) -> StatsPage:
    """Art 20 figures (per month of ``year``) and compliance (``month``): ``read_stats``."""
    require(principal, Action.READ_STATS)
    now = privacy_now()
    chosen_year = year if year and 2000 <= year <= 2100 else now.year
    chosen_month = month if month and _valid_month(month) else default_month(now.date())
    with store.write() as conn:
        yearly = art20(conn, chosen_year, now=now)
        monthly = compliance(conn, chosen_month, now=now)
    return StatsPage(
        year=chosen_year,
        month=chosen_month,
        art20=yearly,
        compliance=monthly,
        art20_chart=charts.bar_chart(
            [(m.period[5:], m.pnr_passengers) for m in yearly.months],
            title=f"Passengers whose PNR was collected, per month of {chosen_year}",
            label_width=60,
        ),
        compliance_chart=stacked_chart(
            [
                (
                    c.carrier,
                    (
                        c.early_on_time + c.final_on_time,
                        c.early_late + c.final_late,
                        c.early_early,
                        c.early_missing + c.final_missing,
                    ),
                )
                for c in monthly.carriers
            ],
            title=f"Push compliance per carrier, {chosen_month}",
        ),
    )


def _valid_month(text: str) -> bool:
    try:
        year, month = (int(p) for p in text.split("-", 1))
    except ValueError:
        return False
    return 2000 <= year <= 2100 and 1 <= month <= 12 and len(text) == 7


def stats_csv(store: Store, principal: Principal, kind: str, period: str) -> tuple[str, str]:
    """(CSV text, file name) of the Art 20 figures (``period``: year) or the compliance
    (``period``: month)."""
    from paxwatch.stats import art20_csv, compliance_csv

    require(principal, Action.READ_STATS)
    now = privacy_now()
    if kind == "art20":
        year = int(period) if period.isdigit() and 2000 <= int(period) <= 2100 else now.year
        with store.write() as conn:
            return art20_csv(art20(conn, year, now=now)), f"art20-{year}.csv"
    month = period if _valid_month(period) else default_month(now.date())
    with store.write() as conn:
        return compliance_csv(compliance(conn, month, now=now)), f"compliance-{month}.csv"


@dataclass(frozen=True, slots=True, kw_only=True)
class UnmaskingPage:
    """The requests the caller may see, and the DPO's review queue."""

    requests: tuple[UnmaskRequest, ...]
    reviews: tuple[UnmaskRequest, ...]
    can_decide: bool
    can_review: bool
    now_open: frozenset[int]


def unmasking_page(store: Store, principal: Principal) -> UnmaskingPage:
    """Analysts and supervisors: their own requests; the approver and the DPO: all."""
    require_role(principal, "read unmasking requests", UNMASKING_READERS)
    everyone = principal.role in (Role.INDEPENDENT_APPROVER, Role.DPO)
    now = privacy_now()
    with store.read() as conn:
        found = [r for r in list_requests(conn) if everyone or r.requester == principal.username]
        reviews = pending_dpo_reviews(conn) if principal.role == Role.DPO else []
    return UnmaskingPage(
        requests=tuple(found),
        reviews=tuple(reviews),
        can_decide=principal.role == Role.INDEPENDENT_APPROVER,
        can_review=principal.role == Role.DPO,
        now_open=frozenset(r.id for r in found if r.open_at(now)),
    )


def _actor(principal: Principal) -> Actor:
    return Actor(username=principal.username, role=principal.role.value)


def decide(
    store: Store, principal: Principal, request_id: int, *, approve: bool, note: str
) -> str | None:
    """The approver's decision; the refusal's reason (audited) or None."""
    require(principal, Action.APPROVE_UNMASKING)
    problem: str | None = None
    with store.write() as conn:
        try:
            get_request(conn, request_id)
        except UnmaskError:
            raise NotFound("unmasking request") from None
        try:
            decide_unmasking(
                conn,
                request_id,
                _actor(principal),
                approve=approve,
                note=note,
                now=privacy_now(),
            )
        except UnmaskError as error:
            problem = str(error)  # committed with the refusal's audit event
    return problem


def review(
    store: Store, principal: Principal, request_id: int, *, outcome: str, note: str
) -> str | None:
    """The DPO's ex-post review; the refusal's reason or None."""
    require_role(principal, "review unmasking", {Role.DPO})
    with store.write() as conn:
        try:
            dpo_review(
                conn, request_id, _actor(principal), outcome=outcome, note=note, now=privacy_now()
            )
        except UnmaskError as error:
            return str(error)
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class FlagsPage:
    flags: tuple[Flag, ...]
    today: date
    can_manage: bool
    kinds: tuple[str, ...]
    review_max_days: int


def flags_page(store: Store, principal: Principal, *, include_lifted: bool) -> FlagsPage:
    """The retention flags (analysts, supervisors, the DPO)."""
    require_role(principal, "read retention flags", FLAG_READERS)
    with store.read() as conn:
        found = list_flags(conn, include_lifted=include_lifted)
    return FlagsPage(
        flags=tuple(found),
        today=privacy_now().date(),
        can_manage=can(principal, Action.MANAGE_RETENTION_FLAGS),
        kinds=tuple(sorted(FLAG_KINDS)),
        review_max_days=review_max_days(),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class FlagRequest:
    """A supervisor's flag from the form: a booked traveller (booking + ref; no ref: the
    whole booking) kept past the deletion point, why, and until when it is reviewed."""

    booking_id: int
    traveller_ref: str | None
    kind: str
    reason: str
    evidence_ref: str | None
    review_on: date


def set_flag_from_form(store: Store, principal: Principal, request: FlagRequest) -> str | None:
    """Set the flag (``MANAGE_RETENTION_FLAGS``, audited by the library); the refusal's
    reason, or None."""
    require(principal, Action.MANAGE_RETENTION_FLAGS)
    with store.write() as conn:
        try:
            set_flag(
                conn,
                by=principal.username,
                role=principal.role.value,
                kind=request.kind,
                reason=request.reason,
                review_on=request.review_on,
                now=privacy_now(),
                booking_id=request.booking_id,
                traveller_ref=request.traveller_ref,
                evidence_ref=request.evidence_ref,
                review_max_days=review_max_days(),
            )
        except FlagError as error:
            return str(error)
    return None


def lift_flag_from_form(
    store: Store, principal: Principal, flag_id: int, reason: str
) -> str | None:
    """Lift a flag with a reason (``MANAGE_RETENTION_FLAGS``); the refusal, or None."""
    require(principal, Action.MANAGE_RETENTION_FLAGS)
    if not reason.strip():
        return "say why the flag is lifted"
    with store.write() as conn:
        try:
            lifted = lift_flag(
                conn,
                flag_id,
                by=principal.username,
                role=principal.role.value,
                reason=reason.strip(),
                now=privacy_now(),
            )
        except FlagError as error:
            return str(error)
    return None if lifted else f"there is no active flag {flag_id}"
