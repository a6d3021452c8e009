"""Watch-list sources, versions and entries in the store; imports record what changed.

The entry point of the parts, re-exported here: sources (``watchlist_sources``: registry,
activation, current versions and entries) and imports of list files as new versions
(``watchlist_import``). Each part's docstring says how it works.
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
