"""Depersonalisation by masking (Directive 2016/681 Art 12(2)), in the store itself.

What is masked (exactly the Art 12(2) elements; ``docs/dpo.md`` has the table):

- (a) names: surname, given names, title, suffix, raw name of every traveller, the names in
  documents, the group name, and the number of travellers travelling together
  (``number_in_party``);
- (b) address and contact information: contacts (value and raw text), addresses;
- (c) payment information that could identify a person: card number and expiry, payer name
  and phone, billing address (the method, amount, currency and card vendor stay);
- (d) frequent-flyer information: number and tier (the airline stays);
- (e) general remarks: the text of remarks, of special service requests and of history
  lines (their kind and code stay);
- (f) API data: documents (number, names, dates, countries, gender), date of birth, gender
  and nationality of booked travellers (they come from DOCS), visas, the unique passenger
  reference, and every API traveller (names, dates, document, nationality, seat, residence,
  references; role, embarkation and debarkation stay) and the reporting party of API lists.

What stays usable for analysis and rules: the record locator, the itinerary (legs, dates,
booking class, code-share, status), the agency, tickets and fares (amounts), seats, bags,
check-in status, split references, traveller type and the count of rows.

How a masked value looks: text becomes ``MASK`` (``"*MASKED*"``); dates, short codes and
counts become NULL (absent from the JSON). ``masked_record`` lists every masked booking
version and API traveller, so a NULL there reads as "masked". The ``identifier`` rows of a
masked version are deleted (link analysis runs on live data only). The archived raw
message is erased (its body becomes ``ERASED``): one message holds many passengers, most of
whom must be deleted, and the version JSON keeps every stored element of the kept ones.

Full data after masking (Art 12(3)): before masking, the version's JSON (already trimmed
to the travellers kept) or the API traveller's JSON is sealed with Fernet (AES-128-CBC +
HMAC-SHA256) under a key held outside the database (``PAXWATCH_VAULT_KEY``: one or more
Fernet keys, comma-separated, the first encrypts; or ``PAXWATCH_VAULT_KEY_FILE``). Only
``paxwatch.privacy.unmask`` opens it, for an approved, unexpired request.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import (
    Connection,
    and_,
    case,
    delete,
    literal,
    or_,
    select,
    update,
)

from paxwatch.privacy.purge import id_in, purge
from paxwatch.store import schema as s
from paxwatch.store.keys import sha256_hex
from paxwatch.store.rows import insert_many, update_rows
from paxwatch.store.schema_assess import hit
from paxwatch.store.schema_privacy import masked_record

MASK = "*MASKED*"
"""What a masked text value reads (fits every masked column)."""
ERASED = b"*ERASED*"
"""The body of an archived raw message once erased."""
KEY_ENV = "PAXWATCH_VAULT_KEY"
KEY_FILE_ENV = "PAXWATCH_VAULT_KEY_FILE"
CHUNK = 500


def is_masked(value: object) -> bool:
    """Whether a stored value is a masked one (``MASK`` text or the ``ERASED`` body)."""
    return value in (MASK, ERASED)


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


# ---------------------------------------------------------------- masking JSON content


def _mask_keys(data: dict[str, Any], masked: Iterable[str], dropped: Iterable[str]) -> None:
    for key in masked:
        if data.get(key) not in (None, ""):
            data[key] = MASK
    for key in dropped:
        data.pop(key, None)


def _mask_address(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    _mask_keys(out, ("street", "city", "region", "postal_code", "raw"), ("country",))
    return out


def _mask_document(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    _mask_keys(
        out,
        ("number", "surname", "given_names", "raw"),
        ("issuing_country", "nationality", "date_of_birth", "gender", "expiry", "issued_on"),
    )
    return out


def _mask_visa(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    _mask_keys(out, ("number", "place_of_birth", "place_of_issue", "raw"), ("issued_on",))
    out.pop("country", None)
    return out


def _mask_items(data: dict[str, Any], key: str, fn: Any, *, masked: Sequence[str] = ()) -> None:
    items = data.get(key)
    if not items:
        return
    out = []
    for item in items:
        if fn is not None:
            out.append(fn(item))
        else:
            copy = dict(item)
            _mask_keys(copy, masked, ())
            out.append(copy)
    data[key] = out


def mask_traveller_content(data: Mapping[str, Any]) -> dict[str, Any]:
    """A booked traveller's JSON with Art 12(2)(a), (b), (d), (f) masked."""
    out = dict(data)
    out["surname"] = MASK
    _mask_keys(
        out,
        ("given_names", "title", "suffix", "raw_name", "unique_ref"),
        ("date_of_birth", "gender", "nationality"),
    )
    _mask_items(out, "documents", _mask_document)
    _mask_items(out, "visas", _mask_visa)
    _mask_items(out, "addresses", _mask_address)
    _mask_items(out, "frequent_flyers", None, masked=("number", "tier"))
    return out


