"""The API traveller of a hit raised on an API record alone (a traveller matching no
booking: crew, transit passengers, a passenger whose PNR never arrived)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from paxwatch.api.models import Out
from paxwatch.review.api_travellers import ApiTravellerView


class ApiTravellerOut(Out):
    """An API (PAXLST) traveller as the carrier reported it at check-in. Depersonalised
    values are shown masked (``[masked]``; a date keeps its year at most) and ``masked`` is
    true."""

    api_traveller_id: int
    api_message_id: int
    role: str = Field(description="passenger, crew, transit_passenger or transit_crew.")
    role_label: str
    masked: bool
    surname: str | None
    given_names: str | None
    date_of_birth: str | None
    gender: str | None
    nationality: str | None
    booking_locator: str | None = Field(description="The booking reference the list gave.")
    embarkation: str | None
    debarkation: str | None
    documents: list[dict[str, Any]]
    flights: list[dict[str, Any]]
    linked_traveller_id: int | None = Field(
        description="The booked traveller it was correlated with since, if any."
    )
    open_hit_ids: list[int]

    @classmethod
    def of(cls, view: ApiTravellerView) -> ApiTravellerOut:
        return cls.model_validate(view)
