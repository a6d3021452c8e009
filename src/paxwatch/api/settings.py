"""API settings from the environment: the interim bearer tokens and the body size limit.

``PAXWATCH_API_TOKENS``: comma-separated ``name:scope:token`` entries, scope ``push`` (may
only POST messages), ``read`` (may read) or ``manage`` (supervisor operations: import and
activate watch lists and rules, run screening). The same token listed under several scopes
has them all. ``PAXWATCH_API_MAX_BODY``: the largest body accepted, in bytes (default 20 MB).

These tokens are interim: the users/roles issue replaces them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

TOKENS_ENV = "PAXWATCH_API_TOKENS"
MAX_BODY_ENV = "PAXWATCH_API_MAX_BODY"
DEFAULT_MAX_BODY = 20 * 1024 * 1024
SCOPES = frozenset({"push", "read", "manage"})


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A caller: its name (recorded, never the token) and what it may do."""

    name: str
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiSettings:
    """What the application needs besides the store."""

    tokens: dict[str, ApiToken] = field(default_factory=dict)
    max_body: int = DEFAULT_MAX_BODY

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> ApiSettings:
        """Read ``PAXWATCH_API_TOKENS`` and ``PAXWATCH_API_MAX_BODY``."""
        env = os.environ if environ is None else environ
        limit = env.get(MAX_BODY_ENV, "").strip()
        return cls(
            tokens=parse_tokens(env.get(TOKENS_ENV, "")),
            max_body=int(limit) if limit else DEFAULT_MAX_BODY,
        )


def parse_tokens(text: str) -> dict[str, ApiToken]:
    """Parse ``name:scope:token,...``; raise ``ValueError`` naming the bad entry (by position,
    never by its token)."""
    out: dict[str, ApiToken] = {}
    for position, entry in enumerate(text.split(","), 1):
        entry = entry.strip()
        if not entry:
            continue
        parts = entry.split(":", 2)
        if len(parts) != 3 or not all(p.strip() for p in parts):
            raise ValueError(f"{TOKENS_ENV} entry {position} is not name:scope:token")
        name, scope, token = (p.strip() for p in parts)
        if scope not in SCOPES:
            raise ValueError(
                f"{TOKENS_ENV} entry {position} ({name}): scope must be push, read or manage"
            )
        known = out.get(token)
        if known is not None and known.name != name:
            raise ValueError(f"{TOKENS_ENV} entry {position} ({name}): token already used")
        scopes = (known.scopes if known else frozenset()) | {scope}
        out[token] = ApiToken(name=name, scopes=scopes)
    return out
