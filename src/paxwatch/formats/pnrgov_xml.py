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

This module reads the document and its envelope (root, message source, flight legs) and
owns the entry point; the rest is split by meaning: ``pnrgov_xml_values`` (element access,
typed attributes, findings), ``pnrgov_xml_booking`` (one PNR and where its items belong),
``pnrgov_xml_passengers`` (names, documents, loyalty, tickets), ``pnrgov_xml_itinerary``
(flights, seats, bags, check-ins), ``pnrgov_xml_contacts`` (contacts, SSRs, payments,
agency), ``pnrgov_xml_history`` (remarks, split PNRs, history) and ``pnrgov_xml_codes``.
"""

from __future__ import annotations

import re

from lxml import etree

from paxwatch.formats import values
from paxwatch.formats.pnrgov_xml_booking import read_booking
from paxwatch.formats.pnrgov_xml_codes import IATA_NAMESPACE, PAYMENT_CODES, ROOT_TAG
from paxwatch.formats.pnrgov_xml_contacts import address_line
from paxwatch.formats.pnrgov_xml_values import (
    XmlReader,
    attr,
    boolean,
    child,
    children,
    first_of,
    strip_namespaces,
    upper,
)
from paxwatch.model.booking import Booking
from paxwatch.model.common import Finding, PushAction, Severity
from paxwatch.model.flight import Flight, FlightLeg
from paxwatch.model.message import MessagePart, ParseResult, PnrMessage

__all__ = ["IATA_NAMESPACE", "PAYMENT_CODES", "ROOT_TAG", "address_line", "read_pnrgov_xml"]

_MAX_SYNTAX_FINDINGS = 5
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


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


class _Reader(XmlReader):
    """The document: parsing, the root element, the message envelope and the flight."""

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
            self.error(
                "xml.not_well_formed",
                f"{len(errors) - _MAX_SYNTAX_FINDINGS} further XML syntax errors not listed",
            )
        if root is None and not errors:
            self.error("xml.empty", "The document is empty or holds no XML element")
        return root

    def read(self, data: bytes | str) -> ParseResult:
        root = self._parse(data)
        if root is None:
            return ParseResult(findings=tuple(self.findings))
        namespaces = strip_namespaces(root)
        if root.getroottree().docinfo.internalDTD is not None:
            self.warn(
                "xml.doctype_ignored",
                "The document declares a DOCTYPE; its entities were not expanded",
            )
        if root.tag != ROOT_TAG:
            inner = next(iter(root.iter(ROOT_TAG)), None)
            if inner is None:
                self.error(
                    "xml.wrong_root",
                    f"The root element is <{root.tag}>, not <{ROOT_TAG}>: "
                    "not a PNRGOV XML message; nothing read",
                )
                return ParseResult(findings=tuple(self.findings))
            self.warn(
                "xml.wrapped",
                f"<{ROOT_TAG}> was found inside <{root.tag}>; the wrapper was ignored",
            )
            root = inner
        unknown = namespaces - {IATA_NAMESPACE}
        if unknown:
            self.warn(
                "xml.namespace",
                f"Unexpected namespace(s) {sorted(unknown)}; read as PNRGOV XML anyway",
            )
        self.positions = {el: i for i, el in enumerate(root.iter(tag=etree.Element), 1)}
        message = self._message(root)
        return ParseResult(messages=(message,), findings=tuple(self.findings))

    def _message(self, root: etree._Element) -> PnrMessage:
        version = attr(root, "Version")
        if version is None:
            self.warn("xml.no_version", f"<{ROOT_TAG}> has no Version attribute", root)
        source = child(root, "MessageSource")
        originator = first_of(child(source, "Originator"), child(root, "Originator"))
        recipient = first_of(child(source, "Recipient"), child(root, "Recipient"))
        part = None
        sequence = self.integer_attr(root, "SequenceNmbr")
        if sequence is not None:
            more = boolean(attr(root, "MoreIndicator"))
            part = MessagePart(number=sequence, final=not more)
        sender = upper(attr(originator, "AirlineCode", "Code", "CompanyShortName"))
        pnrs = child(root, "PNRs")
        declared = self.integer_attr(pnrs, "NumberOfPNRs")
        # The flight is read first (its carrier chooses the locators), its findings reported
        # after those of the bookings, in document order.
        mark = len(self.findings)
        flight = self._flight(root)
        flight_findings = self.findings[mark:]
        del self.findings[mark:]
        preferred = tuple(x for x in (flight.carrier if flight else None, sender) if x)
        bookings: list[Booking] = []
        if pnrs is not None:
            for pnr in children(pnrs, "PNR"):
                bookings.append(read_booking(self, pnr, preferred))
        else:
            self.warn("xml.no_pnrs", f"<{ROOT_TAG}> has no PNRs element; no bookings read", root)
        if declared is not None and pnrs is not None:
            present = len(list(children(pnrs, "PNR")))
            if present != declared:
                self.warn(
                    "xml.count_mismatch",
                    f"PNRs declares NumberOfPNRs={declared} but holds {present} PNR elements; "
                    "all present were read",
                    pnrs,
                )
        recipient_code = upper(attr(recipient, "Code", "AirlineCode", "ID"))
        prepared_at = self.datetime_attr(root, "TimeStamp", utc=True)
        action = self._action(root)
        self.findings.extend(flight_findings)
        return PnrMessage(
            version=version,
            syntax="xml",
            sender=sender,
            recipient=recipient_code,
            prepared_at=prepared_at,
            reference=attr(root, "EchoToken"),
            part=part,
            action=action,
            flight=flight,
            declared_count=declared,
            bookings=tuple(bookings),
        )

    def _action(self, root: etree._Element) -> PushAction | None:
        raw = attr(root, "PushType")
        if raw is None:
            return None
        v = raw.upper()
        if v in ("FULL", "22", "COMPLETE"):
            return PushAction.FULL
        if v in ("CHANGES", "141", "UPDATE", "DELTA"):
            return PushAction.CHANGES
        self.warn("xml.bad_push_type", f"Unknown PushType={raw!r}; push action left empty", root)
        return None

    def _flight(self, root: etree._Element) -> Flight | None:
        elements = list(children(root, "FlightLeg"))
        if not elements:
            self.warn(
                "xml.no_flight", "The message has no FlightLeg: the reported flight is unknown"
            )
            return None
        first = elements[0]
        carrier = self.airline(child(first, "MarketingAirline")) or self.airline(
            child(first, "OperatingAirline")
        )
        raw_number = attr(first, "FlightNumber") or ""
        if not carrier or not raw_number:
            self.error(
                "xml.flight.incomplete",
                f"{self.name(first)} lacks the airline code or FlightNumber; "
                "the reported flight was not read",
                first,
            )
            return None
        legs: list[FlightLeg] = []
        for el in elements:
            origin = upper(attr(child(el, "DepartureAirport"), "LocationCode"))
            destination = upper(attr(child(el, "ArrivalAirport"), "LocationCode"))
            if origin and destination:
                legs.append(
                    FlightLeg(
                        origin=origin,
                        destination=destination,
                        departure=self.datetime_attr(el, "DepartureDateTime"),
                        arrival=self.datetime_attr(el, "ArrivalDateTime"),
                    )
                )
            elif origin or destination or len(elements) > 1:
                self.error(
                    "xml.flight.no_airports",
                    f"{self.name(el)} lacks DepartureAirport or ArrivalAirport LocationCode; "
                    "leg not read",
                    el,
                )
        return Flight(
            carrier=carrier,
            number=values.flight_number(raw_number),
            legs=tuple(legs),
            raw_number=raw_number,
        )
