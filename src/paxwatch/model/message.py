"""Messages as received: a PNRGOV push or a PAXLST list, and what reading one returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from paxwatch.model.api import ApiTraveller, ReportingParty
from paxwatch.model.booking import Booking
from paxwatch.model.common import Finding, PushAction
from paxwatch.model.fast import fast_init
from paxwatch.model.flight import Flight


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class MessagePart:
    """Position of a message in a multi-part transmission (UNH ``01:C`` ... ``nn:F``)."""

    number: int
    final: bool


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class PnrMessage:
    """One PNRGOV push for one flight (EDIFACT or XML).

    ``version`` is ``"13.1"``-style; ``flight`` is the leg being reported (header TVL);
    ``declared_count`` is EQN as sent (counts cannot be trusted, see findings).
    """

    kind: str = field(default="pnrgov", init=False)
    version: str | None = None
    syntax: str = "edifact"
    sender: str | None = None
    recipient: str | None = None
    prepared_at: datetime | None = None
    reference: str | None = None
    part: MessagePart | None = None
    action: PushAction | None = None
    flight: Flight | None = None
    declared_count: int | None = None
    bookings: tuple[Booking, ...] = ()


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ApiMessage:
    """One PAXLST message. ``variant`` is ``"UN"`` (UN/EDIFACT D02B+) or ``"US"`` (US/EDIFACT).

    ``document`` is the BGM code as sent (745 passengers, 250 crew, 266 close-out...).
    """

    kind: str = field(default="paxlst", init=False)
    version: str | None = None
    variant: str = "UN"
    sender: str | None = None
    recipient: str | None = None
    prepared_at: datetime | None = None
    reference: str | None = None
    part: MessagePart | None = None
    document: str | None = None
    reporting_party: ReportingParty | None = None
    flights: tuple[Flight, ...] = ()
    travellers: tuple[ApiTraveller, ...] = ()
    declared_count: int | None = None


Message = PnrMessage | ApiMessage


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ParseResult:
    """What reading one input returns: every message that could be read, and the findings.

    Reading never raises on bad input; a message with an error still yields all it could.
    """

    messages: tuple[Message, ...] = ()
    findings: tuple[Finding, ...] = ()

    @property
    def has_errors(self) -> bool:
        return any(f.severity.value == "error" for f in self.findings)
