"""The registry of list sources: which databases screening may use, and why.

CJEU C-817/19: the databases of Art 6(3)(a) are only databases on persons or objects
sought or under alert, relevant to terrorism or serious crime (Annex II). A source can only
be activated when its type, owner, legal basis and offence category are recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ListType(StrEnum):
    PERSONS_SOUGHT = "persons_sought"
    PERSONS_UNDER_ALERT = "persons_under_alert"
    OBJECTS_SOUGHT = "objects_sought"
    OBJECTS_UNDER_ALERT = "objects_under_alert"


class OffenceCategory(StrEnum):
    """Terrorism, or one of the 26 serious-crime categories of Directive Annex II."""

    TERRORISM = "terrorism"
    CRIMINAL_ORGANISATION = "criminal_organisation"
    HUMAN_TRAFFICKING = "human_trafficking"
    CHILD_SEXUAL_EXPLOITATION = "child_sexual_exploitation"
    DRUGS = "drugs"
    WEAPONS = "weapons"
    CORRUPTION = "corruption"
    FRAUD = "fraud"
    MONEY_LAUNDERING = "money_laundering"
    CYBERCRIME = "cybercrime"
    ENVIRONMENTAL_CRIME = "environmental_crime"
    ILLEGAL_ENTRY_FACILITATION = "illegal_entry_facilitation"
    MURDER = "murder"
    ORGAN_TRAFFICKING = "organ_trafficking"
    KIDNAPPING = "kidnapping"
    ARMED_ROBBERY = "armed_robbery"
    CULTURAL_GOODS = "cultural_goods"
    PRODUCT_PIRACY = "product_piracy"
    DOCUMENT_FORGERY = "document_forgery"
    HORMONAL_SUBSTANCES = "hormonal_substances"
    NUCLEAR_MATERIALS = "nuclear_materials"
    RAPE = "rape"
    ICC_CRIMES = "icc_crimes"
    AIRCRAFT_SHIP_SEIZURE = "aircraft_ship_seizure"
    SABOTAGE = "sabotage"
    STOLEN_VEHICLES = "stolen_vehicles"
    INDUSTRIAL_ESPIONAGE = "industrial_espionage"


@dataclass(frozen=True, slots=True, kw_only=True)
class ListSource:
    """A watch list the PIU screens against (``id`` is ``WatchlistEntry.source``)."""

    id: str
    name: str
    type: ListType | None = None
    owner: str | None = None
    legal_basis: str | None = None
    offence_category: OffenceCategory | None = None
    active: bool = False

    def activation_problems(self) -> list[str]:
        """What is missing before the source may be used (empty when it may)."""
        problems = []
        if self.type is None:
            problems.append("type (persons/objects sought or under alert) is not recorded")
        if not (self.owner or "").strip():
            problems.append("owner is not recorded")
        if not (self.legal_basis or "").strip():
            problems.append("legal basis is not recorded")
        if self.offence_category is None:
            problems.append("offence category (terrorism or Annex II) is not recorded")
        return problems

    def can_activate(self) -> bool:
        """True only when type, owner, legal basis and offence category are all recorded."""
        return not self.activation_problems()
