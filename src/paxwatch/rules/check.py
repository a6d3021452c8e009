"""Static checks: a rule is refused, with a code and a sentence, before it can run.

Codes (each with a test and an entry in ``docs/rules.md``):

- ``P001`` the text does not parse;
- ``F001`` unknown field; ``F002`` operator does not fit the field; ``F003`` value of the
  wrong kind; ``F004`` value unknown for the field (airport, country, choice ...);
  ``F005`` empty or reversed range;
- ``S001``-``S006`` the rule reads a sensitive attribute or a known proxy (names, gender,
  Art 6(4) categories, meal / medical requests, free-text remarks, place of birth ...);
  ``S007`` a value is a special service request code (AVML, WCHR ...); ``S008`` a value
  contains a sensitive term; ``S009`` the incriminating part relies on proxy fields only;
- ``M001`` offence missing or not in the catalogue; ``M002`` no review date; ``M003``
  review date not in the future; ``M004`` review date too far ahead; ``M005`` no author;
  ``M006`` score missing or outside 0-100; ``M007`` no incriminating condition;
  ``M008`` version below 1; ``M009`` no title.
"""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from paxwatch.rules.ast import (
    Between,
    Compare,
    Condition,
    Flag,
    InList,
    Known,
    Pos,
    Rule,
    Scalar,
    conditions,
    rule_conditions,
)
from paxwatch.rules.fields import (
    FIELDS_BY_NAME,
    Field,
    FieldType,
    allowed_ops,
    forbidden,
    kind_phrase,
    value_problem,
)
from paxwatch.rules.offences import OFFENCES_BY_ID
from paxwatch.rules.parse import RuleSyntaxError, parse_rules

SSR_CODES: frozenset[str] = frozenset(
    # meals: reveal religion or health
    {"AVML", "BBML", "BLML", "CHML", "DBML", "FPML", "GFML", "HFML", "HNML", "JNML", "JPML",
     "KSML", "LCML", "LFML", "LPML", "LSML", "MOML", "NBML", "NLML", "ORML", "PFML", "RVML",
     "SFML", "SPML", "VGML", "VJML", "VLML", "VOML", "NFML", "SPMLRM"}
    # medical, mobility and assistance: reveal health
    | {"WCHR", "WCHS", "WCHC", "WCBD", "WCBW", "WCMP", "WCOB", "WCLB", "MEDA", "MEQT", "BLND",
       "DEAF", "DPNA", "STCR", "OXYG", "MAAS", "SVAN", "ESAN", "PPOC", "POCS", "LEGL", "LEGR"}
    # language spoken: a proxy for ethnic origin
    | {"LANG"}
)  # fmt: skip
"""Special service request codes that may never appear in a rule."""

SENSITIVE_TERMS: frozenset[str] = frozenset(
    {"race", "racial", "ethnic", "ethnicity", "arab", "african", "asian", "roma", "gypsy",
     "religion", "religious", "muslim", "islam", "islamic", "christian", "catholic",
     "protestant", "orthodox", "hindu", "sikh", "buddhist", "jew", "jewish", "halal", "kosher",
     "mosque", "church", "synagogue", "temple", "hajj", "umrah", "pilgrim", "ramadan",
     "political", "politics", "communist", "activist", "union", "syndicate", "health",
     "medical", "disabled", "disability", "wheelchair", "pregnant", "pregnancy", "hiv",
     "diabetic", "blind", "deaf", "oxygen", "stretcher", "illness", "gay", "lesbian",
     "homosexual", "bisexual", "transgender", "lgbt", "queer", "sexual"}
)  # fmt: skip
"""Default words that may not appear in a value of a rule (a word starting with one counts)."""


@dataclass(frozen=True, slots=True)
class Issue:
    """One refusal: a stable code, the sentence shown to the analyst, and where."""

    code: str
    message: str
    pos: Pos | None = None

    def __str__(self) -> str:
        where = f"line {self.pos.line}, column {self.pos.column}: " if self.pos else ""
        return f"{where}{self.code} {self.message}"


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckConfig:
    """What the checks compare against; ``today`` None means the current date."""

    today: date | None = None
    max_review_months: int = 12
    sensitive_terms: frozenset[str] = SENSITIVE_TERMS
    ssr_codes: frozenset[str] = SSR_CODES


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the last day of the month when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_WORD = re.compile(r"[a-z0-9]+")


