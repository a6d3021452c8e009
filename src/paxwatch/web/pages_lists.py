"""The supervisor's actions on watch lists and rules from the UI: import a list file as a
new version (or register a new source), activate or deactivate a list, activate or retire a
rule version. Each checks the permission the API checks, does what the CLI and the API do
(the same library functions, audited there), and answers with a notice for the page."""

from __future__ import annotations

import re
from dataclasses import dataclass

from paxwatch.assess import list_updates as lu
from paxwatch.assess import rules as ar
from paxwatch.assess import watchlists as wl
from paxwatch.privacy.access import Action, Principal, require
from paxwatch.store.engine import Store

SOURCE_ID = re.compile(r"^[A-Za-z0-9_-]{1,60}$")
"""What a source id may be, from a form (the API's path parameter is as strict)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Notice:
    """What an action did, or why it was refused (no personal data)."""

    ok: bool
    text: str
    details: tuple[str, ...] = ()


def import_list(
    store: Store,
    principal: Principal,
    *,
    source_id: str,
    fmt: str,
    data: bytes,
    file_name: str | None,
    content_type: str,
    meta: wl.SourceMeta,
    rescreen: bool,
) -> Notice:
    """Import an uploaded file as a new version of ``source_id`` (``MANAGE_WATCHLISTS``)."""
    require(principal, Action.MANAGE_WATCHLISTS)
    if not SOURCE_ID.match(source_id):
        return Notice(
            ok=False,
            text="The source id must be 1 to 60 letters, digits, '-' or '_' (e.g. UN, NAT-FR).",
        )
    try:
        list_format = wl.ListFormat(fmt)
    except ValueError:
        return Notice(ok=False, text=f"Unknown format {fmt!r}: choose one from the list.")
    if not data:
        return Notice(ok=False, text="The file is empty: choose the list file to import.")
    try:
        done = lu.import_upload(
            store,
            data,
            file_name,
            source_id,
            list_format,
            meta=meta,
            by=principal.username,
            content_type=content_type,
            rescreen=rescreen,
        )
    except wl.SourceError as error:
        return Notice(ok=False, text=f"Not imported: {error}", details=error.problems)
    o = done.outcome
    text = (
        f"{source_id} version {o.version_no}: {o.imported:,} entries ({o.added} added, "
        f"{o.changed} changed, {o.removed} removed, {o.unchanged} unchanged); {o.skipped} "
        f"skipped; {o.closed_hits} open hit(s) of removed entries closed."
    )
    if done.rescreened is not None:
        text += (
            f" Re-screened {done.rescreened.travellers:,} travellers against the added and "
            f"changed entries: {done.rescreened.watchlist_hits} new hit(s)."
        )
    elif not o.active:
        text += " The list is not active: activate it to screen with it."
    return Notice(ok=True, text=text, details=o.problems[:20])


def set_list_state(
    store: Store, principal: Principal, source_id: str, *, active: bool, rescreen: bool = True
) -> Notice:
    """Activate (re-screening the stored window) or deactivate a source
    (``ACTIVATE_WATCHLIST``)."""
    require(principal, Action.ACTIVATE_WATCHLIST)
    try:
        if not active:
            lu.deactivate_list(store, source_id, by=principal.username)
            return Notice(ok=True, text=f"{source_id} is inactive: it no longer screens.")
        done = lu.activate_list(store, source_id, by=principal.username, rescreen=rescreen)
    except wl.SourceError as error:
        verb = "activated" if active else "deactivated"
        return Notice(ok=False, text=f"{source_id} not {verb}.", details=error.problems)
    text = f"{source_id} is active ({done.source.entries:,} entries)."
    if done.rescreened is not None:
        text += (
            f" Re-screened {done.rescreened.travellers:,} travellers: "
            f"{done.rescreened.watchlist_hits} hit(s)."
        )
    return Notice(ok=True, text=text)


def set_rule_state(
    store: Store, principal: Principal, rule_id: str, *, version: int, activate: bool
) -> Notice:
    """Activate a draft version (four eyes: never its author) or retire a version
    (``ACTIVATE_RULE``)."""
    require(principal, Action.ACTIVATE_RULE)
    roles = {principal.role.value}
    try:
        if activate:
            ar.activate_rule(store, rule_id, by=principal.username, roles=roles, version=version)
        else:
            ar.retire_rule(store, rule_id, by=principal.username, roles=roles, version=version)
    except ar.RuleStoreError as error:
        return Notice(ok=False, text=f"Refused: {error}.")
    verb = "activated: it assesses travellers from now on" if activate else "retired"
    return Notice(ok=True, text=f"{rule_id} v{version} {verb}.")
