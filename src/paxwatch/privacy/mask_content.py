"""What depersonalisation does to stored JSON (Directive 2016/681 Art 12(2)): the content of
booking versions, booked and API travellers, API lists' reporting parties and hits'
evidence, masked element by element (``docs/dpo.md`` has the table). Pure functions on
parsed JSON; ``paxwatch.privacy.depersonalise`` applies them to the store."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

MASK = "*MASKED*"
"""What a masked text value reads (fits every masked column)."""


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


def canonical(data: Mapping[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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
