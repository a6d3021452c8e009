"""PNRGOV XML reader: ``IATA_PNRGOV_NotifRQ`` (IATA XML implementation guide 13.1 and later).

``read_pnrgov_xml(data)`` returns a ``ParseResult`` with one ``PnrMessage`` (``syntax="xml"``)
and the findings. It never raises and never expands entities: lxml runs with
``resolve_entities=False``, ``no_network=True``, ``huge_tree=False`` and in recover mode, so a
truncated document still yields what it could.

Element names are matched case-sensitively, without their namespace (the IATA namespace
``http://www.iata.org/IATA/2007/00`` or none). The structure read, and written by
``pnrgov_xml_write``::

    IATA_PNRGOV_NotifRQ @Version @TimeStamp @EchoToken @SequenceNmbr @MoreIndicator @PushType
      MessageSource/Originator @AirlineCode @SystemCode ; MessageSource/Recipient @Code
      FlightLeg* @FlightNumber @DepartureDateTime @ArrivalDateTime
        DepartureAirport/ArrivalAirport @LocationCode, MarketingAirline/OperatingAirline @Code
      PNRs @NumberOfPNRs
        PNR @NumberInParty @CreateDateTime @LastModifyDateTime
          BookingRefID* @ID @CompanyName (or CompanyName @Code) @CreateDateTime
          GroupName, POS/Source (agency), ContactInfo (Telephone, Email, Address, Other)
          Passenger* @RPH @PassengerTypeCode @BirthDate @Gender @Nationality @UniqueID
                     @AccompanyingPassengerRPH
            GivenName*, Surname, NameTitle, NameSuffix, CustLoyalty, FareInfo,
            DOC_SSR/DOCS|DOCA|DOCO, TicketDocument/PricingInfo, SeatNumber, CheckedBaggage,
            PrepaidBag, CheckIn, ContactInfo, SSR, OtherServiceInfo
          Flight* @RPH @FlightNumber @DepartureDateTime @ArrivalDateTime @ResBookDesigCode
                  @NumberInParty @Status (airports and airlines as in FlightLeg, Equipment)
            SeatNumber, CheckedBaggage, CheckIn, SSR with @PassengerRPH
          Payments/Payment, SSR, OtherServiceInfo, Remark, SplitPNR, History/HistoryItem

Seats, bags, check-ins and SSRs belong to the traveller of the enclosing ``Passenger`` or of
``@PassengerRPH``, and to the leg of the enclosing ``Flight`` or of ``@FlightRPH``.
Elements inside ``History`` and ``SplitPNR`` never become travellers or legs. The XML has no
raw segment text: the ``raw`` fields of documents, addresses and agencies stay empty, while
``Traveller.raw_name`` (``SURNAME/GIVEN``) and ``Contact.raw`` keep what was sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal

from lxml import etree

from paxwatch.formats import values
from paxwatch.formats.people import (
    CHECKED_IN,
    address_value,
    contact_from_text,
    contact_order,
    normalise_email,
    normalise_phone,
    split_suffix,
    split_title,
)
from paxwatch.model.booking import (
    Address,
    Agency,
    Bag,
    Booking,
    CheckIn,
    Contact,
    Document,
    Fare,
    FrequentFlyer,
    HistoryEntry,
    Leg,
    LegKey,
    Payment,
    RecordLocator,
    Remark,
    Seat,
    SpecialService,
    SplitReference,
    Tax,
    Ticket,
    Traveller,
    Visa,
)
from paxwatch.model.common import (
    ContactKind,
    Finding,
    Gender,
    PaymentMethod,
    PushAction,
    Severity,
    TravellerType,
    WeightUnit,
)
from paxwatch.model.flight import Flight, FlightLeg
from paxwatch.model.message import MessagePart, ParseResult, PnrMessage

__all__ = ["IATA_NAMESPACE", "ROOT_TAG", "address_line", "read_pnrgov_xml"]

ROOT_TAG = "IATA_PNRGOV_NotifRQ"
IATA_NAMESPACE = "http://www.iata.org/IATA/2007/00"
_MAX_SYNTAX_FINDINGS = 5
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# Elements whose content describes other bookings or past states, never this booking's.
_FOREIGN = frozenset({"History", "HistoryItem", "SplitPNR"})
_WRAPPERS = frozenset({"Passengers", "Flights", "Itinerary"})

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


def read_pnrgov_xml(data: bytes | str) -> ParseResult:
    """Read one ``IATA_PNRGOV_NotifRQ`` document; never raises on bad input."""
    try:
        return _Reader().read(data)
    except Exception as exc:  # a reader must never raise: report instead
        finding = Finding(
            severity=Severity.ERROR,
            code="xml.internal",
            message=f"The PNRGOV XML reader failed ({type(exc).__name__}); message not read",
        )
        return ParseResult(findings=(finding,))


def _text(el: etree._Element | None) -> str:
    """The element's text content (all descendants), whitespace collapsed."""
    if el is None:
        return ""
    return " ".join(" ".join(str(t) for t in el.itertext()).split())


def _attr(el: etree._Element | None, *names: str) -> str | None:
    """The first of the named attributes that is present and not blank, stripped."""
    if el is None:
        return None
    for name in names:
        v = el.get(name)
        if v is not None and v.strip():
            return " ".join(v.split())
    return None


def _child(el: etree._Element | None, tag: str) -> etree._Element | None:
    if el is None:
        return None
    for c in el:
        if c.tag == tag:
            return c
    return None


