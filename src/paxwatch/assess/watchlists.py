"""Watch-list sources, versions and entries in the store; imports record what changed.

A *source* is one list the PIU may screen against (``watchlist_source``): its id is the
``source`` of every entry and hit. It records type (persons/objects sought or under
alert), owner, legal basis and offence category; until all four are recorded it cannot be
activated (``ListSource.can_activate``, CJEU C-817/19), and only active sources screen.

Each import of a file is a new *version* (``watchlist_version``): the entries read are
compared with the current entries (``watchlists.diff.diff_lists``) and the version records
how many were added, changed, removed and unchanged. Entries are kept per version
(``watchlist_entry``: a changed entry closes its old row and adds a new one), so a hit can
always be explained by the entry as it was. Hits still unreviewed on removed entries are
closed. Re-screening the stored travellers against the added and changed entries is
``paxwatch.assess.screen.rescreen`` (the CLI runs it after an import of an active list).

This module is the entry point; it re-exports the parts: sources (``watchlist_sources``)
and imports (``watchlist_import``).
"""

from paxwatch.assess.watchlist_import import (
    ImportOutcome,
    import_entries,
    import_file,
    read_list,
)
from paxwatch.assess.watchlist_sources import (
    ActiveLists,
    ListFormat,
    SourceError,
    SourceInfo,
    SourceMeta,
    VersionInfo,
    active_lists,
    current_entries,
    get_source,
    list_sources,
    meta_problems,
    register_source,
    set_active,
    source_versions,
)

__all__ = [
    "ActiveLists",
    "ImportOutcome",
    "ListFormat",
    "SourceError",
    "SourceInfo",
    "SourceMeta",
    "VersionInfo",
    "active_lists",
    "current_entries",
    "get_source",
    "import_entries",
    "import_file",
    "list_sources",
    "meta_problems",
    "read_list",
    "register_source",
    "set_active",
    "source_versions",
]
