"""Passwords of local accounts: argon2id hashes, the password policy, generated passwords.

Passwords are never logged nor stored in clear (``paxwatch.privacy.users`` keeps the
accounts)."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from paxwatch.privacy.access import AccessConfig, AccessError

_GENERATED_LENGTH = 20
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"


class PasswordPolicyError(AccessError):
    """The password does not meet the policy (the message never contains it)."""


def hasher(config: AccessConfig) -> PasswordHasher:
    """The argon2id hasher of ``config``."""
    return PasswordHasher(
        time_cost=config.argon2_time_cost,
        memory_cost=config.argon2_memory_kib,
        parallelism=config.argon2_parallelism,
    )


def hash_password(password: str, config: AccessConfig) -> str:
    """The argon2id hash of ``password`` (salted; the encoded form holds the parameters)."""
    return hasher(config).hash(password)


def verify_password(encoded: str | None, password: str, config: AccessConfig) -> bool:
    """True when ``password`` matches ``encoded``."""
    if not encoded:
        return False
    try:
        return hasher(config).verify(encoded, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def generate_password(length: int = _GENERATED_LENGTH, username: str = "") -> str:
    """A random password (about 117 bits for 20 characters) that passes the password
    policy for ``username`` (a short user name can occur in random text: drawn again)."""
    while True:
        password = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if not username or username.lower() not in password.lower():
            return password


def check_password_policy(password: str, config: AccessConfig, username: str = "") -> None:
    """Raise :class:`PasswordPolicyError` unless ``password`` is acceptable: at least
    ``min_password_length`` characters, at most 1024, not containing the username, not one
    repeated character."""
    if len(password) < config.min_password_length:
        raise PasswordPolicyError(
            f"the password must have at least {config.min_password_length} characters"
        )
    if len(password) > 1024:
        raise PasswordPolicyError("the password must have at most 1024 characters")
    if username and username.lower() in password.lower():
        raise PasswordPolicyError("the password must not contain the username")
    if len(set(password)) == 1:
        raise PasswordPolicyError("the password must not repeat one character")


_DUMMY_CACHE: dict[AccessConfig, str] = {}


def dummy_hash(cfg: AccessConfig) -> str:
    """A hash to verify against for unknown users (equal timing)."""
    if cfg not in _DUMMY_CACHE:
        _DUMMY_CACHE[cfg] = hash_password(generate_password(), cfg)
    return _DUMMY_CACHE[cfg]
