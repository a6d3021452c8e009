"""Static checks: every refusal has a code and a reason, sensitive data and proxies first."""

from __future__ import annotations

from datetime import date

import pytest

from paxwatch.rules.check import CheckConfig, Issue, add_months, check_rule, check_text
from paxwatch.rules.fields import FIELDS, forbidden
from paxwatch.rules.parse import parse_rule

TODAY = date(2026, 11, 27)
CONFIG = CheckConfig(today=TODAY)
HEADER = (
    'rule R-1 "test"\n  offence: fraud\n  author: a.martin\n  review: 2027-03-01\n  score: 10\n'
)


def issues(when: str, unless: str = "", header: str = HEADER) -> list[Issue]:
    text = f"{header}when\n  {when}\n" + (f"unless\n  {unless}\n" if unless else "") + "end\n"
    return check_text(text, CONFIG)


def codes(when: str, unless: str = "", header: str = HEADER) -> list[str]:
    return [issue.code for issue in issues(when, unless, header)]


def test_a_good_rule_passes() -> None:
    assert issues("booking.payment in [cash] and booking.lead_time_hours < 48") == []


SENSITIVE = [
    ('traveller.surname = "DOE"', "S001", "names are not criteria"),
    ('traveller.given_names in ["MOHAMMED"]', "S001", "names are not criteria"),
    ('traveller.name = "X"', "S001", "watch list"),
    ('booking.payer_name = "X"', "S001", "names are not criteria"),
    ("traveller.gender = M", "S002", "gender is not usable in rules"),
    ("traveller.sex = F", "S002", "discriminates on sex"),
    ("traveller.religion = x", "S003", "Art 6(4)"),
    ("traveller.ethnicity = x", "S003", "race or ethnic origin"),
    ("traveller.health is known", "S003", "health"),
    ("traveller.sexual_orientation = x", "S003", "sexual orientation"),
    ("traveller.trade_union = x", "S003", "trade-union"),
    ("traveller.meal = MOML", "S004", "meal and medical"),
    ("booking.special_services in [WCHR]", "S004", "reveal religion or health"),
    ("traveller.ssr = x", "S004", "Art 13(4)"),
    ('booking.remarks = "PAID CASH"', "S005", "free-text remarks may not be matched"),
    ('booking.osi = "x"', "S005", "free-text"),
    ("traveller.place_of_birth = x", "S006", "place of birth"),
    ("traveller.language = AR", "S006", "ethnic origin"),
    ("traveller.frequent_flyer_tier = AVML", "S007", "special service request code"),
    ("api.seat in [WCHR, 12A]", "S007", "meal, medical and assistance requests"),
    ('traveller.frequent_flyer_tier = "HALAL"', "S008", 'contains "halal"'),
    ('booking.agency_iata = "muslims-travel"', "S008", 'contains "muslim"'),
    ('api.seat = "pregnant"', "S008", "health"),
    ("traveller.nationality = NG", "S009", "only traveller.nationality"),
    (
        "traveller.nationality = NG and traveller.document_country in [GH]",
        "S009",
        "never be its only criterion",
    ),
]


@pytest.mark.parametrize(("when", "code", "reason"), SENSITIVE)
def test_sensitive_attributes_and_proxies_are_refused(when: str, code: str, reason: str) -> None:
    found = issues(when)
    assert code in [issue.code for issue in found]
    assert any(reason in issue.message for issue in found if issue.code == code)


def test_exonerating_conditions_are_checked_too() -> None:
    assert "S002" in codes("booking.one_way", unless="traveller.gender = F")


def test_is_known_does_not_make_a_proxy_rule_acceptable() -> None:
    assert codes("traveller.nationality = NG and api.seat is known") == ["S009"]


def test_nationality_may_refine_a_rule() -> None:
    assert issues("traveller.nationality = NG and booking.lead_time_hours < 24") == []


def test_reference_codes_are_not_read_as_words() -> None:
    assert issues("itinerary.destination = GAY and booking.one_way") == []  # Gaya, India
    assert codes('api.seat = "GAY" and booking.one_way') == ["S008"]


def test_the_sensitive_term_list_is_configurable() -> None:
    text = f'{HEADER}when\n  api.seat = "ZZTOP"\nend\n'
    assert check_text(text, CONFIG) == []
    strict = CheckConfig(today=TODAY, sensitive_terms=frozenset({"zz"}))
    assert [i.code for i in check_text(text, strict)] == ["S008"]


def test_no_field_of_the_catalogue_is_sensitive() -> None:
    assert [f.name for f in FIELDS if forbidden(f.name)] == []
    assert not any("gender" in f.name or "name" in f.name.split(".")[1] for f in FIELDS)


