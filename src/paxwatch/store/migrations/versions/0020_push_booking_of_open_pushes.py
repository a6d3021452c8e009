"""Ingest and retention that scale (issues 4 and 8): ``push_booking`` of open pushes only.

``push_booking`` listed the bookings of every full push (MSG 22), one row with two index
entries (its key and ``booking_id``) for each booking of each push, kept until the booking
was deleted. Its one reader is the completion of a push in parts: the bookings of the
flight in none of the parts are cancelled. Once a push is complete or abandoned nothing
reads its rows again. From this revision a push of one part (the usual full push: every
booking of the flight at T-72, T-48, T-24 hours and at closure) writes none (its
cancellations are computed from the message's bookings), and a push in parts deletes its
rows when it completes or is abandoned (``store.push``).

The upgrade deletes the rows of the pushes that are not open. The downgrade has nothing to
restore: no version of the code reads the rows of a finished push.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "DELETE FROM push_booking WHERE NOT EXISTS (SELECT 1 FROM push "
        "WHERE push.id = push_booking.push_id AND push.status = 'open')"
    )


def downgrade() -> None:
    """Nothing to restore (see the module doc)."""
