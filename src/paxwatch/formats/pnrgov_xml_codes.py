"""Names and code tables of PNRGOV XML (``IATA_PNRGOV_NotifRQ``), shared by reader and writer.

The root tag and namespace, and how the reader maps the codes it meets (passenger types,
genders, payment types, history actions, DOCA address types, phone SSRs) to the model.
"""

from __future__ import annotations

from paxwatch.formats import values
from paxwatch.model.common import Gender, PaymentMethod, TravellerType

__all__ = [
    "ADDRESS_KINDS",
    "GENDERS",
    "HISTORY_ACTIONS",
    "IATA_NAMESPACE",
    "PAYMENT_CODES",
    "PHONE_SSRS",
    "ROOT_TAG",
    "TRAVELLER_TYPES",
]

ROOT_TAG = "IATA_PNRGOV_NotifRQ"
IATA_NAMESPACE = "http://www.iata.org/IATA/2007/00"

PAYMENT_CODES: dict[str, PaymentMethod] = values.PAYMENT_METHODS
TRAVELLER_TYPES: dict[str, TravellerType] = {
    "ADT": TravellerType.ADULT,
    "A": TravellerType.ADULT,
    "ADULT": TravellerType.ADULT,
    "CHD": TravellerType.CHILD,
    "CNN": TravellerType.CHILD,
    "CH": TravellerType.CHILD,
    "C": TravellerType.CHILD,
    "CHILD": TravellerType.CHILD,
    "INF": TravellerType.INFANT,
    "INS": TravellerType.INFANT,
    "IN": TravellerType.INFANT,
    "I": TravellerType.INFANT,
    "INFANT": TravellerType.INFANT,
}
GENDERS: dict[str, Gender] = {
    "M": Gender.MALE,
    "MALE": Gender.MALE,
    "MI": Gender.MALE,
    "F": Gender.FEMALE,
    "FEMALE": Gender.FEMALE,
    "FI": Gender.FEMALE,
    "U": Gender.UNKNOWN,
    "X": Gender.UNSPECIFIED,
}
HISTORY_ACTIONS: dict[str, str] = {
    "A": "added",
    "ADD": "added",
    "ADDED": "added",
    "X": "cancelled",
    "D": "cancelled",
    "DELETE": "cancelled",
    "CANCEL": "cancelled",
    "CANCELLED": "cancelled",
    "C": "changed",
    "U": "changed",
    "CHANGE": "changed",
    "CHANGED": "changed",
    "MODIFY": "changed",
}
ADDRESS_KINDS: dict[str, str] = {"R": "residence", "D": "destination"}
PHONE_SSRS = frozenset({"CTCM", "CTCH", "CTCB", "CTCR", "CTCP", "CTCT"})
