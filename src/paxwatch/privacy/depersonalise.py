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
masked version are deleted, and the keys by which link analysis finds its documents,
frequent-flyer numbers, contacts and payments (normalised values or their hashes) are
cleared: link analysis runs on live data only, and a hash of a phone number protects
nothing (the numbers are few enough to try them all). The archived raw message is erased
(its body becomes ``ERASED``): one message holds many passengers, most of whom must be
deleted, and the version JSON keeps every stored element of the kept ones.

Full data after masking (Art 12(3)): before masking, the version's JSON (already trimmed
to the travellers kept) or the API traveller's JSON is sealed with Fernet (AES-128-CBC +
HMAC-SHA256) under a key held outside the database (``PAXWATCH_VAULT_KEY``: one or more
Fernet keys, comma-separated, the first encrypts; or ``PAXWATCH_VAULT_KEY_FILE``). Only
``paxwatch.privacy.unmask`` opens it, for an approved, unexpired request.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    case,
    delete,
    false,
    literal,
    or_,
    select,
    update,
)

from paxwatch.privacy.mask_content import MASK as MASK
from paxwatch.privacy.mask_content import canonical as _canonical
from paxwatch.privacy.mask_content import mask_api_content as mask_api_content
from paxwatch.privacy.mask_content import mask_booking_content as mask_booking_content
from paxwatch.privacy.mask_content import mask_hit_features as mask_hit_features
from paxwatch.privacy.mask_content import mask_reporting_party as mask_reporting_party
from paxwatch.privacy.mask_content import mask_traveller_content as mask_traveller_content
from paxwatch.privacy.mask_content import trim_booking_content as trim_booking_content
from paxwatch.privacy.purge import IdList, id_in, purge
from paxwatch.privacy.vault import KEY_ENV as KEY_ENV
from paxwatch.privacy.vault import KEY_FILE_ENV as KEY_FILE_ENV
from paxwatch.privacy.vault import Vault as Vault
from paxwatch.privacy.vault import VaultError as VaultError
from paxwatch.store import schema as s
from paxwatch.store.keys import sha256_hex
from paxwatch.store.rows import insert_many, update_rows
from paxwatch.store.schema_assess import hit
from paxwatch.store.schema_privacy import masked_record

ERASED = b"*ERASED*"
"""The body of an archived raw message once erased."""
CHUNK = 2000


def is_masked(value: object) -> bool:
    """Whether a stored value is a masked one (``MASK`` text or the ``ERASED`` body)."""
    return value in (MASK, ERASED)


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


