"""Writing a ``PnrMessage`` as a PNRGOV EDIFACT interchange (used to make synthetic traffic).

``write_pnrgov(message)`` writes UNA, UNB, UNH (``PNRGOV:13:1:IA`` from ``message.version``),
MSG, ORG, TVL, EQN, one group 1 per booking (SRC, RCI, SSR, DAT, IFT, ORG, ADD, EBD), one
group 2 per traveller (TIF, FTI, IFT, REF, EBD, FAR, SSR, tickets TKT/IFT 4:15/MON/PTK/TXD/
DAT 710, payments FOP/IFT 4:43), one group 5 per leg (TVL, code-share TVL, RPI, APD, SSR,
check-in DAT/ORG with TRI/TIF/SSD/TBD per traveller), split PNRs (EQN, RCI), non-air
segments (MSG, TVL), history (ABI, DAT, SAC, data) and LTS, then UNT and UNZ. Separators in
data are escaped with the release character.

The ``*_elements`` / ``*_raw`` helpers give the text the reader keeps in ``raw`` fields for
a value written here (``canonical`` form), so that a model can be made consistent with what
reading its written form gives back.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from paxwatch.formats.edifact import DEFAULT_CHARS, ServiceChars
from paxwatch.formats.people import (
    CHECKED_IN,
    contact_from_text,
    normalise_email,
    normalise_phone,
)
from paxwatch.formats.pnrgov_elements import HISTORY_ACTIONS, canonical, split_phones
from paxwatch.formats.values import payment_code
from paxwatch.model.booking import (
    Address,
    Agency,
    Bag,
    Booking,
    Contact,
    Document,
    Fare,
    HistoryEntry,
    Leg,
    LegKey,
    NonAirSegment,
    Payment,
    Remark,
    Ticket,
    Traveller,
    Visa,
)
from paxwatch.model.common import ContactKind, PushAction, TravellerType, WeightUnit
from paxwatch.model.message import PnrMessage

Elements = list[list[str]]

_TYPE_CODES = {TravellerType.ADULT: "A", TravellerType.CHILD: "C", TravellerType.INFANT: "IN"}
_ACTION_CODES = {v: k for k, v in HISTORY_ACTIONS.items()}
_DOCA_CODES = {"residence": "R", "destination": "D"}
_UNIT_CODES = {WeightUnit.KG: "700", WeightUnit.LB: "701"}
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def _s(value: object) -> str:
    return "" if value is None else str(value)


def ddmmyy(d: date | None) -> str:
    """``DDMMYY`` (empty for None)."""
    return d.strftime("%d%m%y") if d is not None else ""


def hhmm(at: datetime | None) -> str:
    """``HHMM``, or ``HHMMSS`` when the seconds are not zero (empty for None)."""
    if at is None:
        return ""
    return at.strftime("%H%M%S" if at.second else "%H%M")


def ddmonyy(d: date | None) -> str:
    """``12JUL64`` (empty for None)."""
    return f"{d.day:02d}{_MONTHS[d.month - 1]}{d.year % 100:02d}" if d is not None else ""


def _split(text: str) -> list[list[str]]:
    """Elements and components of a canonical segment body (``a:b+c``)."""
    return [e.split(":") for e in text.split("+")]


# -- texts the reader keeps in raw fields ----------------------------------------------------


def docs_text(d: Document) -> str:
    """SSR DOCS free text for a document."""
    gender = d.gender.value if d.gender is not None else ""
    fields = [
        _s(d.type),
        _s(d.issuing_country),
        _s(d.number),
        _s(d.nationality),
        ddmonyy(d.date_of_birth),
        gender,
        ddmonyy(d.expiry),
        _s(d.surname),
        _s(d.given_names),
    ]
    return "/" + "/".join(fields)


def doco_text(v: Visa) -> str:
    """SSR DOCO free text for a visa."""
    fields = [
        _s(v.place_of_birth),
        _s(v.type),
        _s(v.number),
        _s(v.place_of_issue),
        ddmonyy(v.issued_on),
        _s(v.country),
    ]
    return "/" + "/".join(fields)


def doca_text(a: Address) -> str:
    """SSR DOCA free text for an address."""
    kind = _DOCA_CODES.get(a.kind or "", a.kind or "")
    fields = [kind, a.country, a.street, a.city, a.region, a.postal_code]
    return "/" + "/".join(_s(f) for f in fields)


def add_elements(a: Address, phone: str = "") -> Elements:
    """ADD ``++purpose:street:city:region::country:postal[:phone]``."""
    comps = [
        _s(a.kind),
        _s(a.street),
        _s(a.city),
        _s(a.region),
        "",
        _s(a.country),
        _s(a.postal_code),
    ]
    if phone:
        comps.append(phone)
    return [[""], comps]


def add_raw(a: Address) -> str:
    """What the reader keeps as ``raw`` of an address written in ADD."""
    return canonical("", [add_elements(a)[1]])[1:]


def agency_elements(a: Agency) -> Elements:
    """ORG in group 1."""
    return [
        [_s(a.system), _s(a.location)],
        [_s(a.iata_number), _s(a.pseudo_city)],
        [""],
        [""],
        [_s(a.type)],
        [_s(a.country), _s(a.currency)],
        [_s(a.agent_id)],
    ]


def agency_raw(a: Agency) -> str:
    """``Agency.raw`` of an agency written here."""
    return canonical("ORG", agency_elements(a))


def fare_elements(f: Fare) -> Elements:
    """FAR: passenger type, age, fare basis."""
    return [[_s(f.passenger_type)], [_s(f.age)], [""], [""], [""], [_s(f.fare_basis)]]


def fare_raw(f: Fare) -> str:
    """``Fare.raw`` of a fare written here."""
    return canonical("FAR", fare_elements(f))


def non_air_elements(n: NonAirSegment) -> Elements:
    """The TVL of a non-air segment."""
    return [[ddmmyy(n.start), "", ddmmyy(n.end)], [_s(n.location)], [""], [_s(n.provider)]]


def non_air_raw(n: NonAirSegment) -> str:
    """``NonAirSegment.raw`` of a non-air segment written here ("" without a TVL)."""
    if not (n.location or n.start or n.end or n.provider):
        return ""
    return canonical("TVL", non_air_elements(n))


def tvl_elements(leg: Leg) -> Elements:
    """TVL of an itinerary leg."""
    carrier = [leg.carrier, leg.operating_carrier] if leg.operating_carrier else [leg.carrier]
    number = [leg.raw_number or leg.number, _s(leg.booking_class)]
    return [_times(leg.departure, leg.arrival), [leg.origin], [leg.destination], carrier, number]


def _times(dep: datetime | None, arr: datetime | None) -> list[str]:
    return [
        ddmmyy(dep.date() if dep else None),
        hhmm(dep),
        ddmmyy(arr.date() if arr else None),
        hhmm(arr),
    ]


# -- the writer ------------------------------------------------------------------------------


class _Writer:
    """Collects segments with escaping, counting those inside the message."""

    def __init__(self, chars: ServiceChars, line_breaks: bool) -> None:
        self.chars = chars
        self.end = chars.terminator + ("\n" if line_breaks else "")
        specials = {chars.release, chars.terminator, chars.element, chars.component}
        if chars.repetition and chars.repetition != " ":
            specials.add(chars.repetition)
        self.table = str.maketrans({c: chars.release + c for c in specials})
        self.out: list[str] = []
        self.count = 0

    def seg(self, tag: str, elements: Iterable[list[str]] = ()) -> None:
        c = self.chars
        parts = [tag]
        for comps in elements:
            parts.append(
                c.component.join(v.translate(self.table) for v in comps).rstrip(c.component)
            )
        while len(parts) > 1 and parts[-1] == "":
            parts.pop()
        self.out.append(c.element.join(parts) + self.end)
        self.count += 1

    def canonical(self, text: str) -> None:
        """Write segments given in canonical form (``TAG+a:b+c'TAG+...``)."""
        for piece in text.split("'"):
            tag, _, body = piece.partition("+")
            self.seg(tag, _split(body) if body else [])


def write_pnrgov(
    message: PnrMessage, *, chars: ServiceChars = DEFAULT_CHARS, line_breaks: bool = True
) -> str:
    """Write ``message`` as a well-formed PNRGOV interchange."""
    w = _Writer(chars, line_breaks)
    una = "UNA" + chars.component + chars.element + chars.decimal + chars.release
    una += chars.repetition + chars.terminator + ("\n" if line_breaks else "")
    at = message.prepared_at
    ref = message.reference or "1"
    w.seg(
        "UNB",
        [
            ["IATA", "1"],
            [_s(message.sender)],
            [_s(message.recipient)],
            [_yymmdd(at), hhmm(at)],
            [ref],
        ],
    )
    w.count = 0
    major, _, minor = (message.version or "13.1").partition(".")
    unh: Elements = [[ref], ["PNRGOV", major, minor or "1", "IA"]]
    if message.part is not None:
        unh += [[""], [f"{message.part.number:02d}", "F" if message.part.final else "C"]]
    w.seg("UNH", unh)
    if message.action is not None:
        w.seg("MSG", [["", "22" if message.action is PushAction.FULL else "141"]])
    if message.sender:
        w.seg("ORG", [[message.sender]])
    flight = message.flight
    if flight is not None:
        leg0 = flight.legs[0] if flight.legs else None
        w.seg(
            "TVL",
            [
                _times(leg0.departure if leg0 else None, leg0.arrival if leg0 else None),
                [leg0.origin if leg0 else ""],
                [leg0.destination if leg0 else ""],
                [flight.carrier],
                [flight.raw_number or flight.number],
            ],
        )
    if message.declared_count is not None:
        w.seg("EQN", [[str(message.declared_count)]])
    for booking in message.bookings:
        _booking(w, booking)
    w.seg("UNT", [[str(w.count + 1)], [ref]])
    w.seg("UNZ", [["1"], [ref]])
    return una + "".join(w.out)


def _yymmdd(at: datetime | None) -> str:
    return at.strftime("%y%m%d") if at is not None else ""


def _booking(w: _Writer, b: Booking) -> None:
    w.seg("SRC")
    if b.record_locators:
        w.seg("RCI", [_locator(r.system, r.locator, r.created_at) for r in b.record_locators])
    elif b.locator:
        w.seg("RCI", [["", b.locator]])
    refs = {t.ref for t in b.travellers if t.ref is not None}
    for s in b.special_services:
        if s.leg is None and (s.traveller_ref is None or s.traveller_ref not in refs):
            _ssr(w, s.code, s.status, _s(s.text), None, s.traveller_ref)
    if b.last_changed_at is not None:
        w.seg("DAT", [["700", ddmmyy(b.last_changed_at.date()), hhmm(b.last_changed_at)]])
    booking_contacts = [c for c in b.contacts if c.traveller_ref not in refs]
    _contacts(w, booking_contacts, "SSR")
    _contacts(w, booking_contacts, "OSI")
    _remarks(w, [r for r in b.remarks if r.traveller_ref not in refs])
    if b.agency is not None:
        w.seg("ORG", agency_elements(b.agency))
    _contacts(w, booking_contacts, "ADD")
    for p in b.payments:
        if p.traveller_ref not in refs:
            _payment(w, p)
    if b.group_name:
        w.seg("TIF", [[b.group_name, "G"]])
    infant_of = {t.accompanying_ref for t in b.travellers if t.type is TravellerType.INFANT}
    for t in b.travellers:
        _traveller(w, b, t, t.ref is not None and t.ref in infant_of)
    for leg in b.legs:
        _leg(w, b, leg)
    for sp in b.split_references:
        w.seg("EQN", [[_s(sp.number_of_travellers)]])
        if sp.locator:
            w.seg("RCI", [[_s(sp.system), sp.locator]])
    for n in b.non_air:
        w.seg("MSG", [[_s(n.kind)]])
        if non_air_raw(n):
            w.seg("TVL", non_air_elements(n))
    _history(w, b.history)


def _locator(system: str | None, locator: str, at: datetime | None) -> list[str]:
    if at is None:
        return [_s(system), locator]
    return [_s(system), locator, "", ddmmyy(at.date()), hhmm(at)]


def _ssr(
    w: _Writer,
    code: str,
    status: str | None,
    text: str,
    key: LegKey | None,
    ref: str | None,
    carrier: str = "YY",
) -> None:
    origin = _s(key.origin) if key else ""
    dest = _s(key.destination) if key else ""
    head = [code, _s(status), "1" if status else "", carrier, "", "", origin, dest, text]
    elements: Elements = [head]
    if ref:
        elements.append(["", "", ref])
    w.seg("SSR", elements)


def _contacts(w: _Writer, contacts: list[Contact], where: str) -> None:
    """Write the contacts that go to ``where`` (SSR, OSI or ADD: see ``contact_place``)."""
    for c in contacts:
        place, text = contact_place(c)
        if place != where:
            continue
        if place == "SSR":
            _ssr(w, text[:4], "HK", text[5:], None, None)
        elif place == "OSI":
            w.seg("IFT", [["4", "28"], [text]])
        elif c.kind is ContactKind.ADDRESS:
            w.seg("ADD", add_elements(c.address or Address(street=c.value)))
        else:
            w.seg("ADD", [[""], ["", "", "", "", "", "", "", text]])


def _ctc(source: str | None, prefix: str) -> str | None:
    """The CTC code of a source such as ``SSR CTCM`` / ``OSI CTCE`` (None otherwise)."""
    if source is None or not source.startswith(prefix):
        return None
    code = source[len(prefix) :].strip().upper()
    return code if len(code) == 4 and code.startswith("CTC") and code[3].isalpha() else None


def _ssr_reads(code: str, text: str) -> tuple[ContactKind, str]:
    """What the reader makes of an SSR CTCx free text (``pnrgov_groups._ssr_contact``)."""
    body = text.strip()
    if code == "CTCE":
        return ContactKind.EMAIL, normalise_email(body.lstrip("/").split(" ")[0])
    first = next((p for p in body.split("/") if p.strip()), "")
    return ContactKind.PHONE, normalise_phone(first)


def _text_reads(text: str) -> tuple[ContactKind, str, str] | None:
    return contact_from_text(text)


def contact_place(c: Contact) -> tuple[str, str]:
    """Where and how the writer files a contact: ``("SSR", "CTCx text")``, ``("OSI", text)``
    or ``("ADD", phone-field text)``.

    A contact stays where its ``source`` files it (SSR CTCx, OSI CTCx, ADD) when that place
    can carry its kind; the text is ``raw`` when it reads back to the same value, else one
    made from ``value``. Anything else goes to ADD: an address as an address, a phone in the
    telephone field, an e-mail or other contact as ``CTCE …`` / ``CTCO …`` in that field.
    """
    kind, value, raw = c.kind, c.value, c.raw
    ssr = _ctc(c.source, "SSR ")
    if ssr is not None and kind in (ContactKind.PHONE, ContactKind.EMAIL):
        code = "CTCE" if kind is ContactKind.EMAIL else ("CTCM" if ssr == "CTCE" else ssr)
        for text in (raw, value):
            if text.strip() and _ssr_reads(code, text) == (kind, value):
                return "SSR", f"{code} {text}"
    osi = _ctc(c.source, "OSI ")
    if osi is not None and kind is not ContactKind.ADDRESS:
        for text in (raw, f"{osi} {value}"):
            if _text_reads(text) == (kind, value, osi):
                return "OSI", text
    if kind is ContactKind.ADDRESS:
        return "ADD", ""
    if kind is ContactKind.PHONE and "CTC" not in raw.upper() and split_phones(raw) == [value]:
        return "ADD", raw
    if kind is ContactKind.PHONE and split_phones(value) == [value]:
        return "ADD", value
    letter = {ContactKind.EMAIL: "E", ContactKind.PHONE: "M"}.get(kind, "O")
    return "ADD", f"CTC{letter} {value}"


def _remarks(w: _Writer, remarks: list[Remark]) -> None:
    for r in remarks:
        if r.kind == "EBD":
            w.seg("EBD", _split(r.text) if r.text else [])
        elif r.kind == "IFT" and r.code:
            w.seg("IFT", [r.code.split(":"), [r.text]])
        else:
            w.seg("IFT", [["4", "28", "", _s(r.code)], [r.text]])


def _traveller(w: _Writer, b: Booking, t: Traveller, has_infant: bool) -> None:
    w.seg("TIF", _tif(t, has_infant))
    for ff in t.frequent_flyers:
        w.seg("FTI", [[ff.airline, ff.number, "", "", _s(ff.tier)]])
    mine = [c for c in b.contacts if c.traveller_ref == t.ref]
    _contacts(w, mine, "OSI")
    _remarks(w, [r for r in b.remarks if r.traveller_ref == t.ref])
    if t.unique_ref:
        w.seg("REF", [["", t.unique_ref]])
    for f in t.fares:
        w.seg("FAR", fare_elements(f))
    for d in t.documents:
        _ssr(w, "DOCS", "HK", docs_text(d), None, None)
    for v in t.visas:
        _ssr(w, "DOCO", "HK", doco_text(v), None, None)
    for a in t.addresses:
        _ssr(w, "DOCA", "HK", doca_text(a), None, None)
    leg_keys = {leg.key for leg in b.legs}
    for seat in t.seats:
        if seat.leg is not None and seat.leg not in leg_keys and seat.leg.departure_date is None:
            k = seat.leg
            text = f"{k.carrier} {k.number}" if k.carrier and k.number else ""
            head = ["SEAT", "HK", "1", k.carrier or "YY", "", "", _s(k.origin), _s(k.destination)]
            w.seg("SSR", [[*head, text], [seat.seat]])
    _contacts(w, mine, "SSR")
    for s in b.special_services:
        if s.leg is None and s.traveller_ref == t.ref:
            _ssr(w, s.code, s.status, _s(s.text), None, None)
    _contacts(w, mine, "ADD")
    for tk in t.tickets:
        _ticket(w, tk)
    for p in b.payments:
        if p.traveller_ref == t.ref:
            _payment(w, p)


def _tif(t: Traveller, has_infant: bool) -> Elements:
    if "/" in t.raw_name:
        surname, _, given = t.raw_name.partition("/")
    elif t.raw_name:
        surname, given = t.raw_name, ""
    else:
        surname = t.surname + (t.suffix or "")
        title = t.title or ""
        glue = "" if title in ("MR", "MRS", "MS", "MISS", "MSTR", "MSTER", "CHD") else " "
        given = (t.given_names + glue + title).strip() if title else t.given_names
    details = [given, _TYPE_CODES[t.type], _s(t.ref)]
    if has_infant:
        details.append("IN")
    return [[surname], details]


def _ticket(w: _Writer, tk: Ticket) -> None:
    w.seg("TKT", [[_s(tk.number), _s(tk.document_type)]])
    if tk.fare_calculation is not None:
        w.seg("IFT", [["4", "15"], [tk.fare_calculation]])
    if tk.base_amount is not None or tk.total_amount is not None or tk.currency:
        mon: Elements = []
        if tk.base_amount is not None or tk.total_amount is None:
            mon.append(["B", _s(tk.base_amount), _s(tk.currency)])
        if tk.total_amount is not None:
            mon.append(["T", _s(tk.total_amount), _s(tk.currency)])
        w.seg("MON", mon)
    if tk.country_of_sale:
        w.seg("PTK", [[""], [""], [""], [""], [""], [tk.country_of_sale]])
    if tk.taxes:
        w.seg("TXD", [[""], *([_s(x.amount), "", _s(x.currency), _s(x.code)] for x in tk.taxes)])
    if tk.issued_on is not None:
        w.seg("DAT", [["710", ddmmyy(tk.issued_on)]])


def _payment(w: _Writer, p: Payment) -> None:
    """FOP (the currency after the expiry date), IFT 4:43 sponsor, ADD billing address."""
    code = payment_code(p.method, p.raw_method, "MI")
    fop = [code, "", _s(p.amount), _s(p.card_vendor), _s(p.card_number), _s(p.card_expiry)]
    if p.currency:
        fop.append(p.currency)
    w.seg("FOP", [fop])
    a = p.billing_address
    structured = a is not None and any((a.street, a.city, a.region, a.postal_code, a.country))
    billing = a.raw if a is not None and not structured else ""
    if p.payer_name or p.payer_phone or billing:
        w.seg("IFT", [["4", "43"], [_s(p.payer_name)], [billing], [_s(p.payer_phone)]])
    if a is not None and structured:
        w.seg("ADD", add_elements(a))


def _leg(w: _Writer, b: Booking, leg: Leg) -> None:
    key = leg.key
    w.seg("TVL", tvl_elements(leg))
    if leg.operating_number:
        w.seg("TVL", [[""], [""], [""], [""], [leg.operating_number]])
    if leg.number_in_party is not None or leg.status:
        w.seg("RPI", [[_s(leg.number_in_party)], [_s(leg.status)]])
    if leg.equipment:
        w.seg("APD", [[leg.equipment]])
    seats = [(t.ref, s.seat) for t in b.travellers for s in t.seats if s.leg == key and t.ref]
    if seats:
        head = ["SEAT", "HK", str(len(seats)), leg.carrier, "", "", leg.origin, leg.destination]
        w.seg("SSR", [head, *([seat, "", _s(ref)] for ref, seat in seats)])
    for s in b.special_services:
        if s.leg == key:
            _ssr(w, s.code, s.status, _s(s.text), key, s.traveller_ref, leg.carrier)
    _check_ins(w, b, key)


def _check_ins(w: _Writer, b: Booking, key: LegKey) -> None:
    context: tuple[datetime | None, str | None] | None = None
    for t in b.travellers:
        for ci in t.check_ins:
            if ci.leg != key:
                continue
            if context != (ci.checked_in_at, ci.agent):
                context = (ci.checked_in_at, ci.agent)
                at = ci.checked_in_at
                w.seg("DAT", [["2", ddmmyy(at.date() if at else None), hhmm(at)]])
                if ci.agent:
                    w.seg("ORG", [ci.agent.split(":")])
            status = "" if ci.status == CHECKED_IN else ci.status
            w.seg("TRI", [[status], [_s(ci.sequence_number), "", "", _s(t.ref)]])
            w.seg("TIF", _tif(t, False))
            seat = next((s.seat for s in t.seats if s.leg == key), "")
            if seat or ci.cabin:
                w.seg("SSD", [[seat], [""], [""], [""], [_s(ci.cabin)]])
            for bag in t.bags:
                if bag.leg == key:
                    w.seg("TBD", _bag(bag))


def _bag(bag: Bag) -> Elements:
    unit = _UNIT_CODES[bag.weight_unit] if bag.weight_unit is not None else ""
    return [
        [""],
        [_s(bag.count), _s(bag.weight), unit],
        [""],
        ["HP" if bag.head_of_pool else ""],
        *(tag.split(":") for tag in bag.tags),
    ]


def _history(w: _Writer, history: tuple[HistoryEntry, ...]) -> None:
    state: tuple[datetime | None, str | None] | None = None
    action: str | None = None
    for e in history:
        if e.element is None and e.action is None and e.at is None and e.by is None:
            w.seg("LTS", [[e.text]])
            continue
        if state != (e.at, e.by) or (e.action is None and action is not None):
            state, action = (e.at, e.by), None
            by = [*(e.by or "").split("/"), "", "", ""]
            w.seg("ABI", [["1"], ["", by[2]], [by[1]], [""], [by[0]]])
            if e.at is not None:
                w.seg("DAT", [["T", ddmmyy(e.at.date()), hhmm(e.at)]])
        if e.action is not None:
            action = e.action
            w.seg("SAC", [[""], [""], [_ACTION_CODES.get(e.action, e.action)]])
        if e.element == "remark":
            w.seg("IFT", [["4", "19"], [e.text]])
        else:
            w.canonical(e.text)


__all__ = [
    "add_raw",
    "agency_raw",
    "doca_text",
    "doco_text",
    "docs_text",
    "fare_raw",
    "non_air_raw",
    "write_pnrgov",
]
