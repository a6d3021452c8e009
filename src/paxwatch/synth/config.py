"""What a synthetic day looks like: one frozen configuration, with France-scale defaults.

Every share is a probability in [0, 1]. ``scale`` multiplies the number of flights (and so
passengers) and the number of planted persons; the watch list keeps its size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True, kw_only=True)
class SynthConfig:
    """Configuration of one generated day. Same configuration ⇒ same bytes."""

    day: date
    seed: int = 7
    scale: float = 1.0
    #: ISO 3166-1 alpha-2 country of the PIU (its airports are one end of every flight).
    country: str = "FR"
    #: flights at scale 1.0 (France: ~4,000 flights, ~550,000 passengers a day).
    flights_at_full_scale: int = 4000
    #: mean seat load factor; each flight draws around it.
    load_factor: float = 0.75
    #: PNR pushes, hours before scheduled departure (0 = flight closure).
    push_hours: tuple[int, ...] = (72, 48, 24, 0)
    #: share of flights whose closure push carries only changed PNRs (MSG 141).
    changes_only_share: float = 0.2
    #: share of flights whose carrier sends PNRGOV XML instead of EDIFACT.
    xml_share: float = 0.1
    #: most bookings in one message; larger pushes are split into parts (UNH nn:C/F).
    bookings_per_part: int = 60
    #: most travellers in one PAXLST message before it is split.
    api_per_part: int = 150
    #: share of EDIFACT messages carrying real-world layout deviations (formats.md).
    deviation_share: float = 0.07
    #: share of messages that are truly broken (truncated in transit).
    broken_share: float = 0.004
    #: planted watch-list persons at scale 1.0 (at least 3 at any scale).
    plants_at_full_scale: int = 300
    #: facilitator networks at scale 1.0 (at least 1).
    networks_at_full_scale: int = 40
    #: decoys (innocent near-namesakes of listed persons) at scale 1.0 (at least 2).
    decoys_at_full_scale: int = 400
    #: frequent business travellers (same identity over several days) at scale 1.0.
    business_pool_at_full_scale: int = 20000
    #: entries in the generated watch list (ignored when a watch list is given).
    watchlist_size: int = 2000
    #: worker processes (flights are independent; output does not depend on this).
    workers: int = 1
    #: booking sizes: share of solo, couple, family, group and business bookings.
    booking_mix: tuple[tuple[str, float], ...] = field(
        default=(
            ("solo", 0.46),
            ("couple", 0.2),
            ("family", 0.16),
            ("group", 0.03),
            ("business", 0.15),
        )
    )

    @property
    def flights(self) -> int:
        return max(1, round(self.flights_at_full_scale * self.scale))

    def scaled(self, full: int, minimum: int) -> int:
        """A count given at scale 1.0, scaled, with a floor."""
        return max(minimum, round(full * self.scale))