def _literal_issues(value: Scalar, pos: Pos | None, config: CheckConfig) -> list[Issue]:
    if not isinstance(value, str):
        return []
    issues: list[Issue] = []
    if value.strip().upper() in config.ssr_codes:
        issues.append(
            Issue(
                "S007",
                f'"{value}" is a special service request code; meal, medical and assistance '
                "requests reveal religion or health and are never criteria (Art 13(4))",
                pos,
            )
        )
    for word in _WORD.findall(value.lower()):
        term = next((t for t in sorted(config.sensitive_terms) if word.startswith(t)), None)
        if term is not None:
            issues.append(
                Issue(
                    "S008",
                    f'"{value}" contains "{term}", a term about a ground rules may never use '
                    "(race or ethnic origin, religion, politics, trade unions, health, sex life "
                    "or sexual orientation: Art 6(4))",
                    pos,
                )
            )
            break
    return issues


_REFERENCE_CODES = frozenset({FieldType.AIRPORT, FieldType.COUNTRY, FieldType.CURRENCY})


def _kind_mismatch(spec: Field, value: Scalar) -> bool:
    if spec.type is FieldType.NUMBER:
        return isinstance(value, bool) or not isinstance(value, int | Decimal)
    if spec.type is FieldType.BOOL:
        return not isinstance(value, bool)
    return not isinstance(value, str)


def _value_issue(spec: Field, value: Scalar, pos: Pos | None) -> Issue | None:
    problem = value_problem(spec, value)
    if problem is None:
        return None
    return Issue("F003" if _kind_mismatch(spec, value) else "F004", problem, pos)


def _field(cond: Condition) -> tuple[Field | None, list[Issue]]:
    name, pos = cond.field, cond.pos
    refusal = forbidden(name)
    if refusal is not None:
        return None, [Issue(refusal.code, f"{name}: {refusal.reason}", pos)]
    spec = FIELDS_BY_NAME.get(name)
    if spec is None:
        hint = difflib.get_close_matches(name, list(FIELDS_BY_NAME), n=1)
        also = (
            f'; did you mean "{hint[0]}"?' if hint else "; the fields are listed in docs/rules.md"
        )
        return None, [Issue("F001", f'there is no field "{name}"{also}', pos)]
    return spec, []


def _condition_issues(cond: Condition, config: CheckConfig) -> list[Issue]:
    spec, issues = _field(cond)
    literals: list[Scalar] = []
    if isinstance(cond, Compare):
        literals = [cond.value]
    elif isinstance(cond, InList):
        literals = list(cond.values)
    elif isinstance(cond, Between):
        literals = [cond.low, cond.high]
    for value in literals:
        if spec is not None and spec.type in _REFERENCE_CODES and not value_problem(spec, value):
            continue  # a known airport, country or currency code says nothing else (GAY: Gaya)
        issues += _literal_issues(value, cond.pos, config)
    if spec is None or isinstance(cond, Known):
        return issues
    pos = cond.pos
    if isinstance(cond, Flag) and spec.type is not FieldType.BOOL:
        issues.append(
            Issue(
                "F002",
                f"{spec.name} is not yes/no: compare it with a value "
                f"(e.g. {spec.name} = ... or {spec.name} in [...])",
                pos,
            )
        )
    elif isinstance(cond, Compare) and cond.op not in allowed_ops(spec):
        issues.append(
            Issue(
                "F002",
                f'"{cond.op.value}" compares numbers; {spec.name} is {kind_phrase(spec)}: '
                "use =, !=, in or not in",
                pos,
            )
        )
    elif isinstance(cond, InList | Between) and spec.type is FieldType.BOOL:
        issues.append(
            Issue("F002", f"{spec.name} is yes/no: write {spec.name} or not {spec.name}", pos)
        )
    elif isinstance(cond, Between) and spec.type is not FieldType.NUMBER:
        issues.append(
            Issue("F002", f'"between" needs a number; {spec.name} is {kind_phrase(spec)}', pos)
        )
    else:
        found = [_value_issue(spec, value, pos) for value in literals]
        issues += [issue for issue in found if issue is not None]
        if (
            isinstance(cond, Between)
            and not found[0]
            and not found[1]
            and float(cond.low) > float(cond.high)
        ):
            issues.append(
                Issue(
                    "F005",
                    f"the range {cond.low} to {cond.high} is empty: write the smaller bound first",
                    pos,
                )
            )
    return issues


