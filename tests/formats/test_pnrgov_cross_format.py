"""Cross-format consistency: the same ``PnrMessage`` written as PNRGOV EDIFACT and as PNRGOV
XML reads back to the same model, for every field both formats carry.

Differences by design, removed before comparing (each is documented in ``docs/formats.md``):

* ``syntax`` is ``"edifact"`` or ``"xml"``;
* ``raw`` texts (documents, visas, addresses, fares, agencies, contacts): the XML has no
  segment text; a contact's ``raw`` is what its own format sent;
* a contact's ``source``: ``ADD`` in EDIFACT, ``ContactInfo`` in XML (``SSR CTCx`` and
  ``OSI CTCx`` are the same in both);
* an OSI line holding a contact (``CTCE …``) is a contact in both formats and, in XML only,
  also an OSI remark (golden files ``pnrMessage`` and ``lh400_full_push``);
* ``non_air`` (group 9): the XML format has no element for it.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import Any

from hypothesis import HealthCheck, given, settings

from paxwatch.formats.people import contact_from_text
from paxwatch.formats.pnrgov import read_pnrgov
from paxwatch.formats.pnrgov_write import write_pnrgov
from paxwatch.formats.pnrgov_xml import read_pnrgov_xml
from paxwatch.formats.pnrgov_xml_write import write_pnrgov_xml
from paxwatch.model import Booking, Contact, ContactKind, PaymentMethod, PnrMessage
from tests.strategies import pnr_messages

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _without_raw(value: Any) -> Any:
    """The model with every ``raw`` field emptied (XML carries no segment text)."""
    if is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in fields(value):
            if not f.init:
                continue
            v = getattr(value, f.name)
            changes[f.name] = "" if f.name == "raw" else _without_raw(v)
        return replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_without_raw(v) for v in value)
    return value


def _contact(c: Contact) -> Contact:
    source = c.source if c.source and c.source.startswith(("SSR ", "OSI ")) else None
    return replace(c, source=source)


def _booking(b: Booking, xml: bool) -> Booking:
    remarks = b.remarks
    if xml:  # an OSI contact line is also kept as a remark by the XML reader
        remarks = tuple(
            r
            for r in remarks
            if not (
                r.kind == "OSI"
                and (found := contact_from_text(r.text)) is not None
                and found[0] is not ContactKind.OTHER
            )
        )
    return replace(b, contacts=tuple(_contact(c) for c in b.contacts), remarks=remarks, non_air=())


def _comparable(message: PnrMessage, xml: bool) -> PnrMessage:
    m = replace(message, syntax="-", bookings=tuple(_booking(b, xml) for b in message.bookings))
    return _without_raw(m)  # type: ignore[no-any-return]


def _both(message: PnrMessage) -> tuple[PnrMessage, PnrMessage]:
    edifact = read_pnrgov(write_pnrgov(message))
    xml = read_pnrgov_xml(write_pnrgov_xml(message))
    assert not edifact.has_errors, edifact.findings
    assert not xml.has_errors, xml.findings
    e, x = edifact.messages[0], xml.messages[0]
    assert isinstance(e, PnrMessage) and isinstance(x, PnrMessage)
    return e, x


@SETTINGS
@given(pnr_messages())
def test_edifact_and_xml_read_back_the_same_model(message: PnrMessage) -> None:
    edifact, xml = _both(message)
    assert _comparable(edifact, False) == _comparable(xml, True)
    assert edifact == message  # the EDIFACT round trip is exact for canonical messages


@SETTINGS
@given(pnr_messages(max_bookings=2))
def test_contacts_payments_and_check_ins_survive_both_formats(message: PnrMessage) -> None:
    edifact, xml = _both(message)
    for original, e, x in zip(message.bookings, edifact.bookings, xml.bookings, strict=True):
        assert [(c.kind, c.value, c.traveller_ref) for c in e.contacts] == [
            (c.kind, c.value, c.traveller_ref) for c in original.contacts
        ]
        assert [(c.kind, c.value, c.traveller_ref) for c in x.contacts] == [
            (c.kind, c.value, c.traveller_ref) for c in original.contacts
        ]
        for p in (e.payments, x.payments):
            assert [(q.method, q.currency, q.payer_name) for q in p] == [
                (q.method, q.currency, q.payer_name) for q in original.payments
            ]
        statuses = [[c.status for c in t.check_ins] for t in original.travellers]
        assert [[c.status for c in t.check_ins] for t in e.travellers] == statuses
        assert [[c.status for c in t.check_ins] for t in x.travellers] == statuses


def test_miles_round_trip_in_both_formats() -> None:
    from paxwatch.model import Payment

    for raw in (None, "MI", "MILES"):
        pay = Payment(method=PaymentMethod.MILES, raw_method=raw)
        message = PnrMessage(
            version="13.1",
            bookings=(Booking(locator="ABC123", payments=(pay,)),),
        )
        edifact, xml = _both(message)
        assert edifact.bookings[0].payments[0].method is PaymentMethod.MILES
        assert xml.bookings[0].payments[0].method is PaymentMethod.MILES
