"""Unmasking after depersonalisation: request, independent approval, time-limited access,
DPO notification and review; refusals; every step in the event log."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest

from paxwatch.model import PushAction
from paxwatch.privacy import audit
from paxwatch.privacy.policies import add_months, load_policy, privacy_history
from paxwatch.privacy.retention import run_retention, set_flag
from paxwatch.privacy.unmask import (
    Actor,
    UnmaskError,
    decide_unmasking,
    dpo_review,
    pending_dpo_reviews,
    request_unmasking,
    unmask,
)
from paxwatch.store.engine import Store
from tests.privacy.test_retention import T0
from tests.privacy.test_retention_support import (
    VAULT,
    booking_id,
    flight,
    leaks,
    push,
    store,
    traveller_id,
)
from tests.store.factory import booking, pnr, traveller

__all__ = ["store"]

ANALYST = Actor(username="ana", role="analyst")
SUPERVISOR = Actor(username="sue", role="supervisor")
JUDGE = Actor(username="judge", role="independent_approver")
DPO = Actor(username="dpo", role="dpo")
AT = add_months(T0, 6) + timedelta(days=3)


def _masked_booking(st: Store) -> int:
    push(
        st,
        pnr(
            booking("AAA111", traveller("SMITH", "ANNA", doc="P1234567")),
            action=PushAction.FULL,
            fl=flight(),
        ),
        T0,
    )
    with st.write() as conn:
        set_flag(
            conn,
            by="sue",
            role="supervisor",
            kind="objective_evidence",
            reason="case 17",
            review_on=(T0 + timedelta(days=300)).date(),
            traveller_id=traveller_id(st, "AAA111", "1"),
            now=T0,
        )
    run_retention(st, AT, load_policy("eu"), vault=VAULT)
    bid = booking_id(st, "AAA111")
    assert bid is not None
    return bid


def _request(st: Store, bid: int, who: Actor = ANALYST) -> int:
    with st.write() as conn:
        return request_unmasking(
            conn,
            who,
            booking_ids=[bid],
            reason="New evidence in investigation 2027/4",
            legal_basis="Code de la sécurité intérieure L.232-7",
            offence="terrorism",
            authority="DGSI",
            valid_hours=24,
            now=AT,
        )


def _refused(st: Store, fn: object, *args: object, **kwargs: object) -> str:
    with st.write() as conn:
        with pytest.raises(UnmaskError) as info:
            fn(conn, *args, **kwargs)  # type: ignore[operator]
        return str(info.value)


def test_workflow_until_expiry(store: Store) -> None:
    bid = _masked_booking(store)
    assert leaks(store, ["SMITH", "P1234567"]) == []
    rid = _request(store, bid)
    _refused(store, unmask, rid, ANALYST, vault=VAULT, now=AT)  # not approved yet
    _refused(store, decide_unmasking, rid, ANALYST, approve=True, note="ok", now=AT)  # self
    _refused(
        store,
        decide_unmasking,
        rid,
        Actor(username="bob", role="analyst"),
        approve=True,
        note="ok",
        now=AT,
    )
    _refused(store, decide_unmasking, rid, SUPERVISOR, approve=True, note="ok", now=AT)
    _refused(store, decide_unmasking, rid, DPO, approve=True, note="ok", now=AT)
    with store.write() as conn:
        approved = decide_unmasking(
            conn, rid, JUDGE, approve=True, note="necessary and proportionate", now=AT
        )
        assert approved.expires_at == AT + timedelta(hours=24)
        assert [r.id for r in pending_dpo_reviews(conn)] == [rid]
    _refused(store, unmask, rid, SUPERVISOR, vault=VAULT, now=AT)  # not the requester
    with store.write() as conn:
        [record] = unmask(conn, rid, ANALYST, vault=VAULT, now=AT + timedelta(hours=1))
    assert record.masked and record.content["travellers"][0]["surname"] == "SMITH"
    assert record.content["travellers"][0]["documents"][0]["number"] == "P1234567"
    assert leaks(store, ["SMITH", "P1234567"]) == []  # nothing written back
    _refused(store, unmask, rid, ANALYST, vault=VAULT, now=AT + timedelta(hours=24))  # expired
    with store.write() as conn:
        reviewed = dpo_review(
            conn, rid, DPO, outcome="lawful", note="checked", now=AT + timedelta(days=2)
        )
        assert reviewed.dpo_outcome == "lawful" and pending_dpo_reviews(conn) == []
        kinds = [e.kind for e in privacy_history(conn)]
    unmask_kinds = [k for k in kinds if k.startswith("unmask.")]
    assert audit.verify(store).ok
    assert unmask_kinds == [
        "unmask.requested",
        "unmask.access_refused",
        *["unmask.decision_refused"] * 4,
        "unmask.approved",
        "unmask.dpo_notified",
        "unmask.access_refused",
        "unmask.accessed",
        "unmask.access_refused",
        "unmask.dpo_reviewed",
    ]


def test_refusals_are_logged_when_the_caller_commits(store: Store) -> None:
    bid = _masked_booking(store)
    rid = _request(store, bid)
    with store.write() as conn:
        with contextlib.suppress(UnmaskError):
            decide_unmasking(conn, rid, ANALYST, approve=True, note="ok", now=AT)
        kinds = [e.kind for e in privacy_history(conn)]
    assert "unmask.decision_refused" in kinds


def test_only_piu_users_request_and_a_refusal_gives_no_access(store: Store) -> None:
    bid = _masked_booking(store)
    _refused(
        store,
        request_unmasking,
        JUDGE,
        booking_ids=[bid],
        reason="x",
        legal_basis="y",
        offence="z",
        now=AT,
    )
    rid = _request(store, bid, SUPERVISOR)
    with store.write() as conn:
        decide_unmasking(conn, rid, JUDGE, approve=False, note="no new circumstances", now=AT)
    _refused(store, unmask, rid, SUPERVISOR, vault=VAULT, now=AT)
    _refused(store, decide_unmasking, rid, JUDGE, approve=True, note="changed my mind", now=AT)
