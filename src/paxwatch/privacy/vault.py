"""The vault of depersonalised records (Art 12(3)): the full data of a masked booking version
or API traveller, sealed with Fernet (AES-128-CBC + HMAC-SHA256) under keys held outside
the database (``PAXWATCH_VAULT_KEY``: one or more keys, comma-separated, the first
encrypts; or ``PAXWATCH_VAULT_KEY_FILE``). Only ``paxwatch.privacy.unmask`` opens it."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

KEY_ENV = "PAXWATCH_VAULT_KEY"
KEY_FILE_ENV = "PAXWATCH_VAULT_KEY_FILE"


class VaultError(RuntimeError):
    """No key, a wrong key, or a sealed value that cannot be opened."""


class Vault:
    """Seals and opens the identifying elements with keys held outside the database."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys:
            raise VaultError("the vault needs at least one Fernet key")
        try:
            self._fernet = MultiFernet([Fernet(k) for k in keys])
        except ValueError as exc:
            raise VaultError("a vault key is not a Fernet key (32 url-safe base64 bytes)") from exc
        self.key_id = hashlib.sha256(keys[0]).hexdigest()[:16]

    @staticmethod
    def generate_key() -> bytes:
        """A new random key (give it to ``PAXWATCH_VAULT_KEY``; keep it off the database)."""
        return Fernet.generate_key()

    @classmethod
    def from_env(cls) -> Vault | None:
        """The vault of ``$PAXWATCH_VAULT_KEY`` or ``$PAXWATCH_VAULT_KEY_FILE`` (None: none)."""
        text = os.environ.get(KEY_ENV, "")
        path = os.environ.get(KEY_FILE_ENV)
        if not text and path:
            try:
                text = Path(path).read_text(encoding="ascii")
            except OSError as exc:
                raise VaultError(f"cannot read the vault key file: {exc}") from exc
        keys = [k.strip().encode("ascii") for k in text.replace("\n", ",").split(",")]
        keys = [k for k in keys if k]
        return cls(keys) if keys else None

    def seal(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def open(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken as exc:
            raise VaultError("a sealed record cannot be opened with the configured keys") from exc
