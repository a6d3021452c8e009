"""docs/rules.md stays true: its tables are the catalogues and every example runs."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from paxwatch.model import (
    Agency,
    ApiRole,
    ApiTraveller,
    Bag,
    Booking,
    Document,
    Payment,
    PaymentMethod,
    Ticket,
)
from paxwatch.rules import check as check_module
from paxwatch.rules.check import CheckConfig, check_rule, check_text
from paxwatch.rules.context import TravellerContext, build_context
from paxwatch.rules.evaluate import compile_rule
from paxwatch.rules.fields import fields_markdown
from paxwatch.rules.offences import offences_markdown
from paxwatch.rules.parse import parse_rules
from tests.rules.factory import DEPARTURE, FF, booking, context, legs, traveller

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
TEXT = DOC.read_text("utf-8")
CONFIG = CheckConfig(today=date(2026, 11, 27))


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"^```{kind}\n(.*?)^```", TEXT, flags=re.M | re.S)


def _section(name: str) -> str:
    match = re.search(rf"<!-- {name}:start -->\n(.*?)\n<!-- {name}:end -->", TEXT, flags=re.S)
    assert match, f"docs/rules.md has no {name} section"
    return match.group(1).strip()


def test_field_table_is_the_catalogue() -> None:
    assert _section("fields") == fields_markdown()


def test_offence_table_is_the_catalogue() -> None:
    assert _section("offences") == offences_markdown()


def test_every_refusal_code_is_documented() -> None:
    folder = Path(check_module.__file__).parent
    source = "".join((folder / name).read_text("utf-8") for name in ("check.py", "fields.py"))
    source += (folder / "ruleset.py").read_text("utf-8")
    codes = set(re.findall(r'"([PFSMAR]\d{3})"', source))
    assert len(codes) == 29
    assert sorted(c for c in codes if f"| `{c}` |" not in TEXT) == []


def test_grammar_ships_as_package_data() -> None:
    grammar = resources.files("paxwatch.rules").joinpath("grammar.lark")
    assert grammar.is_file() and "start: rule*" in grammar.read_text("utf-8")


def _api(**changes: object) -> ApiTraveller:
    return ApiTraveller(role=ApiRole.PASSENGER, surname="DOE", **changes)  # type: ignore[arg-type]


def _panel() -> dict[str, TravellerContext]:
    """Crafted bookings: one meant for each worked example, and one for none of them."""
    courier_trip = legs("BOG", "MAD", "CDG")
    courier = booking(
        legs=courier_trip,
        created_at=DEPARTURE - timedelta(days=3),
        payments=(Payment(method=PaymentMethod.CARD),),
    )
    heavy = _api(bags=(Bag(count=2, weight=Decimal("35")),))
    border = booking(legs=legs("IST", "GZT"))
    card = (Payment(method=PaymentMethod.CARD),)
    expired = booking(
        payments=card,
        travellers=(
            traveller(documents=(Document(type="P", expiry=DEPARTURE.date() - timedelta(1)),)),
        ),
    )
    fraud_agency = booking(payments=card, agency=Agency(iata_number="87654321", country="NG"))
    rich = traveller(tickets=(Ticket(number="1", total_amount=Decimal("3500"), currency="EUR"),))
    earlier = booking(travellers=(rich,))
    changed = booking(
        created_at=DEPARTURE - timedelta(days=10),
        travellers=(rich,),
        legs=legs("LOS", "CMN", "CDG"),
        payments=(Payment(method=PaymentMethod.CASH, amount=Decimal("3500")),),
    )
    minor = booking(
        payments=card,
        travellers=(traveller(date_of_birth=date(2012, 3, 3)),),
        legs=legs("ACC", "ADD", "CDG", connection=45),
    )
    holiday = booking(
        legs=legs("CDG", "JFK") + legs("JFK", "CDG", start=DEPARTURE + timedelta(days=9)),
        created_at=DEPARTURE - timedelta(days=60),
        payments=(Payment(method=PaymentMethod.CARD),),
        travellers=(traveller(frequent_flyers=(FF,), tickets=(Ticket(one_way=False),)),),
    )

    def first(book: Booking, **kwargs: object) -> TravellerContext:
        return build_context(book, book.travellers[0], book.legs[-1], **kwargs)  # type: ignore[arg-type]

    return {
        "trafficking": context(leg=0),
        "courier": first(courier, api=heavy),
        "border": first(border, api=_api()),
        "expired": first(expired),
        "agency": first(fraud_agency),
        "laundering": first(changed, previous=earlier),
        "minor": first(minor),
        "holiday": build_context(holiday, holiday.travellers[0], holiday.legs[0]),
    }


EXPECTED_HITS = {
    "R-0007": {"trafficking"},
    "R-0021": {"courier"},
    "R-0030": {"border"},
    "R-0044": {"expired", "agency"},
    "R-0051": {"laundering"},
    "R-0062": {"minor"},
}


def test_every_worked_example_parses_checks_and_evaluates() -> None:
    panel = _panel()
    rules = [rule for block in _blocks("rule") for rule in parse_rules(block)]
    assert [r.id for r in rules] == list(EXPECTED_HITS)
    for rule in rules:
        assert check_rule(rule, CONFIG) == [], rule.id
        compiled = compile_rule(rule)
        hits = {name for name, ctx in panel.items() if compiled.evaluate(ctx) is not None}
        assert hits == EXPECTED_HITS[rule.id], rule.id
        assert "holiday" not in hits


@pytest.mark.parametrize("block", _blocks("refused"))
def test_every_refused_example_is_refused_with_its_code(block: str) -> None:
    expected = re.match(r"# refused: (\w+)", block)
    assert expected, "a refused example starts with '# refused: CODE'"
    codes = [issue.code for issue in check_text(block, CONFIG)]
    assert expected.group(1) in codes, codes
