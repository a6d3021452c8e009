"""The offences a rule may target: terrorism and the 26 serious-crime categories of Annex II.

Directive (EU) 2016/681 allows PNR processing only for terrorist offences and serious crime,
and serious crime means an offence of Annex II. Every rule carries one of these stable ids
(``offence: trafficking-in-human-beings``); the id never changes once published, the title may
be reworded. ``annex_ii`` is the item number in Annex II (``None`` for terrorism).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Offence:
    """One offence category a rule may be tagged with."""

    id: str
    title: str
    annex_ii: int | None


OFFENCES: tuple[Offence, ...] = (
    Offence(id="terrorism", title="Terrorist offences", annex_ii=None),
    Offence(
        id="criminal-organisation",
        title="Participation in a criminal organisation",
        annex_ii=1,
    ),
    Offence(id="trafficking-in-human-beings", title="Trafficking in human beings", annex_ii=2),
    Offence(
        id="child-sexual-exploitation",
        title="Sexual exploitation of children and child pornography",
        annex_ii=3,
    ),
    Offence(
        id="drug-trafficking",
        title="Illicit trafficking in narcotic drugs and psychotropic substances",
        annex_ii=4,
    ),
    Offence(
        id="weapons-trafficking",
        title="Illicit trafficking in weapons, munitions and explosives",
        annex_ii=5,
    ),
    Offence(id="corruption", title="Corruption", annex_ii=6),
    Offence(
        id="fraud",
        title="Fraud, including fraud against the financial interests of the Union",
        annex_ii=7,
    ),
    Offence(
        id="money-laundering",
        title="Laundering of the proceeds of crime and counterfeiting of currency, incl. the euro",
        annex_ii=8,
    ),
    Offence(id="cybercrime", title="Computer-related crime / cybercrime", annex_ii=9),
    Offence(
        id="environmental-crime",
        title="Environmental crime, incl. trafficking in endangered animal and plant species",
        annex_ii=10,
    ),
    Offence(
        id="facilitation-of-unauthorised-entry",
        title="Facilitation of unauthorised entry and residence",
        annex_ii=11,
    ),
    Offence(id="murder", title="Murder, grievous bodily injury", annex_ii=12),
    Offence(
        id="organ-trafficking",
        title="Illicit trade in human organs and tissue",
        annex_ii=13,
    ),
    Offence(
        id="kidnapping",
        title="Kidnapping, illegal restraint and hostage-taking",
        annex_ii=14,
    ),
    Offence(id="armed-robbery", title="Organised and armed robbery", annex_ii=15),
    Offence(
        id="cultural-goods-trafficking",
        title="Illicit trafficking in cultural goods, including antiques and works of art",
        annex_ii=16,
    ),
    Offence(
        id="product-counterfeiting",
        title="Counterfeiting and piracy of products",
        annex_ii=17,
    ),
    Offence(
        id="document-forgery",
        title="Forgery of administrative documents and trafficking therein",
        annex_ii=18,
    ),
    Offence(
        id="hormonal-substances-trafficking",
        title="Illicit trafficking in hormonal substances and other growth promoters",
        annex_ii=19,
    ),
    Offence(
        id="nuclear-materials-trafficking",
        title="Illicit trafficking in nuclear or radioactive materials",
        annex_ii=20,
    ),
    Offence(id="rape", title="Rape", annex_ii=21),
    Offence(
        id="icc-crimes",
        title="Crimes within the jurisdiction of the International Criminal Court",
        annex_ii=22,
    ),
    Offence(
        id="unlawful-seizure-of-aircraft-or-ships",
        title="Unlawful seizure of aircraft or ships",
        annex_ii=23,
    ),
    Offence(id="sabotage", title="Sabotage", annex_ii=24),
    Offence(
        id="stolen-vehicles-trafficking",
        title="Trafficking in stolen vehicles",
        annex_ii=25,
    ),
    Offence(
        id="industrial-espionage",
        title="Industrial espionage",
        annex_ii=26,
    ),
)

OFFENCES_BY_ID: dict[str, Offence] = {offence.id: offence for offence in OFFENCES}


def offence(offence_id: str) -> Offence | None:
    """The offence with this id, or None when the catalogue has no such id."""
    return OFFENCES_BY_ID.get(offence_id)


def offences_markdown() -> str:
    """The offence catalogue as a Markdown table (the one in ``docs/rules.md``)."""
    lines = ["| id | Annex II | offence |", "|---|---|---|"]
    for item in OFFENCES:
        number = "—" if item.annex_ii is None else str(item.annex_ii)
        lines.append(f"| `{item.id}` | {number} | {item.title} |")
    return "\n".join(lines)