def _mask_hits(conn: Connection, travellers: IdList, *, api: bool = False) -> None:
    """Mask the evidence snapshots of the hits of ``travellers`` (``api``: API travellers,
    whose hits were raised on the API record alone)."""
    h = hit
    owner = h.c.api_traveller_id if api else h.c.traveller_id
    rows = conn.execute(select(h.c.id, h.c.features).where(travellers.match(owner)))
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
            conn.execute(select(mr.c.version_id).where(id_in(conn, mr.c.version_id, version_ids)))
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
    t = s.traveller
    for chunk in _in_chunks(todo):
        # Each chunk's ids written out once (``IdList``: no bound parameter per id, an
        # index look-up per id on PostgreSQL), its travellers' ids read once.
        versions = IdList(conn, chunk)
        rows = conn.execute(select(v.c.id, v.c.content).where(versions.match(v.c.id))).all()
        updates: list[tuple[Any, ...]] = []
        records: list[dict[str, Any]] = []
        for version_id, content in rows:
            masked = _canonical(mask_booking_content(json.loads(content)))
            updates.append(
                (masked, sha256_hex(masked.encode("utf-8")), None, None, True, version_id)
            )
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
        columns = ("content", "content_hash", "number_in_party", "group_name", "masked")
        update_rows(conn, v, columns, updates)
        conn.execute(
            update(v)
            .where(and_(versions.match(v.c.id), v.c.group_name.is_not(None)))
            .values(group_name=MASK)
        )
        found = conn.execute(select(t.c.id).where(versions.match(t.c.version_id)))
        travellers = IdList(conn, found.scalars())
        _mask_columns_of_travellers(conn, travellers.match(t.c.id))
        _mask_documents(conn, travellers.match(s.document.c.traveller_id))
        c, p, ff = s.contact, s.payment, s.frequent_flyer
        conn.execute(
            update(c)
            .where(versions.match(c.c.version_id))
            .values(value=MASK, raw=_masked_or_null(c.c.raw), value_key=None)
        )
        conn.execute(
            update(p)
            .where(versions.match(p.c.version_id))
            .values(
                card_number=_masked_or_null(p.c.card_number),
                card_expiry=_masked_or_null(p.c.card_expiry),
                payer_name=_masked_or_null(p.c.payer_name),
                payer_phone=_masked_or_null(p.c.payer_phone),
                billing_address=_masked_or_null(p.c.billing_address),
                card_key=None,
                payer_phone_key=None,
            )
        )
        conn.execute(
            update(ff)
            .where(travellers.match(ff.c.traveller_id))
            .values(number=MASK, tier=_masked_or_null(ff.c.tier), number_key=None)
        )
        _mask_hits(conn, travellers)
        i = s.identifier
        # Every identifier of a version's travellers carries the version (no index on
        # ``traveller_id``: migration 0008).
        result = conn.execute(delete(i).where(versions.match(i.c.version_id)))
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
        seen = select(mr.c.api_traveller_id).where(id_in(conn, mr.c.api_traveller_id, chunk))
        done = set(conn.execute(seen).scalars().all())
        todo = [i for i in chunk if i not in done]
        if not todo:
            continue
        count += len(todo)
        listed = IdList(conn, todo)
        rows = conn.execute(select(a.c.id, a.c.content).where(listed.match(a.c.id))).all()
        updates = []
        records = []
        for api_id, content in rows:
            masked = _canonical(mask_api_content(json.loads(content)))
            updates.append((masked, True, api_id))
            records.append(
                {
                    "version_id": None,
                    "api_traveller_id": api_id,
                    "masked_at": now,
                    "key_id": vault.key_id if vault else None,
                    "sealed": vault.seal(content.encode("utf-8")) if vault else None,
                }
            )
        update_rows(conn, a, ("content", "masked"), updates)
        conn.execute(
            update(a)
            .where(listed.match(a.c.id))
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
        _mask_documents(conn, listed.match(s.document.c.api_traveller_id))
        _mask_hits(conn, listed, api=True)
        i = s.identifier
        result = conn.execute(delete(i).where(listed.match(i.c.api_traveller_id)))
        identifiers += result.rowcount or 0
        insert_many(conn, mr, records)
        _mask_reporting_parties(conn, listed)
    return MaskOutcome(api_travellers=count, identifiers_deleted=identifiers)


def _mask_reporting_parties(conn: Connection, api_travellers: IdList) -> None:
    m, a = s.api_message, s.api_traveller
    lists = select(a.c.api_message_id).where(api_travellers.match(a.c.id)).distinct()
    rows = conn.execute(
        select(m.c.id, m.c.reporting_party).where(
            id_in(conn, m.c.id, conn.execute(lists).scalars().all()),
            m.c.reporting_party.is_not(None),
        )
    ).all()
    updates = []
    for message_id, party in rows:
        masked = _canonical(mask_reporting_party(json.loads(party)))
        if masked != party:
            updates.append((masked, message_id))
    update_rows(conn, m, ("reporting_party",), updates)


def unerased(column: Any = None) -> Any:
    """``raw_message`` rows whose body is not erased yet: ``erased = 0`` (SQLite) or
    ``erased = false``, the condition of the partial index ``ix_raw_message_unerased``
    (migration 0012), written out so that SQLite matches it."""
    return (s.raw_message.c.erased if column is None else column) == false()


def erase_raw(conn: Connection, raw_ids: Sequence[int]) -> int:
    """Erase the archived bodies of raw messages (the row, hash and counts stay) and mark
    them ``erased``; those erased before are skipped (their body is not read)."""
    r = s.raw_message
    erased = 0
    for chunk in _in_chunks(sorted({int(i) for i in raw_ids})):
        result = conn.execute(
            update(r).where(and_(r.c.id.in_(chunk), unerased())).values(body=ERASED, erased=True)
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