def _meta_issues(rule: Rule, config: CheckConfig) -> list[Issue]:
    issues: list[Issue] = []
    pos = rule.pos
    today = config.today or date.today()
    if not rule.title.strip():
        issues.append(Issue("M009", "give the rule a title that says what it looks for", pos))
    if rule.offence is None:
        issues.append(
            Issue(
                "M001",
                "the rule has no offence: tag it with terrorism or an Annex II category "
                "(offence: ...)",
                pos,
            )
        )
    elif rule.offence not in OFFENCES_BY_ID:
        hint = difflib.get_close_matches(rule.offence, list(OFFENCES_BY_ID), n=1)
        also = f'; did you mean "{hint[0]}"?' if hint else ""
        issues.append(Issue("M001", f'"{rule.offence}" is not in the offence catalogue{also}', pos))
    if rule.review is None:
        issues.append(Issue("M002", "the rule has no review date (review: YYYY-MM-DD)", pos))
    elif rule.review <= today:
        issues.append(
            Issue(
                "M003",
                f"the review date {rule.review} has passed: review the rule and set a new date",
                pos,
            )
        )
    elif rule.review > add_months(today, config.max_review_months):
        issues.append(
            Issue(
                "M004",
                f"the review date {rule.review} is more than {config.max_review_months} "
                "months ahead: criteria must be reviewed regularly",
                pos,
            )
        )
    if not rule.author:
        issues.append(Issue("M005", "the rule has no author (author: ...)", pos))
    if rule.score is None or not 0 <= rule.score <= 100:
        issues.append(Issue("M006", "the score must be a whole number from 0 to 100", pos))
    if rule.version < 1:
        issues.append(Issue("M008", "the version must be 1 or more", pos))
    return issues


def _proxy_issue(rule: Rule) -> Issue | None:
    read = {c.field for c in conditions(rule.when) if not isinstance(c, Known)}
    specs = [FIELDS_BY_NAME.get(name) for name in read]
    if not specs or any(spec is None or spec.proxy is None for spec in specs):
        return None
    names = ", ".join(sorted(read))
    return Issue(
        "S009",
        f"the incriminating conditions read only {names}: "
        "nationality and document country can stand in for ethnic origin and may refine a "
        "rule but never be its only criterion",
        rule.when.pos,
    )


def condition_issues(rule: Rule, config: CheckConfig | None = None) -> list[Issue]:
    """The refusals about what the conditions read (F and S codes), without the metadata.

    A rule without these issues can be compiled and backtested even as an unfinished draft.
    """
    config = config or CheckConfig()
    issues: list[Issue] = []
    for cond in rule_conditions(rule):
        issues += _condition_issues(cond, config)
    proxy = _proxy_issue(rule)
    if proxy is not None:
        issues.append(proxy)
    return issues


def check_rule(rule: Rule, config: CheckConfig | None = None) -> list[Issue]:
    """Every reason to refuse ``rule``; an empty list means it may be activated."""
    config = config or CheckConfig()
    issues = _meta_issues(rule, config)
    incriminating = [c for c in conditions(rule.when) if not isinstance(c, Known)]
    if not incriminating:
        issues.append(
            Issue(
                "M007",
                "the rule has no incriminating condition: say which facts about the travel "
                "it looks for (is known / is unknown alone is not a criterion)",
                rule.when.pos,
            )
        )
    return issues + condition_issues(rule, config)


def check_text(text: str, config: CheckConfig | None = None) -> list[Issue]:
    """Parse a rule file and check every rule in it (a parse error is ``P001``)."""
    try:
        rules = parse_rules(text)
    except RuleSyntaxError as error:
        return [Issue("P001", error.message, Pos(error.line, error.column))]
    issues: list[Issue] = []
    for rule in rules:
        issues += check_rule(rule, config)
    return issues