def _first(*elements: etree._Element | None) -> etree._Element | None:
    """The first element that is not None (elements without children are falsy in lxml)."""
    return next((e for e in elements if e is not None), None)


def _children(el: etree._Element, *tags: str) -> Iterator[etree._Element]:
    for c in el:
        if c.tag in tags:
            yield c


def _upper(value: str | None) -> str | None:
    return value.upper() if value else None


def _boolean(value: str | None) -> bool | None:
    if value is None:
        return None
    v = value.strip().lower()
    if v in ("true", "1", "y", "yes"):
        return True
    if v in ("false", "0", "n", "no"):
        return False
    return None


def _strip_namespaces(root: etree._Element) -> set[str]:
    """Replace qualified tags by their local names; returns the namespaces seen."""
    seen: set[str] = set()
    for el in root.iter(tag=etree.Element):
        tag = el.tag
        if not isinstance(tag, str) or not tag.startswith("{"):
            continue  # recover mode keeps tags lxml itself would refuse: leave them alone
        namespace, _, local = tag[1:].partition("}")
        seen.add(namespace)
        try:
            el.tag = local
        except ValueError:
            continue
    etree.cleanup_namespaces(root)
    return seen


@dataclass(slots=True)
class _PaxItems:
    """Seats, bags and check-ins of one traveller, gathered from the whole PNR."""

    seats: list[Seat] = field(default_factory=list)
    bags: list[Bag] = field(default_factory=list)
    check_ins: list[CheckIn] = field(default_factory=list)


@dataclass(slots=True)
class _Context:
    """What one PNR knows while it is read: its legs by RPH and travellers by element."""

    legs_by_rph: dict[str, LegKey] = field(default_factory=dict)
    legs_by_el: dict[etree._Element, LegKey] = field(default_factory=dict)
    pax_by_el: dict[etree._Element, int] = field(default_factory=dict)
    pax_by_ref: dict[str, int] = field(default_factory=dict)
    items: list[_PaxItems] = field(default_factory=list)


