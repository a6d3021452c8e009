"""Changes to watch lists and rules are written to the tamper-evident audit trail."""

from __future__ import annotations

from datetime import date, timedelta

from paxwatch.assess.rules import activate_rule, import_rules, retire_rule
from paxwatch.assess.watchlists import import_entries, set_active
from paxwatch.privacy import audit
from paxwatch.store.engine import Store
from tests.assess.helpers import META, entry


def _rule(review: date) -> str:
    return f"""
rule R-0009 "Cash payment"
  offence: drug-trafficking
  author: a.martin
  review: {review.isoformat()}
  score: 30
when
  booking.payment in [cash]
end
"""


def test_list_and_rule_changes_are_audited_and_the_chain_verifies(store: Store) -> None:
    import_entries(store, "NAT", [entry("E1", "DOE", "JOHN")], meta=META, by="carla")
    set_active(store, "NAT", True, by="carla")
    import_rules(store, _rule(date.today() + timedelta(days=30)), by="a.martin")
    activate_rule(store, "R-0009", by="b.chef", roles={"supervisor"})
    retire_rule(store, "R-0009", by="b.chef", roles={"supervisor"})

    with store.read() as conn:
        events = audit.list_events(conn)
    changes = [
        (e.kind, e.actor, e.data().get("action"))
        for e in sorted(events, key=lambda x: x.seq)
        if e.kind in ("watchlist", "rule")
    ]
    assert changes == [
        ("watchlist", "carla", "imported"),
        ("watchlist", "carla", "activated"),
        ("rule", "a.martin", "imported"),
        ("rule", "b.chef", "activated"),
        ("rule", "b.chef", "retired"),
    ]
    assert audit.verify(store).ok