def _mask_contact(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    _mask_keys(out, ("value", "raw"), ())
    if out.get("address"):
        out["address"] = _mask_address(out["address"])
    return out


def _mask_payment(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    _mask_keys(out, ("card_number", "card_expiry", "payer_name", "payer_phone"), ())
    if out.get("billing_address"):
        out["billing_address"] = _mask_address(out["billing_address"])
    return out


def mask_booking_content(data: Mapping[str, Any]) -> dict[str, Any]:
    """A booking version's JSON (``booking_version.content``) with Art 12(2) masked."""
    out = dict(data)
    out.pop("number_in_party", None)
    _mask_keys(out, ("group_name",), ())
    if out.get("travellers"):
        out["travellers"] = [mask_traveller_content(t) for t in out["travellers"]]
    _mask_items(out, "contacts", _mask_contact)
    _mask_items(out, "payments", _mask_payment)
    _mask_items(out, "remarks", None, masked=("text",))
    _mask_items(out, "special_services", None, masked=("text",))
    _mask_items(out, "history", None, masked=("text",))
    _mask_items(out, "non_air", None, masked=("location", "provider", "raw"))
    return out


def trim_booking_content(
    data: Mapping[str, Any], keep_refs: frozenset[str] | None
) -> dict[str, Any]:
    """The booking JSON with only the travellers of ``keep_refs`` (None: all), and without
    the contacts, payments, remarks and services filed under the others."""
    if keep_refs is None:
        return dict(data)
    out = dict(data)
    out["travellers"] = [t for t in data.get("travellers", ()) if t.get("ref") in keep_refs]
    for key in ("contacts", "payments", "remarks", "special_services"):
        if key in out:
            out[key] = [
                item
                for item in out[key]
                if item.get("traveller_ref") is None or item.get("traveller_ref") in keep_refs
            ]
    return {k: v for k, v in out.items() if v not in ([], None)}


def mask_api_content(data: Mapping[str, Any]) -> dict[str, Any]:
    """An API traveller's JSON (``api_traveller.content``) with every API datum masked."""
    out = dict(data)
    out["surname"] = MASK
    _mask_keys(
        out,
        ("given_names", "raw_name", "unique_ref", "birth_place"),
        ("gender", "date_of_birth", "nationality", "residence_country", "seat", "clearance"),
    )
    _mask_items(out, "documents", _mask_document)
    if out.get("references"):
        out["references"] = [[ref[0], MASK] for ref in out["references"]]
    return out


def mask_reporting_party(data: Mapping[str, Any]) -> dict[str, Any]:
    """The reporting party of an API list (a contact person of the carrier) masked."""
    out = dict(data)
    _mask_keys(out, ("name", "phone", "fax", "email"), ())
    return out


def _canonical(data: Mapping[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# ---------------------------------------------------------------- masking the store


@dataclass(frozen=True, slots=True, kw_only=True)
class MaskOutcome:
    """What one depersonalisation call did (counts only)."""

    versions: int = 0
    travellers_dropped: int = 0
    api_travellers: int = 0
    identifiers_deleted: int = 0


def _masked_or_null(column: Any) -> Any:
    return case((column.is_(None), None), else_=literal(MASK))


def _in_chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def _mask_columns_of_travellers(conn: Connection, where: Any) -> None:
    t = s.traveller
    conn.execute(
        update(t)
        .where(where)
        .values(
            surname=MASK,
            given_names=_masked_or_null(t.c.given_names),
            title=_masked_or_null(t.c.title),
            suffix=_masked_or_null(t.c.suffix),
            raw_name=_masked_or_null(t.c.raw_name),
            date_of_birth=None,
            gender=None,
            nationality=None,
        )
    )


def _mask_documents(conn: Connection, where: Any) -> None:
    d = s.document
    conn.execute(
        update(d)
        .where(where)
        .values(
            number=_masked_or_null(d.c.number),
            surname=_masked_or_null(d.c.surname),
            given_names=_masked_or_null(d.c.given_names),
            issuing_country=None,
            nationality=None,
            date_of_birth=None,
            gender=None,
            expiry=None,
            issued_on=None,
        )
    )


def drop_travellers(conn: Connection, keep: Mapping[int, frozenset[str] | None]) -> int:
    """Delete, from each version of ``keep`` (version id → refs kept, None: all), the
    travellers not kept, in the rows and in the JSON content. Returns travellers deleted."""
    t, v = s.traveller, s.booking_version
    groups: dict[frozenset[str], list[int]] = {}
    for version_id, refs in keep.items():
        if refs is not None:
            groups.setdefault(refs, []).append(int(version_id))
    dropped = 0
    changed: dict[int, frozenset[str]] = {}
    for refs, version_ids in groups.items():
        gone = or_(t.c.ref.is_(None), t.c.ref.not_in(sorted(refs))) if refs else literal(True)
        for chunk in _in_chunks(version_ids):
            where = and_(id_in(conn, t.c.version_id, chunk), gone)
            touched = conn.execute(select(t.c.version_id).where(where).distinct()).scalars()
            changed.update({int(i): refs for i in touched})
            dropped += purge(conn, t, where)
    for chunk in _in_chunks(sorted(changed)):
        rows = conn.execute(select(v.c.id, v.c.content).where(id_in(conn, v.c.id, chunk))).all()
        updates: list[tuple[Any, ...]] = []
        for version_id, content in rows:
            trimmed = _canonical(trim_booking_content(json.loads(content), changed[version_id]))
            updates.append((trimmed, sha256_hex(trimmed.encode("utf-8")), version_id))
        update_rows(conn, v, ("content", "content_hash"), updates)
    return dropped


def mask_hit_features(text: str) -> str:
    """The JSON of a hit's evidence with the traveller's data masked.

    A hit keeps a snapshot of what was compared: the traveller's name (``subject_name``),
    each feature's explanation (``detail``: names, dates, document numbers as seen) and, for
    rule conditions, the value seen. Those are masked with the booking (Art 12(2)); the
    feature names, weights, contributions and similarity scores, the rule conditions' text
    and whether they held, and the listed name (the list's data, not the traveller's) stay.
    """
    data = json.loads(text)
    if data.get("subject_name") is not None:
        data["subject_name"] = MASK
    for feature in data.get("features", ()):
        if feature.get("detail"):
            feature["detail"] = MASK
        value = feature.get("value")
        if "field" in feature and value is not None and not isinstance(value, bool):
            feature["value"] = MASK
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _mask_hits(conn: Connection, travellers: Any, *, api: bool = False) -> None:
    """Mask the evidence snapshots of the hits of ``travellers`` (a select of ids; ``api``:
    of API travellers, whose hits were raised on the API record alone)."""
    h = hit
    owner = h.c.api_traveller_id if api else h.c.traveller_id
    rows = conn.execute(select(h.c.id, h.c.features).where(owner.in_(travellers)))
    update_rows(conn, h, ("features",), [(mask_hit_features(f), i) for i, f in rows.all()])


def depersonalise_versions(
    conn: Connection,
    version_ids: Sequence[int],
    *,
    keep: Mapping[int, frozenset[str] | None] | None = None,
    vault: Vault | None,
    now: datetime,
) -> MaskOutcome:
    """Mask the booking versions ``version_ids`` (those masked before are skipped).

    ``keep``: per version, the traveller refs kept (the others are deleted first; missing or
    None: all). The trimmed original JSON is sealed in ``masked_record`` when a vault is
    given. Idempotent.
    """
    v, mr = s.booking_version, masked_record
    done = (
        set(
            conn.execute(select(mr.c.version_id).where(mr.c.version_id.in_(list(version_ids))))
            .scalars()
            .all()
        )
        if version_ids
        else set()
    )
    todo = [i for i in dict.fromkeys(version_ids) if i not in done]
    if not todo:
        return MaskOutcome()
    dropped = drop_travellers(conn, {i: (keep or {}).get(i) for i in todo})
    identifiers = 0
    for chunk in _in_chunks(todo):
        rows = conn.execute(select(v.c.id, v.c.content).where(v.c.id.in_(chunk))).all()
        updates: list[tuple[Any, ...]] = []
        records: list[dict[str, Any]] = []
        for version_id, content in rows:
            masked = _canonical(mask_booking_content(json.loads(content)))
            updates.append((masked, sha256_hex(masked.encode("utf-8")), None, None, version_id))
            sealed = vault.seal(content.encode("utf-8")) if vault else None
            records.append(
                {
                    "version_id": version_id,
                    "api_traveller_id": None,
                    "masked_at": now,
                    "key_id": vault.key_id if vault else None,
                    "sealed": sealed,
                }
            )
        update_rows(conn, v, ("content", "content_hash", "number_in_party", "group_name"), updates)
        conn.execute(
            update(v)
            .where(and_(v.c.id.in_(chunk), v.c.group_name.is_not(None)))
            .values(group_name=MASK)
        )
        travellers = select(s.traveller.c.id).where(s.traveller.c.version_id.in_(chunk))
        _mask_columns_of_travellers(conn, s.traveller.c.version_id.in_(chunk))
        _mask_documents(conn, s.document.c.traveller_id.in_(travellers))
        c, p, ff = s.contact, s.payment, s.frequent_flyer
        conn.execute(
            update(c)
            .where(c.c.version_id.in_(chunk))
            .values(value=MASK, raw=_masked_or_null(c.c.raw))
        )
        conn.execute(
            update(p)
            .where(p.c.version_id.in_(chunk))
            .values(
                card_number=_masked_or_null(p.c.card_number),
                card_expiry=_masked_or_null(p.c.card_expiry),
                payer_name=_masked_or_null(p.c.payer_name),
                payer_phone=_masked_or_null(p.c.payer_phone),
                billing_address=_masked_or_null(p.c.billing_address),
            )
        )
        conn.execute(
            update(ff)
            .where(ff.c.traveller_id.in_(travellers))
            .values(number=MASK, tier=_masked_or_null(ff.c.tier))
        )
        _mask_hits(conn, travellers)
        i = s.identifier
        # Every identifier of a version's travellers carries the version (no index on
        # ``traveller_id``: migration 0008).
        result = conn.execute(delete(i).where(i.c.version_id.in_(chunk)))
        identifiers += result.rowcount or 0
        insert_many(conn, mr, records)
    return MaskOutcome(
        versions=len(todo), travellers_dropped=dropped, identifiers_deleted=identifiers
    )


def depersonalise_api_travellers(
    conn: Connection, api_traveller_ids: Sequence[int], *, vault: Vault | None, now: datetime
) -> MaskOutcome:
    """Mask the API travellers ``api_traveller_ids`` and the reporting party of their lists
    (those masked before are skipped). Idempotent."""
    a, mr = s.api_traveller, masked_record
    ids = list(dict.fromkeys(api_traveller_ids))
    identifiers = 0
    count = 0
    for chunk in _in_chunks(ids):
        done = set(
            conn.execute(select(mr.c.api_traveller_id).where(mr.c.api_traveller_id.in_(chunk)))
            .scalars()
            .all()
        )
        todo = [i for i in chunk if i not in done]
        if not todo:
            continue
        count += len(todo)
        rows = conn.execute(select(a.c.id, a.c.content).where(a.c.id.in_(todo))).all()
        updates = []
        records = []
        for api_id, content in rows:
            masked = _canonical(mask_api_content(json.loads(content)))
            updates.append((masked, api_id))
            records.append(
                {
                    "version_id": None,
                    "api_traveller_id": api_id,
                    "masked_at": now,
                    "key_id": vault.key_id if vault else None,
                    "sealed": vault.seal(content.encode("utf-8")) if vault else None,
                }
            )
        update_rows(conn, a, ("content",), updates)
        conn.execute(
            update(a)
            .where(a.c.id.in_(todo))
            .values(
                surname=MASK,
                given_names=_masked_or_null(a.c.given_names),
                raw_name=_masked_or_null(a.c.raw_name),
                unique_ref=_masked_or_null(a.c.unique_ref),
                gender=None,
                date_of_birth=None,
                nationality=None,
                seat=None,
            )
        )
        _mask_documents(conn, s.document.c.api_traveller_id.in_(todo))
        _mask_hits(conn, todo, api=True)
        i = s.identifier
        result = conn.execute(delete(i).where(i.c.api_traveller_id.in_(todo)))
        identifiers += result.rowcount or 0
        insert_many(conn, mr, records)
        _mask_reporting_parties(conn, todo)
    return MaskOutcome(api_travellers=count, identifiers_deleted=identifiers)


def _mask_reporting_parties(conn: Connection, api_traveller_ids: list[int]) -> None:
    m, a = s.api_message, s.api_traveller
    rows = conn.execute(
        select(m.c.id, m.c.reporting_party).where(
            m.c.id.in_(select(a.c.api_message_id).where(a.c.id.in_(api_traveller_ids))),
            m.c.reporting_party.is_not(None),
        )
    ).all()
    updates = []
    for message_id, party in rows:
        masked = _canonical(mask_reporting_party(json.loads(party)))
        if masked != party:
            updates.append((masked, message_id))
    update_rows(conn, m, ("reporting_party",), updates)


def erase_raw(conn: Connection, raw_ids: Sequence[int]) -> int:
    """Erase the archived bodies of raw messages (the row, hash and counts stay)."""
    r = s.raw_message
    erased = 0
    for chunk in _in_chunks(list(raw_ids)):
        result = conn.execute(
            update(r).where(and_(r.c.id.in_(chunk), r.c.body != ERASED)).values(body=ERASED)
        )
        erased += result.rowcount or 0
    return erased


def masked_version_ids(conn: Connection, version_ids: Sequence[int]) -> set[int]:
    """Which of ``version_ids`` are depersonalised (for paths that show "masked")."""
    mr = masked_record
    out: set[int] = set()
    for chunk in _in_chunks(list(version_ids)):
        out.update(
            int(i)
            for i in conn.execute(select(mr.c.version_id).where(mr.c.version_id.in_(chunk)))
            .scalars()
            .all()
        )
    return out


def masked_api_traveller_ids(conn: Connection, api_traveller_ids: Sequence[int]) -> set[int]:
    """Which of ``api_traveller_ids`` are depersonalised."""
    mr = masked_record
    out: set[int] = set()
    for chunk in _in_chunks(list(api_traveller_ids)):
        out.update(
            int(i)
            for i in conn.execute(
                select(mr.c.api_traveller_id).where(mr.c.api_traveller_id.in_(chunk))
            )
            .scalars()
            .all()
        )
    return out
