"""API test helpers: accounts and tokens made through ``privacy.users`` / ``privacy.tokens``."""

from __future__ import annotations

from paxwatch.api import ApiSettings
from paxwatch.api.settings import parse_tokens
from paxwatch.privacy.access import AccessConfig, Role
from paxwatch.privacy.tokens import create_token
from paxwatch.privacy.users import create_user
from paxwatch.store.engine import Store

FAST = AccessConfig(argon2_time_cost=1, argon2_memory_kib=8, argon2_parallelism=1)
"""Cheap password hashing for tests."""

PUSH = {"Authorization": "Bearer push-secret"}
"""A carrier's push token (``PAXWATCH_API_TOKENS``)."""

ROLE_USERS: dict[Role, str] = {
    Role.ANALYST: "alice",
    Role.SUPERVISOR: "chef",
    Role.DPO: "dora",
    Role.AUDITOR: "audrey",
    Role.ADMINISTRATOR: "adam",
    Role.PARTNER_PIU: "piu-be",
    Role.INDEPENDENT_APPROVER: "ivan",
}


def settings(max_body: int = 256 * 1024) -> ApiSettings:
    """Settings with one carrier push token and cheap hashing."""
    return ApiSettings(
        tokens=parse_tokens("carrier:push:push-secret"), max_body=max_body, access=FAST
    )


def login(store: Store, username: str, role: Role, *, days: int | None = None) -> dict[str, str]:
    """Create an account and a token; the ``Authorization`` header of the token."""
    create_user(store, username, role, actor="test-admin", config=FAST)
    new = create_token(store, username, name="tests", days=days, actor="test-admin", config=FAST)
    return {"Authorization": f"Bearer {new.token}"}


def everyone(store: Store) -> dict[Role, dict[str, str]]:
    """One account and token per role (usernames of ``ROLE_USERS``)."""
    return {role: login(store, name, role) for role, name in ROLE_USERS.items()}
