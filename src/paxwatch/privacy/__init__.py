"""Privacy by design: data minimisation at ingest (Art 6(1) and 13(4) of Directive 2016/681).

``minimise`` drops data outside Annex I (read strictly, CJEU C-817/19) and deletes sensitive
data before anything is stored; each deletion is reported as a ``Deletion`` (category,
element, count: never the content).
"""

from paxwatch.privacy.minimise import (
    Deletion,
    MinimiseConfig,
    MinimiseResult,
    load_config,
    minimise,
    minimise_message,
)
from paxwatch.privacy.redact import redact_raw

__all__ = [
    "Deletion",
    "MinimiseConfig",
    "MinimiseResult",
    "load_config",
    "minimise",
    "minimise_message",
    "redact_raw",
]