class _Reader:
    """One reading: the element positions and the findings collected along the way."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.positions: dict[etree._Element, int] = {}

    # -- findings ---------------------------------------------------------------------

    def _find(
        self, severity: Severity, code: str, message: str, el: etree._Element | None = None
    ) -> None:
        segment = self.positions.get(el) if el is not None else None
        text: str | None = None
        line: int | None = None
        if el is not None:
            attrs = " ".join(f'{k!s}="{v!s}"' for k, v in el.attrib.items())
            text = f"<{el.tag}{' ' + attrs if attrs else ''}>"
            text = text if len(text) <= 100 else text[:97] + "..."
            source_line = el.sourceline
            line = source_line if isinstance(source_line, int) else None
        self.findings.append(
            Finding(
                severity=severity,
                code=code,
                message=message,
                segment=segment,
                segment_text=text,
                line=line,
            )
        )

    def _error(self, code: str, message: str, el: etree._Element | None = None) -> None:
        self._find(Severity.ERROR, code, message, el)

    def _warn(self, code: str, message: str, el: etree._Element | None = None) -> None:
        self._find(Severity.WARNING, code, message, el)

    def _name(self, el: etree._Element) -> str:
        return f"{el.tag} element {self.positions.get(el, '?')}"

    # -- values -----------------------------------------------------------------------

    def _date(self, el: etree._Element, name: str, past: bool | None = None) -> date | None:
        raw = _attr(el, name)
        if raw is None:
            return None
        v = raw.upper()
        parsed: date | None = None
        try:
            parsed = date.fromisoformat(v[:10]) if len(v) >= 10 and v[4] == "-" else None
        except ValueError:
            parsed = None
        if parsed is None:
            parsed = values.ddmonyy(v, past=past) or (values.yymmdd(v) if len(v) == 8 else None)
        if parsed is None:
            self._warn(
                "xml.bad_date",
                f"{self._name(el)} has {name}={raw!r}, which is not a date (YYYY-MM-DD); "
                "value left empty",
                el,
            )
        return parsed

    def _datetime(self, el: etree._Element, name: str, utc: bool = False) -> datetime | None:
        """An xs:dateTime; zoned values become naive (UTC when ``utc``, else wall time)."""
        raw = _attr(el, name)
        if raw is None:
            return None
        try:
            parsed = datetime.fromisoformat(raw)
            if parsed.tzinfo is not None:
                parsed = parsed.astimezone(UTC) if utc else parsed
                parsed = parsed.replace(tzinfo=None)
        except (ValueError, OverflowError):
            self._warn(
                "xml.bad_datetime",
                f"{self._name(el)} has {name}={raw!r}, which is not a date-time "
                "(YYYY-MM-DDTHH:MM:SS); value left empty",
                el,
            )
            return None
        return parsed

    def _decimal(self, el: etree._Element | None, name: str) -> Decimal | None:
        raw = _attr(el, name)
        if raw is None or el is None:
            return None
        value = values.decimal(raw)
        if value is None or not value.is_finite():
            self._warn(
                "xml.bad_number",
                f"{self._name(el)} has {name}={raw!r}, which is not a number; value left empty",
                el,
            )
            return None
        return value

    def _integer(self, el: etree._Element | None, name: str) -> int | None:
        raw = _attr(el, name)
        if raw is None or el is None:
            return None
        # values.integer accepts any Unicode digit (str.isdigit), which int() may refuse
        value = values.integer(raw) if raw.isascii() else None
        if value is None:
            self._warn(
                "xml.bad_number",
                f"{self._name(el)} has {name}={raw!r}, which is not a whole number; "
                "value left empty",
                el,
            )
        return value

    def _gender(self, el: etree._Element, name: str) -> Gender | None:
        raw = _attr(el, name)
        if raw is None:
            return None
        gender = GENDERS.get(raw.upper())
        if gender is None:
            self._warn(
                "xml.bad_gender",
                f"{self._name(el)} has {name}={raw!r}; expected M, F, U or X; value left empty",
                el,
            )
        return gender

    @staticmethod
    def _country(el: etree._Element | None, *names: str) -> str | None:
        raw = _attr(el, *names)
        return values.country(raw) if raw else None

    @staticmethod
    def _airline(el: etree._Element | None) -> str | None:
        return _upper(_attr(el, "Code", "AirlineCode", "CompanyShortName")) or _upper(
            _text(el) or None
        )

    # -- document ---------------------------------------------------------------------

    def _parse(self, data: bytes | str) -> etree._Element | None:
        if isinstance(data, str):
            data = _XML_DECL.sub("", data, count=1).encode("utf-8", "replace")
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            recover=True,
            load_dtd=False,
            dtd_validation=False,
            remove_comments=True,
            remove_pis=True,
        )
        root: etree._Element | None
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError:
            root = None
        errors = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
        for e in errors[:_MAX_SYNTAX_FINDINGS]:
            self.findings.append(
                Finding(
                    severity=Severity.ERROR,
                    code="xml.not_well_formed",
                    message=f"The document is not well-formed XML at line {e.line}, column "
                    f"{e.column}: {e.message.strip()}; only what could be recovered was read",
                    line=e.line or None,
                )
            )
        if len(errors) > _MAX_SYNTAX_FINDINGS:
            self._error(
                "xml.not_well_formed",
                f"{len(errors) - _MAX_SYNTAX_FINDINGS} further XML syntax errors not listed",
            )
        if root is None and not errors:
            self._error("xml.empty", "The document is empty or holds no XML element")
        return root

    def read(self, data: bytes | str) -> ParseResult:
        root = self._parse(data)
        if root is None:
            return ParseResult(findings=tuple(self.findings))
        namespaces = _strip_namespaces(root)
        if root.getroottree().docinfo.internalDTD is not None:
            self._warn(
                "xml.doctype_ignored",
                "The document declares a DOCTYPE; its entities were not expanded",
            )
        if root.tag != ROOT_TAG:
            inner = next(iter(root.iter(ROOT_TAG)), None)
            if inner is None:
                self._error(
                    "xml.wrong_root",
                    f"The root element is <{root.tag}>, not <{ROOT_TAG}>: "
                    "not a PNRGOV XML message; nothing read",
                )
                return ParseResult(findings=tuple(self.findings))
            self._warn(
                "xml.wrapped",
                f"<{ROOT_TAG}> was found inside <{root.tag}>; the wrapper was ignored",
            )
            root = inner
        unknown = namespaces - {IATA_NAMESPACE}
        if unknown:
            self._warn(
                "xml.namespace",
                f"Unexpected namespace(s) {sorted(unknown)}; read as PNRGOV XML anyway",
            )
        self.positions = {el: i for i, el in enumerate(root.iter(tag=etree.Element), 1)}
        message = self._message(root)
        return ParseResult(messages=(message,), findings=tuple(self.findings))

    def _message(self, root: etree._Element) -> PnrMessage:
        version = _attr(root, "Version")
        if version is None:
            self._warn("xml.no_version", f"<{ROOT_TAG}> has no Version attribute", root)
        source = _child(root, "MessageSource")
        originator = _first(_child(source, "Originator"), _child(root, "Originator"))
        recipient = _first(_child(source, "Recipient"), _child(root, "Recipient"))
        part = None
        sequence = self._integer(root, "SequenceNmbr")
        if sequence is not None:
            more = _boolean(_attr(root, "MoreIndicator"))
            part = MessagePart(number=sequence, final=not more)
        sender = _upper(_attr(originator, "AirlineCode", "Code", "CompanyShortName"))
        pnrs = _child(root, "PNRs")
        declared = self._integer(pnrs, "NumberOfPNRs")
        # The flight is read first (its carrier chooses the locators), its findings reported
        # after those of the bookings, in document order.
        mark = len(self.findings)
        flight = self._flight(root)
        flight_findings = self.findings[mark:]
        del self.findings[mark:]
        preferred = tuple(x for x in (flight.carrier if flight else None, sender) if x)
        bookings: list[Booking] = []
        if pnrs is not None:
            for pnr in _children(pnrs, "PNR"):
                bookings.append(self._booking(pnr, preferred))
        else:
            self._warn("xml.no_pnrs", f"<{ROOT_TAG}> has no PNRs element; no bookings read", root)
        if declared is not None and pnrs is not None:
            present = len(list(_children(pnrs, "PNR")))
            if present != declared:
                self._warn(
                    "xml.count_mismatch",
                    f"PNRs declares NumberOfPNRs={declared} but holds {present} PNR elements; "
                    "all present were read",
                    pnrs,
                )
        recipient_code = _upper(_attr(recipient, "Code", "AirlineCode", "ID"))
        prepared_at = self._datetime(root, "TimeStamp", utc=True)
        action = self._action(root)
        self.findings.extend(flight_findings)
        return PnrMessage(
            version=version,
            syntax="xml",
            sender=sender,
            recipient=recipient_code,
            prepared_at=prepared_at,
            reference=_attr(root, "EchoToken"),
            part=part,
            action=action,
            flight=flight,
            declared_count=declared,
            bookings=tuple(bookings),
        )

    def _action(self, root: etree._Element) -> PushAction | None:
        raw = _attr(root, "PushType")
        if raw is None:
            return None
        v = raw.upper()
        if v in ("FULL", "22", "COMPLETE"):
            return PushAction.FULL
        if v in ("CHANGES", "141", "UPDATE", "DELTA"):
            return PushAction.CHANGES
        self._warn("xml.bad_push_type", f"Unknown PushType={raw!r}; push action left empty", root)
        return None

    def _flight(self, root: etree._Element) -> Flight | None:
        elements = list(_children(root, "FlightLeg"))
        if not elements:
            self._warn(
                "xml.no_flight", "The message has no FlightLeg: the reported flight is unknown"
            )
            return None
        first = elements[0]
        carrier = self._airline(_child(first, "MarketingAirline")) or self._airline(
            _child(first, "OperatingAirline")
        )
        raw_number = _attr(first, "FlightNumber") or ""
        if not carrier or not raw_number:
            self._error(
                "xml.flight.incomplete",
                f"{self._name(first)} lacks the airline code or FlightNumber; "
                "the reported flight was not read",
                first,
            )
            return None
        legs: list[FlightLeg] = []
        for el in elements:
            origin = _upper(_attr(_child(el, "DepartureAirport"), "LocationCode"))
            destination = _upper(_attr(_child(el, "ArrivalAirport"), "LocationCode"))
            if origin and destination:
                legs.append(
                    FlightLeg(
                        origin=origin,
                        destination=destination,
                        departure=self._datetime(el, "DepartureDateTime"),
                        arrival=self._datetime(el, "ArrivalDateTime"),
                    )
                )
            elif origin or destination or len(elements) > 1:
                self._error(
                    "xml.flight.no_airports",
                    f"{self._name(el)} lacks DepartureAirport or ArrivalAirport LocationCode; "
                    "leg not read",
                    el,
                )
        return Flight(
            carrier=carrier,
            number=values.flight_number(raw_number),
            legs=tuple(legs),
            raw_number=raw_number,
        )

    # -- booking ----------------------------------------------------------------------

    def _booking(self, pnr: etree._Element, preferred: tuple[str, ...]) -> Booking:
        locators = [self._locator(el) for el in _children(pnr, "BookingRefID")]
        found = [loc for loc in locators if loc is not None]
        if not found:
            self._error(
                "xml.pnr.no_locator",
                f"{self._name(pnr)} has no BookingRefID with an ID; booking kept without "
                "a record locator",
                pnr,
            )
        own = [loc for loc in found if loc.system in preferred]
        locator = (own or found)[0].locator if found else ""
        ctx = _Context()
        legs = self._legs(pnr, ctx)
        travellers = self._travellers(pnr, ctx)
        contacts: list[Contact] = []
        remarks: list[Remark] = []
        services: list[SpecialService] = []
        self._scan(pnr, ctx, contacts, remarks, services)
        travellers = [
            replace(
                t,
                seats=tuple(ctx.items[i].seats),
                bags=tuple(ctx.items[i].bags),
                check_ins=tuple(ctx.items[i].check_ins),
            )
            for i, t in enumerate(travellers)
        ]
        pos_source = _child(_child(pnr, "POS"), "Source")
        history = _child(pnr, "History")
        payments = _child(pnr, "Payments")
        return Booking(
            locator=locator,
            record_locators=tuple(found),
            created_at=self._datetime(pnr, "CreateDateTime", utc=True),
            last_changed_at=self._datetime(pnr, "LastModifyDateTime", utc=True),
            number_in_party=self._integer(pnr, "NumberInParty"),
            group_name=_text(_child(pnr, "GroupName")) or None,
            travellers=tuple(travellers),
            legs=tuple(legs),
            contacts=tuple(contact_order(contacts, [t.ref for t in travellers])),
            payments=tuple(
                self._payment(p)
                for p in (_children(payments, "Payment") if payments is not None else ())
            ),
            agency=self._agency(pos_source) if pos_source is not None else None,
            split_references=tuple(self._split(s) for s in _children(pnr, "SplitPNR")),
            history=tuple(
                self._history(h)
                for h in (_children(history, "HistoryItem") if history is not None else ())
            ),
            remarks=tuple(remarks),
            special_services=tuple(services),
        )

    def _locator(self, el: etree._Element) -> RecordLocator | None:
        ident = _upper(_attr(el, "ID"))
        if ident is None:
            self._warn("xml.pnr.empty_locator", f"{self._name(el)} has no ID; ignored", el)
            return None
        company = _attr(el, "CompanyName") or self._airline(_child(el, "CompanyName"))
        return RecordLocator(
            locator=ident,
            system=_upper(company),
            created_at=self._datetime(el, "CreateDateTime", utc=True),
        )

    def _agency(self, el: etree._Element) -> Agency:
        requestor = _child(el, "RequestorID")
        return Agency(
            system=_upper(_attr(el, "AirlineVendorID")),
            location=_upper(_attr(el, "AirportCode", "LocationCode")),
            iata_number=_attr(requestor, "ID") or _attr(el, "IATA_Number"),
            pseudo_city=_upper(_attr(el, "PseudoCityCode")),
            agent_id=_attr(el, "AgentSine"),
            country=self._country(el, "ISOCountry"),
            currency=_upper(_attr(el, "ISOCurrency")),
            type=_attr(requestor, "Type"),
        )

    def _split(self, el: etree._Element) -> SplitReference:
        company = _attr(el, "CompanyName") or self._airline(_child(el, "CompanyName"))
        return SplitReference(
            locator=_upper(_attr(el, "ID")),
            system=_upper(company),
            number_of_travellers=self._integer(el, "NumberInParty"),
        )

    def _history(self, el: etree._Element) -> HistoryEntry:
        raw_action = _attr(el, "Action")
        action = None
        if raw_action is not None:
            action = HISTORY_ACTIONS.get(raw_action.upper(), raw_action.lower())
        return HistoryEntry(
            at=self._datetime(el, "DateTime", utc=True),
            action=action,
            element=_attr(el, "ItemType"),
            text=_text(el),
            by=_attr(el, "AgentID"),
        )

    def _address(self, el: etree._Element, kind: str | None = None) -> Address:
        lines = [_text(c) for c in _children(el, "AddressLine", "StreetNmbr")]
        region = _child(el, "StateProv")
        country = _child(el, "CountryName")
        return Address(
            kind=kind or (_attr(el, "Type") or "").lower() or None,
            street=" ".join(t for t in lines if t) or None,
            city=_text(_child(el, "CityName")) or None,
            region=_attr(region, "StateCode") or _text(region) or None,
            postal_code=_text(_child(el, "PostalCode")) or None,
            country=self._country(country, "Code")
            or (values.country(_text(country)) if _text(country) else None),
        )

    def _payment(self, el: etree._Element) -> Payment:
        raw = _upper(_attr(el, "PaymentType"))
        method = PAYMENT_CODES.get(raw or "", PaymentMethod.OTHER)
        card = _child(el, "PaymentCard")
        payer = _child(el, "Payer")
        billing = _child(el, "BillingAddress")
        return Payment(
            method=method,
            raw_method=raw,
            amount=self._decimal(el, "Amount"),
            currency=_upper(_attr(el, "CurrencyCode")),
            card_vendor=_upper(_attr(card, "CardCode")),
            card_number=_attr(card, "CardNumber"),
            card_expiry=_attr(card, "ExpireDate"),
            payer_name=_attr(payer, "Name") or _text(_child(card, "CardHolderName")) or None,
            payer_phone=_attr(payer, "PhoneNumber"),
            billing_address=self._address(billing) if billing is not None else None,
            traveller_ref=_attr(el, "PassengerRPH"),
        )

    # -- itinerary --------------------------------------------------------------------

    def _members(self, pnr: etree._Element, tag: str) -> Iterator[etree._Element]:
        for c in pnr:
            if c.tag == tag:
                yield c
            elif c.tag in _WRAPPERS:
                yield from _children(c, tag)

    def _legs(self, pnr: etree._Element, ctx: _Context) -> list[Leg]:
        legs: list[Leg] = []
        for el in self._members(pnr, "Flight"):
            leg = self._leg(el)
            if leg is None:
                continue
            legs.append(leg)
            ctx.legs_by_el[el] = leg.key
            rph = _attr(el, "RPH")
            if rph is not None:
                ctx.legs_by_rph[rph] = leg.key
        return legs

    def _leg(self, el: etree._Element) -> Leg | None:
        marketing = _child(el, "MarketingAirline")
        operating = _child(el, "OperatingAirline")
        carrier = self._airline(marketing) or self._airline(operating)
        raw_number = _attr(el, "FlightNumber") or _attr(marketing, "FlightNumber") or ""
        origin = _upper(_attr(_child(el, "DepartureAirport"), "LocationCode"))
        destination = _upper(_attr(_child(el, "ArrivalAirport"), "LocationCode"))
        if not (carrier and raw_number and origin and destination):
            self._error(
                "xml.leg.incomplete",
                f"{self._name(el)} lacks the airline, FlightNumber or an airport; "
                "itinerary leg not read",
                el,
            )
            return None
        op_carrier = op_number = None
        if marketing is not None and operating is not None:
            op_carrier = self._airline(operating)
            op_raw = _attr(operating, "FlightNumber")
            op_number = values.flight_number(op_raw) if op_raw else None
        equipment = _child(el, "Equipment")
        return Leg(
            carrier=carrier,
            number=values.flight_number(raw_number),
            origin=origin,
            destination=destination,
            departure=self._datetime(el, "DepartureDateTime"),
            arrival=self._datetime(el, "ArrivalDateTime"),
            operating_carrier=op_carrier,
            operating_number=op_number,
            booking_class=_upper(_attr(el, "ResBookDesigCode")),
            status=_upper(_attr(el, "Status")),
            number_in_party=self._integer(el, "NumberInParty"),
            equipment=_upper(_attr(equipment, "AirEquipType") or _text(equipment) or None),
            raw_number=raw_number,
        )

    # -- travellers -------------------------------------------------------------------

    def _travellers(self, pnr: etree._Element, ctx: _Context) -> list[Traveller]:
        travellers: list[Traveller] = []
        for el in self._members(pnr, "Passenger"):
            traveller = self._traveller(el)
            if traveller is None:
                continue
            index = len(travellers)
            travellers.append(traveller)
            ctx.items.append(_PaxItems())
            ctx.pax_by_el[el] = index
            if traveller.ref is not None:
                if traveller.ref in ctx.pax_by_ref:
                    self._warn(
                        "xml.passenger.duplicate_rph",
                        f"{self._name(el)} repeats RPH={traveller.ref!r}; items referring to "
                        "it go to the first passenger with that RPH",
                        el,
                    )
                else:
                    ctx.pax_by_ref[traveller.ref] = index
        return travellers

    def _name_parts(self, el: etree._Element) -> tuple[str, str, str, str | None, str | None]:
        """(surname, given names, raw name, title, suffix) of a Passenger element."""
        holder = _first(_child(el, "PersonName"), _child(el, "PassengerName"))
        holder = el if holder is None else holder
        surname_raw = _text(_child(holder, "Surname"))
        given_raw = " ".join(t for t in (_text(g) for g in _children(holder, "GivenName")) if t)
        raw_name = f"{surname_raw}/{given_raw}" if given_raw else surname_raw
        title = _upper(_text(_child(holder, "NameTitle")) or None)
        if title is None:
            given, title = split_title(given_raw)
        else:
            given = " ".join(given_raw.upper().split())
        suffix = _upper(_text(_child(holder, "NameSuffix")) or None)
        if suffix is None:
            surname, suffix = split_suffix(surname_raw)
        else:
            surname = " ".join(surname_raw.upper().split())
        return surname, given, raw_name, title, suffix

    def _traveller(self, el: etree._Element) -> Traveller | None:
        surname, given, raw_name, title, suffix = self._name_parts(el)
        if not surname:
            self._error(
                "xml.passenger.no_surname",
                f"Passenger element {self.positions.get(el, '?')} has no Surname; "
                "passenger skipped",
                el,
            )
            return None
        raw_type = _attr(el, "PassengerTypeCode")
        ptype = TravellerType.ADULT
        if raw_type is not None:
            found = TRAVELLER_TYPES.get(raw_type.upper())
            if found is None:
                self._warn(
                    "xml.passenger.bad_type",
                    f"{self._name(el)} has PassengerTypeCode={raw_type!r}; read as an adult",
                    el,
                )
            ptype = found or TravellerType.ADULT
        documents: list[Document] = []
        visas: list[Visa] = []
        addresses: list[Address] = []
        for ssr in _children(el, "DOC_SSR"):
            for d in ssr:
                if d.tag == "DOCS":
                    documents.append(self._document(d))
                elif d.tag == "DOCO":
                    visas.append(self._visa(d))
                elif d.tag == "DOCA":
                    addresses.append(self._doca(d))
        dob = self._date(el, "BirthDate", past=True)
        gender = self._gender(el, "Gender")
        nationality = self._country(el, "Nationality")
        return Traveller(
            ref=_attr(el, "RPH"),
            surname=surname,
            given_names=given,
            title=title,
            suffix=suffix,
            raw_name=raw_name,
            type=ptype,
            date_of_birth=dob
            or next((d.date_of_birth for d in documents if d.date_of_birth), None),
            gender=gender or next((d.gender for d in documents if d.gender), None),
            nationality=nationality
            or next((d.nationality for d in documents if d.nationality), None),
            accompanying_ref=_attr(el, "AccompanyingPassengerRPH"),
            documents=tuple(documents),
            visas=tuple(visas),
            addresses=tuple(addresses),
            frequent_flyers=tuple(self._loyalty(el)),
            tickets=tuple(self._ticket(t) for t in _children(el, "TicketDocument")),
            fares=tuple(
                Fare(
                    passenger_type=_upper(_attr(f, "PassengerTypeCode")),
                    age=self._integer(f, "Age"),
                    fare_basis=_upper(_attr(f, "FareBasisCode")),
                )
                for f in _children(el, "FareInfo")
            ),
            unique_ref=_attr(el, "UniqueID"),
        )

    def _loyalty(self, el: etree._Element) -> Iterator[FrequentFlyer]:
        for c in _children(el, "CustLoyalty"):
            airline = _upper(_attr(c, "ProgramID"))
            number = _attr(c, "MembershipID")
            if airline is None or number is None:
                self._error(
                    "xml.loyalty.incomplete",
                    f"{self._name(c)} lacks ProgramID or MembershipID; frequent flyer not read",
                    c,
                )
                continue
            yield FrequentFlyer(airline=airline, number=number, tier=_attr(c, "LoyalLevel"))

    def _document(self, el: etree._Element) -> Document:
        return Document(
            type=_upper(_attr(el, "DocType")),
            number=_upper(_attr(el, "DocID")),
            issuing_country=self._country(el, "DocIssueCountry"),
            nationality=self._country(el, "Nationality"),
            date_of_birth=self._date(el, "BirthDate", past=True),
            gender=self._gender(el, "Gender"),
            expiry=self._date(el, "ExpiryDate", past=False),
            issued_on=self._date(el, "DocIssueDate", past=True),
            surname=_upper(_attr(el, "Surname")),
            given_names=_upper(_attr(el, "GivenName")),
        )

    def _visa(self, el: etree._Element) -> Visa:
        return Visa(
            type=_upper(_attr(el, "DocType")),
            number=_upper(_attr(el, "DocID")),
            place_of_birth=_upper(_attr(el, "BirthPlace")),
            place_of_issue=_upper(_attr(el, "DocIssueLocation")),
            issued_on=self._date(el, "DocIssueDate", past=True),
            country=self._country(el, "ApplicableCountry"),
        )

    def _doca(self, el: etree._Element) -> Address:
        raw_kind = _attr(el, "AddressType")
        kind = ADDRESS_KINDS.get(raw_kind.upper(), raw_kind.lower()) if raw_kind else None
        return Address(
            kind=kind,
            street=_upper(_attr(el, "Address")),
            city=_upper(_attr(el, "City")),
            region=_upper(_attr(el, "State")),
            postal_code=_upper(_attr(el, "PostalCode")),
            country=self._country(el, "Country"),
        )

    def _ticket(self, el: etree._Element) -> Ticket:
        pricing = _child(el, "PricingInfo")
        total = _child(pricing, "TotalFare")
        base = _child(pricing, "BaseFare")
        taxes = _child(pricing, "Taxes")
        trip = _upper(_attr(pricing, "TripType"))
        return Ticket(
            number=_attr(el, "TicketDocumentNbr"),
            document_type=_upper(_attr(el, "Type")),
            issued_on=self._date(el, "DateOfIssue", past=True),
            base_amount=self._decimal(base, "Amount"),
            total_amount=self._decimal(total, "Amount"),
            currency=_upper(_attr(total, "CurrencyCode") or _attr(base, "CurrencyCode")),
            taxes=tuple(
                Tax(
                    amount=self._decimal(t, "Amount"),
                    code=_upper(_attr(t, "TaxCode")),
                    currency=_upper(_attr(t, "CurrencyCode")),
                )
                for t in (_children(taxes, "Tax") if taxes is not None else ())
            ),
            country_of_sale=self._country(pricing, "CountryOfSale"),
            fare_calculation=_text(_child(pricing, "FareCalculation")) or None,
            one_way={"OW": True, "RT": False}.get(trip or ""),
        )

    # -- elements that may sit anywhere in the PNR -------------------------------------

    def _where(
        self, el: etree._Element, pnr: etree._Element
    ) -> tuple[bool, etree._Element | None, etree._Element | None]:
        """(foreign, enclosing Passenger, enclosing Flight) of an element inside ``pnr``."""
        passenger = flight = None
        parent = el.getparent()
        while parent is not None and parent is not pnr:
            if parent.tag in _FOREIGN:
                return True, None, None
            if parent.tag == "Passenger" and passenger is None:
                passenger = parent
            elif parent.tag == "Flight" and flight is None:
                flight = parent
            parent = parent.getparent()
        return False, passenger, flight

    def _refs(
        self, el: etree._Element, pnr: etree._Element, ctx: _Context
    ) -> tuple[bool, int | None, str | None, LegKey | None]:
        """(usable, traveller index, traveller ref, leg) for an item element.

        ``usable`` is False inside History / SplitPNR or under a skipped passenger.
        """
        foreign, passenger, flight = self._where(el, pnr)
        if foreign:
            return False, None, None, None
        index: int | None = None
        ref = _attr(el, "PassengerRPH")
        if passenger is not None:
            if passenger not in ctx.pax_by_el:
                return False, None, None, None
            index = ctx.pax_by_el[passenger]
            ref = _attr(passenger, "RPH")
        elif ref is not None:
            index = ctx.pax_by_ref.get(ref)
        leg: LegKey | None = None
        flight_ref = _attr(el, "FlightRPH")
        if flight is not None:
            leg = ctx.legs_by_el.get(flight)
        elif flight_ref is not None:
            leg = ctx.legs_by_rph.get(flight_ref)
            if leg is None:
                self._warn(
                    "xml.unknown_flight_ref",
                    f"{self._name(el)} refers to FlightRPH={flight_ref!r}, which no Flight "
                    "has; read without a leg",
                    el,
                )
        return True, index, ref, leg

    def _scan(
        self,
        pnr: etree._Element,
        ctx: _Context,
        contacts: list[Contact],
        remarks: list[Remark],
        services: list[SpecialService],
    ) -> None:
        """Read, in document order, the elements that can sit at any level of the PNR."""
        for el in pnr.iter(tag=etree.Element):
            tag = el.tag
            if tag not in _SCANNED:
                continue
            usable, index, ref, leg = self._refs(el, pnr, ctx)
            if not usable:
                continue
            if tag in ("SeatNumber", "CheckedBaggage", "PrepaidBag", "CheckIn"):
                if index is None:
                    self._error(
                        "xml.unknown_passenger",
                        f"{self._name(el)} belongs to no readable Passenger (PassengerRPH="
                        f"{ref!r}); not read",
                        el,
                    )
                    continue
                self._pax_item(el, ctx.items[index], leg)
            elif tag == "ContactInfo":
                contacts.extend(self._contact_info(el, ref))
            elif tag == "SSR":
                self._ssr(el, ref, leg, contacts, services)
            elif tag in ("OtherServiceInfo", "Remark"):
                remark = self._remark(el, ref)
                if remark is not None:
                    remarks.append(remark)
                    contact = _osi_contact(remark)
                    if contact is not None:
                        contacts.append(contact)

    def _pax_item(self, el: etree._Element, items: _PaxItems, leg: LegKey | None) -> None:
        if el.tag == "SeatNumber":
            seat = _upper(_attr(el, "SeatNumber", "Number") or _text(el) or None)
            if seat is None:
                self._warn("xml.seat.empty", f"{self._name(el)} holds no seat; ignored", el)
                return
            items.seats.append(Seat(seat=seat, leg=leg, cabin=_upper(_attr(el, "CabinClass"))))
        elif el.tag == "CheckIn":
            status = _attr(el, "Status")
            if status is None:
                self._warn(
                    "xml.checkin.no_status",
                    f"{self._name(el)} has no Status; read as checked_in",
                    el,
                )
            items.check_ins.append(
                CheckIn(
                    status=status or CHECKED_IN,
                    leg=leg,
                    checked_in_at=self._datetime(el, "DateTime", utc=True),
                    sequence_number=_attr(el, "SequenceNumber"),
                    agent=_attr(el, "AgentID"),
                    cabin=_upper(_attr(el, "CabinClass")),
                )
            )
        else:
            items.bags.append(self._bag(el, leg))

    def _bag(self, el: etree._Element, leg: LegKey | None) -> Bag:
        raw_unit = _upper(_attr(el, "UnitOfMeasure", "WeightUnit"))
        unit = None
        if raw_unit in ("KG", "K", "KGS", "700"):
            unit = WeightUnit.KG
        elif raw_unit in ("LB", "L", "LBS", "701"):
            unit = WeightUnit.LB
        elif raw_unit is not None:
            self._warn(
                "xml.bag.bad_unit",
                f"{self._name(el)} has UnitOfMeasure={raw_unit!r}; expected KG or LB; "
                "unit left empty",
                el,
            )
        return Bag(
            count=self._integer(el, "Quantity"),
            weight=self._decimal(el, "Weight"),
            weight_unit=unit,
            tags=tuple(t for t in (_text(b).upper() for b in _children(el, "BagTag")) if t),
            head_of_pool=_boolean(_attr(el, "HeadOfPool")) or False,
            destination=_upper(_attr(el, "Destination")),
            leg=leg,
        )

    def _contact_info(self, el: etree._Element, ref: str | None) -> Iterator[Contact]:
        for c in el:
            own_ref = _attr(c, "PassengerRPH") or ref
            if c.tag == "Telephone":
                raw = _attr(c, "PhoneNumber") or _text(c)
                kind, value = ContactKind.PHONE, normalise_phone(raw)
                address = None
            elif c.tag == "Email":
                raw = _text(c) or _attr(c, "EmailAddress") or ""
                kind, value = ContactKind.EMAIL, normalise_email(raw)
                address = None
            elif c.tag == "Address":
                address = self._address(c)
                raw = value = address_line(address)
                kind = ContactKind.ADDRESS
            elif c.tag == "Other":
                raw = value = _text(c)
                kind, address = ContactKind.OTHER, None
            else:
                continue
            if not value:
                self._warn("xml.contact.empty", f"{self._name(c)} is empty; ignored", c)
                continue
            yield Contact(
                kind=kind,
                value=value,
                raw=raw,
                source="ContactInfo",
                traveller_ref=own_ref,
                address=address,
            )

    def _ssr(
        self,
        el: etree._Element,
        ref: str | None,
        leg: LegKey | None,
        contacts: list[Contact],
        services: list[SpecialService],
    ) -> None:
        code = _upper(_attr(el, "SSRCode", "Code"))
        text = _text(_child(el, "Text")) or _text(el) or None
        if code is None:
            self._warn("xml.ssr.no_code", f"{self._name(el)} has no SSRCode; ignored", el)
            return
        if code == "CTCE" and text:
            contacts.append(
                Contact(
                    kind=ContactKind.EMAIL,
                    value=normalise_email(text),
                    raw=text,
                    source="SSR CTCE",
                    traveller_ref=ref,
                )
            )
            return
        if code in PHONE_SSRS and text and normalise_phone(text).lstrip("+"):
            contacts.append(
                Contact(
                    kind=ContactKind.PHONE,
                    value=normalise_phone(text),
                    raw=text,
                    source=f"SSR {code}",
                    traveller_ref=ref,
                )
            )
            return
        services.append(
            SpecialService(
                code=code,
                status=_upper(_attr(el, "Status")),
                text=text,
                traveller_ref=ref,
                leg=leg,
            )
        )

    def _remark(self, el: etree._Element, ref: str | None) -> Remark | None:
        text = _text(_child(el, "Text")) if _child(el, "Text") is not None else _text(el)
        if not text:
            self._warn("xml.remark.empty", f"{self._name(el)} holds no text; ignored", el)
            return None
        if el.tag == "OtherServiceInfo":
            code = _upper(_attr(el, "Code")) or self._airline(_child(el, "Airline"))
            return Remark(kind="OSI", text=text, traveller_ref=ref, code=code)
        return Remark(
            kind=_upper(_attr(el, "Type")) or "RMK",
            text=text,
            traveller_ref=ref,
            code=_attr(el, "Code"),
        )


_SCANNED = frozenset(
    {
        "SeatNumber",
        "CheckedBaggage",
        "PrepaidBag",
        "CheckIn",
        "ContactInfo",
        "SSR",
        "OtherServiceInfo",
        "Remark",
    }
)


def address_line(address: Address) -> str:
    """One-line text of an address (the ``value`` of an address contact):
    ``people.address_value``."""
    return address_value(address)


def _osi_contact(remark: Remark) -> Contact | None:
    """A phone or e-mail hidden in an OSI line (``CTCE …``, ``CTCR 0011…``); the remark stays."""
    if remark.kind != "OSI":
        return None
    found = contact_from_text(remark.text)
    if found is None or found[0] is ContactKind.OTHER:
        return None
    kind, value, code = found
    return Contact(
        kind=kind,
        value=value,
        raw=remark.text,
        source=f"OSI {code}",
        traveller_ref=remark.traveller_ref,
    )
