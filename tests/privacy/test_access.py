"""Accounts, passwords and lockout, tokens, sessions and CSRF, the permission matrix and
the analyst's visibility window — on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

import paxwatch.cli.users  # noqa: F401  (registers the commands)
from paxwatch.cli import app
from paxwatch.privacy.access import (
    AccessConfig,
    AccessDenied,
    Action,
    FlightResource,
    FlightWindow,
    Principal,
    Role,
    TravellerResource,
    can,
    check,
    require,
)
from paxwatch.privacy.audit import LoginEvent, UserEvent, list_events, verify
from paxwatch.privacy.masking import MASK, MaskKind, mask_card, mask_date, shown
from paxwatch.privacy.passwords import PasswordPolicyError
from paxwatch.privacy.sessions import check_csrf, login, revoke_session, validate_session
from paxwatch.privacy.tokens import authenticate_token, create_token, revoke_token
from paxwatch.privacy.users import (
    LoginOutcome,
    UserError,
    authenticate,
    create_user,
    get_user,
    set_active,
    set_role,
    unlock,
)
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from tests.store.helpers import BACKENDS, make_store

FAST = AccessConfig(argon2_time_cost=1, argon2_memory_kib=8, argon2_parallelism=1)
PASSWORD = "correct horse battery"


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with make_store(request.param, tmp_path) as s:
        yield s


def _user(store: Store, name: str = "alice", role: Role = Role.ANALYST) -> None:
    create_user(store, name, role, password=PASSWORD, actor="admin", config=FAST)


# -- passwords and lockout -----------------------------------------------------------------


def test_password_is_hashed_with_argon2_and_verified(store: Store) -> None:
    created = create_user(
        store, "Alice", Role.ANALYST, password=PASSWORD, actor="admin", config=FAST
    )
    assert created.user.username == "alice" and created.generated_password is None
    with store.read() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM app_user").scalar()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert authenticate(store, "alice", PASSWORD, config=FAST).ok
    assert authenticate(store, "ALICE", "wrong password!!", config=FAST).outcome is (
        LoginOutcome.BAD_CREDENTIALS
    )
    generated = create_user(store, "bob", Role.DPO, actor="admin", config=FAST)
    assert generated.generated_password and len(generated.generated_password) >= 12
    assert authenticate(store, "bob", generated.generated_password, config=FAST).ok


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "at least 12"), ("aaaaaaaaaaaaaa", "repeat"), ("xx-carol-password", "username")],
)
def test_password_policy(store: Store, password: str, message: str) -> None:
    with pytest.raises(PasswordPolicyError, match=message):
        create_user(store, "carol", Role.ANALYST, password=password, actor="a", config=FAST)
    with store.read() as conn:
        assert get_user(conn, "carol") is None


def test_duplicate_and_bad_usernames_are_refused(store: Store) -> None:
    _user(store)
    with pytest.raises(UserError, match="exists"):
        _user(store)
    with pytest.raises(UserError, match="username"):
        create_user(store, "no spaces allowed", Role.ANALYST, actor="a", config=FAST)


def test_concurrent_failures_are_all_counted(store: Store) -> None:
    """Failed logins racing each other (threads, one connection each) lose no count: the
    account locks at the limit however they interleave."""
    cfg = AccessConfig(
        max_failed_logins=6, lockout_minutes=10, argon2_time_cost=1, argon2_memory_kib=8,
        argon2_parallelism=1,
    )  # fmt: skip
    _user(store)
    now = utcnow()
    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(
            pool.map(
                lambda _: authenticate(store, "alice", "bad password 123", config=cfg, now=now),
                range(6),
            )
        )
    assert sorted(o.outcome.value for o in outcomes).count(LoginOutcome.LOCKED.value) == 1
    assert authenticate(store, "alice", PASSWORD, config=cfg, now=now).outcome is (
        LoginOutcome.LOCKED
    )


def test_lockout_after_repeated_failures(store: Store) -> None:
    cfg = AccessConfig(
        max_failed_logins=3, lockout_minutes=10, argon2_time_cost=1, argon2_memory_kib=8,
        argon2_parallelism=1,
    )  # fmt: skip
    _user(store)
    now = utcnow()
    for _ in range(2):
        assert authenticate(store, "alice", "bad password 123", config=cfg, now=now).outcome is (
            LoginOutcome.BAD_CREDENTIALS
        )
    third = authenticate(store, "alice", "bad password 123", config=cfg, now=now)
    assert third.outcome is LoginOutcome.LOCKED and third.locked_until is not None
    # Locked: even the right password is refused until the lock ends.
    assert authenticate(store, "alice", PASSWORD, config=cfg, now=now).outcome is (
        LoginOutcome.LOCKED
    )
    later = now + timedelta(minutes=11)
    assert authenticate(store, "alice", PASSWORD, config=cfg, now=later).ok
    # An administrator can lift a lock too.
    for _ in range(3):
        authenticate(store, "alice", "bad password 123", config=cfg, now=later)
    assert authenticate(store, "alice", PASSWORD, config=cfg, now=later).outcome is (
        LoginOutcome.LOCKED
    )
    unlock(store, "alice", actor="admin")
    assert authenticate(store, "alice", PASSWORD, config=cfg, now=later).ok
    with store.read() as conn:
        outcomes = [e.data()["outcome"] for e in list_events(conn, event_type=LoginEvent)]
        users = [e.data()["action"] for e in list_events(conn, event_type=UserEvent)]
    assert "locked" in outcomes and "bad_credentials" in outcomes
    assert "locked" in users and "unlocked" in users
    assert verify(store).ok


def test_unknown_user_is_logged_without_the_typed_name(store: Store) -> None:
    result = authenticate(store, "my-secret-password-typo", "whatever1234", config=FAST)
    assert result.outcome is LoginOutcome.BAD_CREDENTIALS
    with store.read() as conn:
        (event,) = list_events(conn, event_type=LoginEvent)
    assert event.actor == "unknown" and "typo" not in event.payload


def test_disabled_user_cannot_log_in(store: Store) -> None:
    _user(store)
    set_active(store, "alice", False, actor="admin")
    assert authenticate(store, "alice", PASSWORD, config=FAST).outcome is LoginOutcome.DISABLED
    set_active(store, "alice", True, actor="admin")
    assert authenticate(store, "alice", PASSWORD, config=FAST).ok


# -- tokens --------------------------------------------------------------------------------


def test_token_lifecycle(store: Store) -> None:
    _user(store, "partner", Role.PARTNER_PIU)
    new = create_token(store, "partner", name="uk-exchange", days=30, actor="admin")
    assert new.token.startswith("pxw_") and new.info.role is Role.PARTNER_PIU
    with store.read() as conn:
        stored = conn.exec_driver_sql("SELECT token_hash FROM api_token").scalar()
    assert stored != new.token and new.token not in stored
    caller = authenticate_token(store, new.token)
    assert caller is not None and caller.username == "partner" and caller.via == "token"
    assert authenticate_token(store, new.token + "x") is None
    assert authenticate_token(store, "not-a-token") is None
    # Expiry.
    assert authenticate_token(store, new.token, now=utcnow() + timedelta(days=31)) is None
    # The account disabled: the token stops working; enabled again: it works.
    set_active(store, "partner", False, actor="admin")
    assert authenticate_token(store, new.token) is None
    set_active(store, "partner", True, actor="admin")
    assert authenticate_token(store, new.token) is not None
    # A role change invalidates tokens issued for the old role.
    set_role(store, "partner", Role.AUDITOR, actor="admin")
    assert authenticate_token(store, new.token) is None
    other = create_token(store, "partner", name="audit", days=0, actor="admin")
    assert other.info.expires_at is None and authenticate_token(store, other.token) is not None
    revoke_token(store, other.info.id, actor="admin")
    assert authenticate_token(store, other.token) is None
    with store.read() as conn:
        assert conn.exec_driver_sql("SELECT last_used_at FROM api_token").scalars().first()


# -- sessions ------------------------------------------------------------------------------


def test_session_lifecycle_idle_expiry_revoke_and_csrf(store: Store) -> None:
    cfg = AccessConfig(
        session_hours=8, session_idle_minutes=30, argon2_time_cost=1, argon2_memory_kib=8,
        argon2_parallelism=1,
    )  # fmt: skip
    _user(store)
    t0 = utcnow()
    assert login(store, "alice", "wrong password 1", config=cfg, now=t0).session is None
    opened = login(store, "alice", PASSWORD, config=cfg, now=t0).session
    assert opened is not None
    with store.read() as conn:
        stored = conn.exec_driver_sql("SELECT session_hash FROM user_session").scalar()
    assert stored != opened.session_id
    active = validate_session(store, opened.session_id, config=cfg, now=t0 + timedelta(minutes=20))
    assert active is not None and active.principal.username == "alice"
    assert check_csrf(active, opened.csrf_token)
    assert not check_csrf(active, "forged") and not check_csrf(active, None)
    # Activity at +20 min keeps it alive at +45 min; 31 idle minutes end it.
    assert validate_session(store, opened.session_id, config=cfg, now=t0 + timedelta(minutes=45))
    assert (
        validate_session(store, opened.session_id, config=cfg, now=t0 + timedelta(minutes=77))
        is None
    )
    # Absolute expiry, even when active.
    second = login(store, "alice", PASSWORD, config=cfg, now=t0).session
    assert second is not None
    step = t0
    while step < t0 + timedelta(hours=8):
        step += timedelta(minutes=25)
        alive = validate_session(store, second.session_id, config=cfg, now=step)
        assert (alive is not None) == (step < t0 + timedelta(hours=8))
    # Logout; disabling an account ends its sessions.
    third = login(store, "alice", PASSWORD, config=cfg, now=t0).session
    assert third is not None
    assert revoke_session(store, third.session_id, now=t0)
    assert validate_session(store, third.session_id, config=cfg, now=t0) is None
    assert not revoke_session(store, third.session_id)
    fourth = login(store, "alice", PASSWORD, config=cfg).session
    assert fourth is not None and validate_session(store, fourth.session_id, config=cfg)
    set_active(store, "alice", False, actor="admin")
    assert validate_session(store, fourth.session_id, config=cfg) is None
    assert validate_session(store, "", config=cfg) is None


# -- permission matrix ---------------------------------------------------------------------

A = Action
R = Role
ALLOWED: dict[Role, set[Action]] = {
    R.ANALYST: {A.LIST_FLIGHTS, A.READ_HITS, A.REVIEW_HIT, A.CONFIRM_HIT, A.DISMISS_HIT,
                A.COUNTERSIGN_HIT, A.TRANSMIT, A.READ_TRANSMISSIONS, A.READ_STATS,
                A.READ_FLIGHT, A.READ_BOOKING, A.READ_TRAVELLER, A.REQUEST_UNMASKING,
                A.READ_UNMASKING, A.READ_RETENTION_FLAGS},
    R.SUPERVISOR: {A.LIST_FLIGHTS, A.READ_HITS, A.REVIEW_HIT, A.CONFIRM_HIT, A.DISMISS_HIT,
                   A.COUNTERSIGN_HIT, A.TRANSMIT, A.READ_TRANSMISSIONS, A.READ_STATS,
                   A.READ_FLIGHT, A.READ_BOOKING, A.READ_TRAVELLER, A.REOPEN_HIT, A.ASSIGN_HIT,
                   A.MANAGE_RULES, A.ACTIVATE_RULE, A.MANAGE_WATCHLISTS, A.ACTIVATE_WATCHLIST,
                   A.REQUEST_UNMASKING, A.READ_UNMASKING, A.READ_RETENTION_FLAGS,
                   A.MANAGE_RETENTION_FLAGS, A.READ_SELECTION, A.MANAGE_SELECTION},
    R.DPO: {A.LIST_FLIGHTS, A.READ_FLIGHT, A.READ_BOOKING, A.READ_TRAVELLER, A.READ_HITS,
            A.READ_TRANSMISSIONS, A.READ_AUDIT, A.VERIFY_AUDIT, A.READ_STATS,
            A.READ_UNMASKING, A.REVIEW_UNMASKING, A.READ_RETENTION_FLAGS, A.READ_SELECTION,
            A.HANDLE_SUBJECT_REQUESTS},
    R.AUDITOR: {A.READ_AUDIT, A.VERIFY_AUDIT, A.READ_STATS, A.READ_SELECTION},
    R.ADMINISTRATOR: {A.MANAGE_USERS, A.MANAGE_SETTINGS, A.VERIFY_AUDIT, A.READ_STATS},
    R.INDEPENDENT_APPROVER: {A.APPROVE_UNMASKING, A.READ_UNMASKING},
    R.PARTNER_PIU: set(),
}  # fmt: skip

NOW = datetime(2026, 12, 12, 12, 0)
IN_WINDOW = FlightWindow(
    flight_id=1,
    first_seen_at=NOW - timedelta(hours=40),
    departure_utc=NOW + timedelta(hours=2),
    arrival_utc=NOW + timedelta(hours=9),
)
OLD = FlightWindow(
    flight_id=2,
    first_seen_at=NOW - timedelta(days=30),
    departure_utc=NOW - timedelta(days=28),
    arrival_utc=NOW - timedelta(days=28) + timedelta(hours=7),
)


def _resource(action: Action) -> FlightResource | TravellerResource:
    if action is Action.READ_FLIGHT:
        return FlightResource(flight=IN_WINDOW)
    return TravellerResource(traveller_id=1, booking_id=1, open_hit=False, flights=(IN_WINDOW,))


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_permission_matrix(role: Role, action: Action) -> None:
    who = Principal(user_id=1, username="u", role=role)
    allowed = action in ALLOWED[role]
    assert can(who, action, _resource(action), now=NOW) is allowed
    if not allowed:
        with pytest.raises(AccessDenied):
            require(who, action, _resource(action), now=NOW)


@pytest.mark.parametrize(
    ("resource", "allowed"),
    [
        (FlightResource(flight=IN_WINDOW), True),
        (FlightResource(flight=OLD), False),
        (TravellerResource(traveller_id=1, booking_id=1, open_hit=False, flights=(OLD,)), False),
        (TravellerResource(traveller_id=1, booking_id=1, open_hit=True, flights=(OLD,)), True),
        (
            TravellerResource(
                traveller_id=1, booking_id=1, open_hit=False, flights=(OLD, IN_WINDOW)
            ),
            True,
        ),
        (None, False),
    ],
)
def test_analyst_visibility_window(
    resource: FlightResource | TravellerResource | None, allowed: bool
) -> None:
    analyst = Principal(user_id=1, username="a", role=Role.ANALYST)
    dpo = Principal(user_id=2, username="d", role=Role.DPO)
    action = Action.READ_FLIGHT if isinstance(resource, FlightResource) else Action.READ_TRAVELLER
    assert can(analyst, action, resource, now=NOW) is allowed
    assert can(dpo, action, resource, now=NOW)  # Art 6(7): the DPO sees everything
    admin = Principal(user_id=3, username="x", role=Role.ADMINISTRATOR)
    assert not can(admin, action, resource, now=NOW)


def test_window_runs_from_first_push_to_hours_after_arrival() -> None:
    cfg = AccessConfig(window_hours_after_arrival=24)
    arrival = IN_WINDOW.arrival_utc
    assert arrival is not None
    assert not IN_WINDOW.in_window(IN_WINDOW.first_seen_at - timedelta(minutes=1), cfg)
    assert IN_WINDOW.in_window(IN_WINDOW.first_seen_at, cfg)
    assert IN_WINDOW.in_window(arrival + timedelta(hours=23), cfg)
    assert not IN_WINDOW.in_window(arrival + timedelta(hours=25), cfg)
    assert IN_WINDOW.in_window(
        arrival + timedelta(hours=25), AccessConfig(window_hours_after_arrival=48)
    )
    reason = check(
        Principal(user_id=1, username="a", role=Role.ANALYST),
        Action.READ_FLIGHT,
        FlightResource(flight=OLD),
        now=NOW,
    ).reason
    assert "outside" in reason


def test_access_config_from_env() -> None:
    cfg = AccessConfig.from_env({"PAXWATCH_MAX_FAILED_LOGINS": "7", "PAXWATCH_OTHER": "x"})
    assert cfg.max_failed_logins == 7 and cfg.lockout_minutes == 15


def test_masking_helpers_never_return_the_value() -> None:
    assert shown("DOE", masked=False) == "DOE"
    assert shown("DOE", masked=True, kind=MaskKind.NAME) == MASK
    assert mask_card("4111 1111 1111 1234") == "****1234" and mask_card("12") == MASK
    assert mask_date(datetime(1964, 7, 12).date()) == "1964-**-**"
    assert shown("+33123456789", masked=True, kind=MaskKind.CONTACT) == MASK


# -- the CLI -------------------------------------------------------------------------------

runner = CliRunner()


def test_users_commands(tmp_path: Path) -> None:
    db = ["--database-url", f"sqlite:///{tmp_path / 'paxwatch.db'}"]
    with make_store("sqlite", tmp_path):
        pass
    add = runner.invoke(app, ["users", "add", "alice", "--role", "analyst", *db])
    assert add.exit_code == 0, add.output
    assert "password (shown once)" in add.output
    given = runner.invoke(
        app, ["users", "add", "bob", "--role", "dpo", "--password-stdin", *db],
        input="a long enough password\n",
    )  # fmt: skip
    assert given.exit_code == 0 and "shown once" not in given.output
    short = runner.invoke(
        app, ["users", "add", "carl", "--role", "dpo", "--password-stdin", *db], input="short\n"
    )
    assert short.exit_code == 1 and "at least 12" in short.output
    assert runner.invoke(app, ["users", "add", "x1", "--role", "boss", *db]).exit_code == 1
    listed = runner.invoke(app, ["users", "list", *db])
    assert "alice" in listed.output and "bob" in listed.output and "2 user(s)" in listed.output
    assert runner.invoke(app, ["users", "disable", "alice", *db]).exit_code == 0
    assert "no" in runner.invoke(app, ["users", "list", *db]).output
    assert runner.invoke(app, ["users", "enable", "alice", *db]).exit_code == 0
    assert runner.invoke(app, ["users", "disable", "nobody", *db]).exit_code == 1
    token = runner.invoke(
        app, ["users", "token", "create", "alice", "--name", "ci", "--days", "7", *db]
    )
    assert token.exit_code == 0 and "pxw_" in token.output
    printed = next(w for w in token.output.split() if w.startswith("pxw_"))
    with make_store("sqlite", tmp_path) as store:
        caller = authenticate_token(store, printed)
        assert caller is not None and caller.role is Role.ANALYST
        with store.read() as conn:
            kinds = [e.data()["action"] for e in list_events(conn, event_type=UserEvent)]
        assert verify(store).ok
    assert set(kinds) >= {"created", "disabled", "enabled", "token_created"}
    tokens = runner.invoke(app, ["users", "token", "list", *db])
    assert "ci" in tokens.output and printed not in tokens.output


def test_generated_passwords_never_contain_the_user_name() -> None:
    from paxwatch.privacy.passwords import generate_password

    # A one-letter name occurs in almost every random 20-character text: drawn again.
    for _ in range(50):
        assert "a" not in generate_password(username="A").lower()
