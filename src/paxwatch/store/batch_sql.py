"""The statements of ``BatchWriter`` (``batch.py``): plain SQL, the same text on SQLite and
PostgreSQL where both can run it, and the array forms PostgreSQL runs instead
(``store.set_sql``)."""

from __future__ import annotations

STATES = (
    'SELECT b."key", b.id, b.version_count, v.content_hash, b.current_version_id '
    "FROM booking b LEFT OUTER JOIN booking_version v ON v.id = b.current_version_id "
    'WHERE b."key" {keys}'
)
CURRENT = "SELECT id, current_version_id FROM booking WHERE id {ids}"
ACTIVE = (
    "SELECT booking_id, flight_id FROM booking_flight WHERE booking_id {ids} AND status = 'active'"
)
NEW_BOOKING = ("key", "locator", "carrier", "first_seen_at", "last_seen_at")
#: A booking created concurrently by another writer is left alone (and read back).
NEW_BOOKING_INSERT = (
    'INSERT INTO booking ("key", locator, carrier, current_version_id, version_count, '
    "first_seen_at, last_seen_at) VALUES (?, ?, ?, NULL, 0, ?, ?) ON CONFLICT DO NOTHING"
)
#: PostgreSQL: the same for arrays of the columns, one statement (``store.set_sql``), with
#: an id first (NULL: a new one from the sequence; else the id taken before the turn for
#: the booking's early rows, ``store.early``) and, when the id of the booking's last version
#: in the batch is known (early), its current version and count (else NULL: set with the
#: other bookings' at ``CURRENT_ARRAYS``); the new bookings' ids come back.
NEW_BOOKING_ARRAYS = (
    'INSERT INTO booking (id, "key", locator, carrier, current_version_id, version_count, '
    "first_seen_at, last_seen_at) "
    "SELECT coalesce(i, nextval((SELECT pg_get_serial_sequence('booking', 'id')::regclass))), "
    "k, l, c, v, coalesce(n, 0), "
    "f, s FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[], "
    "?::integer[], ?::timestamp[], ?::timestamp[]) AS u(i, k, l, c, v, n, f, s) "
    'ON CONFLICT DO NOTHING RETURNING "key", id'
)
#: PostgreSQL: the current version of bookings (arrays: version id, count, seen, booking id).
CURRENT_ARRAYS = (
    "UPDATE booking SET current_version_id = u.v, version_count = u.n, last_seen_at = u.s "
    "FROM unnest(?::bigint[], ?::integer[], ?::timestamp[], ?::bigint[]) AS u(v, n, s, i) "
    "WHERE booking.id = u.i"
)
ON_FLIGHT = (
    "booking_id",
    "flight_id",
    "status",
    "first_seen_at",
    "last_seen_at",
    "last_raw_message_id",
)
#: The same statement on SQLite and PostgreSQL (both have ``ON CONFLICT ... DO UPDATE``).
ON_FLIGHT_UPSERT = (
    f"INSERT INTO booking_flight ({', '.join(ON_FLIGHT)}) VALUES ({', '.join('?' * 6)}) "
    "ON CONFLICT (booking_id, flight_id) DO UPDATE SET status = 'active', "
    "last_seen_at = excluded.last_seen_at, "
    "last_raw_message_id = excluded.last_raw_message_id, "
    "cancelled_at = NULL, cancelled_by_push_id = NULL"
)
ON_FLIGHT_ARRAYS = (
    f"INSERT INTO booking_flight ({', '.join(ON_FLIGHT)}) SELECT * FROM unnest("
    "?::bigint[], ?::bigint[], ?::text[], ?::timestamp[], ?::timestamp[], ?::bigint[]) "
    "ON CONFLICT (booking_id, flight_id) DO UPDATE SET status = 'active', "
    "last_seen_at = excluded.last_seen_at, "
    "last_raw_message_id = excluded.last_raw_message_id, "
    "cancelled_at = NULL, cancelled_by_push_id = NULL"
)
