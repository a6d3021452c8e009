"""``GET /api/v1/travellers/{traveller_id}``: one booked traveller, masked values masked
(``read_traveller`` on the traveller, audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from paxwatch.api import reads
from paxwatch.api.deps import Purpose, SettingsDep, StoreDep, permit, reader
from paxwatch.api.models_review import TravellerOut
from paxwatch.api.problems import PROBLEM_RESPONSES, problem_doc
from paxwatch.privacy.access import Action, Principal

router = APIRouter(tags=["travellers"])

TravellerReader = Annotated[Principal, Depends(permit(Action.READ_TRAVELLER))]


@router.get(
    "/travellers/{traveller_id}",
    response_model=TravellerOut,
    responses={**PROBLEM_RESPONSES, 404: problem_doc("No such traveller")},
)
def get_traveller(
    traveller_id: int,
    store: StoreDep,
    settings: SettingsDep,
    caller: TravellerReader,
    purpose: Purpose = None,
) -> TravellerOut:
    """A booked traveller (the ``traveller_id`` of a manifest or a hit): identity,
    documents, contacts, the booking's flights and the open hits. Permission:
    ``read_traveller`` (analysts and supervisors: an open hit, or a flight inside the
    assessment window). Audited (``traveller``). Depersonalised values are shown masked
    for every role."""
    view = reads.traveller(reader(store, settings, caller, purpose, "traveller"), traveller_id)
    return TravellerOut.of(view)
