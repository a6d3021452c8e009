"""The assessment hook: what runs on travellers once their booking versions are committed.

Later issues (screening, rules, links) register a callable
``hook(flight_id, stored_traveller_ids) -> None``; none is registered by default. Hooks are
called after the transaction that stored the travellers has committed, once per flight,
with the ids of the ``traveller`` rows of the new booking versions (unchanged re-pushes
call nothing); each flight of a stored API list is notified too, with the booked
travellers its API travellers were linked to, possibly none (its API travellers that match
no booking are assessed on their own). A hook that raises is logged and does not undo the
ingest; a process killed between the commit and the hook misses that call, so assessment
should also be able to pick up unassessed travellers from the store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

AssessHook = Callable[[int, tuple[int, ...]], None]

_HOOKS: list[AssessHook] = []
_log = logging.getLogger(__name__)


def register(hook: AssessHook) -> AssessHook:
    """Register ``hook`` (usable as a decorator); registering twice has no effect."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)
    return hook


def unregister(hook: AssessHook) -> None:
    """Remove ``hook`` if it is registered."""
    if hook in _HOOKS:
        _HOOKS.remove(hook)


def registered() -> tuple[AssessHook, ...]:
    """The hooks, in registration order."""
    return tuple(_HOOKS)


def notify(flight_id: int, traveller_ids: tuple[int, ...]) -> None:
    """Call every hook for one flight; failures are logged, never raised."""
    for hook in tuple(_HOOKS):
        try:
            hook(flight_id, traveller_ids)
        except Exception:
            _log.exception("assessment hook failed", extra={"flight_id": flight_id})