TYPES = [
    (
        "booking.paymnt = cash",
        "F001",
        'there is no field "booking.paymnt"; did you mean "booking.payment"?',
    ),
    (
        "itinerary.origin < LOS",
        "F002",
        '"<" compares numbers; itinerary.origin is an IATA airport code: use =, !=, in or not in',
    ),
    (
        "traveller.nationality >= FR and booking.one_way",
        "F002",
        '">=" compares numbers; traveller.nationality is an ISO 3166 country code: '
        "use =, !=, in or not in",
    ),
    (
        "booking.payment",
        "F002",
        "booking.payment is not yes/no: compare it with a value "
        "(e.g. booking.payment = ... or booking.payment in [...])",
    ),
    (
        "booking.one_way in [true]",
        "F002",
        "booking.one_way is yes/no: write booking.one_way or not booking.one_way",
    ),
    (
        "itinerary.origin between 1 and 2",
        "F002",
        '"between" needs a number; itinerary.origin is an IATA airport code',
    ),
    ('traveller.age < "thirty"', "F003",
     'traveller.age is a number (years); "thirty" is not a number'),
    ("booking.one_way = 1", "F003",
     "booking.one_way is yes/no; compare it with true or false, not 1"),
    ("itinerary.origin = 12", "F003", "itinerary.origin is an IATA airport code; 12 is not"),
    ("booking.payment = bitcoin", "F004",
     'booking.payment is one of card, cash, cheque, invoice, miles, other; "bitcoin" is not'),
    ("itinerary.origin in [LOS, QQQ]", "F004", '"QQQ" is not an IATA airport code'),
    ("itinerary.countries = ZZ", "F004", '"ZZ" is not an ISO 3166 country code'),
    ("booking.ticket_currency = EUX", "F004", '"EUX" is not an ISO 4217 currency code'),
    ("traveller.age between 30 and 18", "F005",
     "the range 30 to 18 is empty: write the smaller bound first"),
]  # fmt: skip


@pytest.mark.parametrize(("when", "code", "message"), TYPES)
def test_comparisons_must_fit_the_field(when: str, code: str, message: str) -> None:
    found = issues(when)
    assert [(i.code, i.message) for i in found] == [(code, message)]


def test_issue_text_gives_line_and_column() -> None:
    (issue,) = issues("booking.one_way and itinerary.origin < LOS")
    assert str(issue).startswith('line 7, column 23: F002 "<" compares numbers')


def test_lower_case_codes_are_accepted() -> None:
    assert issues("itinerary.origin in [los] and booking.payment = CASH") == []


def test_parse_errors_are_issues_too() -> None:
    (issue,) = check_text('rule R "x" when booking.one_way', CONFIG)
    assert issue.code == "P001" and "the text ends" in issue.message


META = [
    ('rule R-1 "t"\n author: a review: 2027-01-01 score: 1\n', "M001", "the rule has no offence"),
    ('rule R-1 "t"\n offence: terrorisme author: a review: 2027-01-01 score: 1\n', "M001",
     '"terrorisme" is not in the offence catalogue; did you mean "terrorism"?'),
    ('rule R-1 "t"\n offence: fraud author: a score: 1\n', "M002", "no review date"),
    ('rule R-1 "t"\n offence: fraud author: a review: 2026-11-27 score: 1\n', "M003",
     "the review date 2026-11-27 has passed: review the rule and set a new date"),
    ('rule R-1 "t"\n offence: fraud author: a review: 2027-11-28 score: 1\n', "M004",
     "the review date 2027-11-28 is more than 12 months ahead: criteria must be reviewed "
     "regularly"),
    ('rule R-1 "t"\n offence: fraud review: 2027-01-01 score: 1\n', "M005", "no author"),
    ('rule R-1 "t"\n offence: fraud author: a review: 2027-01-01\n', "M006", "from 0 to 100"),
    ('rule R-1 "t"\n offence: fraud author: a review: 2027-01-01 score: 101\n', "M006", "0 to 100"),
    ('rule R-1 "t"\n offence: fraud author: a review: 2027-01-01 score: 1 version: 0\n', "M008",
     "1 or more"),
    ('rule R-1 ""\n offence: fraud author: a review: 2027-01-01 score: 1\n', "M009", "title"),
]  # fmt: skip


@pytest.mark.parametrize(("header", "code", "message"), META)
def test_metadata_is_required(header: str, code: str, message: str) -> None:
    found = issues("booking.one_way", header=header)
    assert [i.code for i in found] == [code]
    assert message in found[0].message


def test_review_horizon_is_configurable_and_exact() -> None:
    rule = parse_rule(f"{HEADER}when booking.one_way end".replace("2027-03-01", "2027-11-27"))
    assert check_rule(rule, CONFIG) == []
    assert [i.code for i in check_rule(rule, CheckConfig(today=TODAY, max_review_months=6))] == [
        "M004"
    ]
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_at_least_one_incriminating_condition() -> None:
    assert codes("api.seat is unknown") == ["M007"]
    assert codes("api.seat is unknown and booking.one_way") == []


def test_every_offence_id_is_accepted() -> None:
    from paxwatch.rules.offences import OFFENCES

    for item in OFFENCES:
        header = HEADER.replace("offence: fraud", f"offence: {item.id}")
        assert codes("booking.one_way", header=header) == []
