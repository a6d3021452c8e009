"""The columns of the rows of a booking version that ``row_builders`` builds as tuples
(``*_values``), in tuple order, and ``VALUE_COLUMNS``: those of each child table."""

from __future__ import annotations

LEG_COLUMNS = ("leg_carrier", "leg_number", "leg_origin", "leg_destination", "leg_date")
#: The columns of ``traveller`` that ``traveller_values`` gives (all but the ids).
TRAVELLER_COLUMNS: tuple[str, ...] = (
    "seq",
    "ref",
    "surname",
    "given_names",
    "title",
    "suffix",
    "raw_name",
    "type",
    "date_of_birth",
    "gender",
    "nationality",
    "accompanying_ref",
    "name_key",
)
DOCUMENT_COLUMNS = (
    "traveller_id",
    "api_traveller_id",
    "type",
    "number",
    "issuing_country",
    "nationality",
    "date_of_birth",
    "gender",
    "expiry",
    "issued_on",
    "surname",
    "given_names",
    "number_key",
)
BAG_COLUMNS = (
    "traveller_id",
    "api_traveller_id",
    "count",
    "weight",
    "weight_unit",
    "tags",
    "head_of_pool",
    "destination",
    *LEG_COLUMNS,
)
SEAT_COLUMNS = ("traveller_id", "seat", "cabin", *LEG_COLUMNS)
FREQUENT_FLYER_COLUMNS = ("traveller_id", "airline", "number", "tier", "number_key")
TICKET_COLUMNS = (
    "traveller_id",
    "number",
    "document_type",
    "issued_on",
    "total_amount",
    "currency",
    "one_way",
)
BOOKING_LEG_COLUMNS = (
    "version_id",
    "seq",
    "carrier",
    "number",
    "origin",
    "destination",
    "departure",
    "arrival",
    "operating_carrier",
    "operating_number",
    "booking_class",
    "status",
    "equipment",
)
AGENCY_COLUMNS = (
    "version_id",
    "system",
    "location",
    "iata_number",
    "pseudo_city",
    "agent_id",
    "country",
    "type",
    "raw",
)
CONTACT_COLUMNS = ("version_id", "traveller_id", "kind", "value", "raw", "source", "value_key")
PAYMENT_COLUMNS = (
    "version_id",
    "traveller_id",
    "method",
    "raw_method",
    "amount",
    "currency",
    "card_vendor",
    "card_number",
    "card_expiry",
    "payer_name",
    "payer_phone",
    "billing_address",
    "card_key",
    "payer_phone_key",
)

#: The columns of the tuples ``Rows.put`` gathers, by table.
VALUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "booking_leg": BOOKING_LEG_COLUMNS,
    "agency": AGENCY_COLUMNS,
    "document": DOCUMENT_COLUMNS,
    "contact": CONTACT_COLUMNS,
    "payment": PAYMENT_COLUMNS,
    "seat": SEAT_COLUMNS,
    "bag": BAG_COLUMNS,
    "frequent_flyer": FREQUENT_FLYER_COLUMNS,
    "ticket": TICKET_COLUMNS,
}
