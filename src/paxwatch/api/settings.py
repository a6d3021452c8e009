"""API settings from the environment: carrier push tokens, the body size limit, and the
access and review configurations.

People and their programs authenticate with the API tokens of their accounts
(``paxwatch.privacy.tokens``; ``paxwatch users token``): see ``paxwatch.api.deps``.

Carriers and routers are not people and have no account: ``PAXWATCH_API_TOKENS`` lists
their **push-only** tokens as comma-separated ``name:push:token`` entries. A push token
may only ``POST /messages`` (it reads nothing). The former ``read`` and ``manage`` scopes
are gone: an entry naming them stops the server at start, saying to create a user token
instead. ``PAXWATCH_API_MAX_BODY``: the largest body accepted, in bytes (default 20 MB).
``PAXWATCH_API_TOKEN_CACHE_SECONDS``: how long a valid account token is trusted without
reading it again (default 5; 0 reads it on every request): see
``paxwatch.privacy.tokens.TokenCache``. ``PAXWATCH_API_THREADS``: how many requests run
at once in the worker threads (default 4; 0 keeps anyio's 40).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from paxwatch.privacy.access import AccessConfig
from paxwatch.review.reasons import ReviewConfig, load_review_config

TOKENS_ENV = "PAXWATCH_API_TOKENS"
MAX_BODY_ENV = "PAXWATCH_API_MAX_BODY"
DEFAULT_MAX_BODY = 20 * 1024 * 1024
TOKEN_CACHE_ENV = "PAXWATCH_API_TOKEN_CACHE_SECONDS"
DEFAULT_TOKEN_CACHE_SECONDS = 5.0
THREADS_ENV = "PAXWATCH_API_THREADS"
DEFAULT_THREADS = 4
SCOPES = frozenset({"push"})
RETIRED_SCOPES = frozenset({"read", "manage"})


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A carrier (push) caller: its name (recorded, never the token) and its scopes."""

    name: str
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiSettings:
    """What the application needs besides the store."""

    tokens: dict[str, ApiToken] = field(default_factory=dict)
    max_body: int = DEFAULT_MAX_BODY
    access: AccessConfig = field(default_factory=AccessConfig)
    review: ReviewConfig = field(default_factory=ReviewConfig)
    token_cache_seconds: float = DEFAULT_TOKEN_CACHE_SECONDS
    threads: int = DEFAULT_THREADS

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> ApiSettings:
        """Read ``PAXWATCH_API_TOKENS``, ``PAXWATCH_API_MAX_BODY``,
        ``PAXWATCH_API_TOKEN_CACHE_SECONDS``, the ``AccessConfig`` variables and
        ``PAXWATCH_REVIEW_CONFIG``."""
        env = os.environ if environ is None else environ
        limit = env.get(MAX_BODY_ENV, "").strip()
        cache = env.get(TOKEN_CACHE_ENV, "").strip()
        threads = env.get(THREADS_ENV, "").strip()
        return cls(
            tokens=parse_tokens(env.get(TOKENS_ENV, "")),
            max_body=int(limit) if limit else DEFAULT_MAX_BODY,
            access=AccessConfig.from_env(env),
            review=load_review_config(),
            token_cache_seconds=float(cache) if cache else DEFAULT_TOKEN_CACHE_SECONDS,
            threads=int(threads) if threads else DEFAULT_THREADS,
        )


def parse_tokens(text: str) -> dict[str, ApiToken]:
    """Parse ``name:push:token,...``; raise ``ValueError`` naming the bad entry (by position,
    never by its token)."""
    out: dict[str, ApiToken] = {}
    for position, entry in enumerate(text.split(","), 1):
        entry = entry.strip()
        if not entry:
            continue
        parts = entry.split(":", 2)
        if len(parts) != 3 or not all(p.strip() for p in parts):
            raise ValueError(f"{TOKENS_ENV} entry {position} is not name:push:token")
        name, scope, token = (p.strip() for p in parts)
        if scope in RETIRED_SCOPES:
            raise ValueError(
                f"{TOKENS_ENV} entry {position} ({name}): the {scope} scope is retired; "
                "create a user with a role and give it an API token (paxwatch users token)"
            )
        if scope not in SCOPES:
            raise ValueError(f"{TOKENS_ENV} entry {position} ({name}): the scope must be push")
        known = out.get(token)
        if known is not None and known.name != name:
            raise ValueError(f"{TOKENS_ENV} entry {position} ({name}): token already used")
        out[token] = ApiToken(name=name, scopes=frozenset({scope}))
    return out
