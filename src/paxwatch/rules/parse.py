"""Rule text → typed syntax tree (:mod:`paxwatch.rules.ast`), with errors a person can act on.

The text is read by Lark (LALR) with ``grammar.lark``; nothing in a rule is ever evaluated as
Python. Every error is a :class:`RuleSyntaxError` that says where (line and column) and what
the reader expected, in words: ``line 9, column 3: found "when" where the rule expects "and",
"or", "unless" or "end"``.
"""

from __future__ import annotations

import difflib
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from paxwatch.rules.ast import (
    And,
    Between,
    CmpOp,
    Compare,
    Expr,
    Flag,
    InList,
    Known,
    Not,
    Or,
    Pos,
    Rule,
    Scalar,
    Status,
)

META_KEYS = (
    "offence",
    "author",
    "version",
    "review",
    "score",
    "status",
    "rationale",
    "approved_by",
    "approved_on",
)
"""The properties a rule may have, in the order the formatter writes them."""

_PHRASES = {
    "FIELD": "a field (such as booking.lead_time_hours)",
    "CMP": "a comparison (=, !=, <, <=, >, >=)",
    "NUMBER": "a value",
    "STRING": "a value",
    "SYMBOL": "a value",
    "RULE_ID": "a rule id (such as R-0007)",
    "META_KEY": "a property (offence, author, version, review, score, status, ...)",
    "META_WORD": "a value",
    "$END": "the end of the text",
}


class RuleSyntaxError(ValueError):
    """Rule text that cannot be read; ``str(error)`` is the sentence shown to the analyst."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"line {line}, column {column}: {message}")
        self.message = message
        self.line = line
        self.column = column


@cache
def _parser() -> Lark:
    grammar = resources.files("paxwatch.rules").joinpath("grammar.lark").read_text("utf-8")
    return Lark(grammar, parser="lalr", propagate_positions=True)


def parse_rules(text: str) -> list[Rule]:
    """Every rule of a rule file, in order (an empty or comment-only file gives none)."""
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as error:
        raise _syntax_error(error, text) from None
    return [_rule(child) for child in tree.children if isinstance(child, Tree)]


def parse_rule(text: str) -> Rule:
    """The one rule of ``text``; refuses text with no rule or several."""
    rules = parse_rules(text)
    if len(rules) != 1:
        raise RuleSyntaxError(f"expected exactly one rule, found {len(rules)}", 1, 1)
    return rules[0]


def _expected_phrase(names: set[str]) -> str:
    terminals = {t.name: t for t in _parser().terminals}
    phrases: set[str] = set()
    for name in names:
        if name in _PHRASES:
            phrases.add(_PHRASES[name])
        elif name in terminals and terminals[name].pattern.type == "str":
            phrases.add(f'"{terminals[name].pattern.value}"')
        else:
            phrases.add(name.lower())
    ordered = sorted(phrases, key=lambda p: (not p.startswith('"'), p))
    if len(ordered) == 1:
        return ordered[0]
    return ", ".join(ordered[:-1]) + " or " + ordered[-1]


def _accepted(error: UnexpectedToken) -> set[str]:
    """What the parser could really take here (LALR tables over-approximate ``expected``)."""
    try:
        accepts: set[str] = error.interactive_parser.accepts()  # type: ignore[no-untyped-call]
        return accepts or set(error.expected)
    except Exception:  # pragma: no cover - accepts() simulates; fall back on the table
        return set(error.expected)


def _syntax_error(error: UnexpectedInput, text: str) -> RuleSyntaxError:
    line, column = max(error.line, 1), max(error.column, 1)
    if isinstance(error, UnexpectedToken) and error.token.type != "$END":
        value = str(error.token.value)
        found = f"found {value}" if value.startswith('"') else f'found "{value}"'
        expected = _expected_phrase(_accepted(error))
        return RuleSyntaxError(f"{found} where the rule expects {expected}", line, column)
    if isinstance(error, UnexpectedToken | UnexpectedEOF):
        lines = text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
        names = (
            _accepted(error)
            if isinstance(error, UnexpectedToken)
            else {str(name) for name in error.expected}
        )
        expected = _expected_phrase(names - {"$END"} or names)
        return RuleSyntaxError(f"the text ends where the rule expects {expected}", line, column)
    if isinstance(error, UnexpectedCharacters):
        where = error.pos_in_stream or 0
        char = text[where] if where < len(text) else ""
        expected = _expected_phrase(set(error.allowed or ()))
        return RuleSyntaxError(
            f'"{char}" cannot be read here; the rule expects {expected}', line, column
        )
    return RuleSyntaxError(str(error).splitlines()[0], line, column)  # pragma: no cover


def _pos(item: Tree[Token] | Token) -> Pos:
    if isinstance(item, Token):
        return Pos(item.line or 0, item.column or 0)
    return Pos(item.meta.line, item.meta.column)


_ESCAPES = {"n": "\n", "t": "\t"}


def _unquote(text: str) -> str:
    out: list[str] = []
    chars = iter(text[1:-1])
    for char in chars:
        if char == "\\":
            char = next(chars, "")
            char = _ESCAPES.get(char, char)
        out.append(char)
    return "".join(out)


def _scalar(token: Token) -> Scalar:
    text = str(token.value)
    if token.type == "NUMBER":
        return Decimal(text) if "." in text else int(text)
    if token.type == "STRING":
        return _unquote(text)
    if text in ("true", "false"):
        return text == "true"
    return text


def _token(item: Tree[Token] | Token) -> Token:
    assert isinstance(item, Token)
    return item


def _tree(item: Tree[Token] | Token) -> Tree[Token]:
    assert isinstance(item, Tree)
    return item


def _expr(tree: Tree[Token] | Token) -> Expr:
    if isinstance(tree, Token):
        raise AssertionError(f"unexpected token {tree!r}")  # pragma: no cover
    kind, kids, pos = tree.data, tree.children, _pos(tree)
    if kind == "or_expr":
        return Or(items=tuple(_expr(k) for k in kids), pos=pos)
    if kind == "and_expr":
        return And(items=tuple(_expr(k) for k in kids), pos=pos)
    if kind == "not_":
        return Not(operand=_expr(kids[0]), pos=pos)
    name = str(_token(kids[0]).value)
    if kind == "compare":
        op = CmpOp(str(_token(kids[1]).value))
        return Compare(field=name, op=op, value=_scalar(_token(kids[2])), pos=pos)
    if kind in ("in_list", "not_in_list"):
        values = tuple(_scalar(_token(k)) for k in _tree(kids[1]).children)
        return InList(field=name, values=values, negated=kind == "not_in_list", pos=pos)
    if kind in ("between", "not_between"):
        low, high = _scalar(_token(kids[1])), _scalar(_token(kids[2]))
        return Between(field=name, low=low, high=high, negated=kind == "not_between", pos=pos)
    if kind in ("known", "unknown"):
        return Known(field=name, negated=kind == "unknown", pos=pos)
    if kind == "flag":
        return Flag(field=name, pos=pos)
    raise AssertionError(f"unexpected tree {kind}")  # pragma: no cover


def _meta_value(key: Token, value: Token) -> str | int | date | Status:
    text = _unquote(value.value) if value.type == "STRING" else str(value.value)
    where = (value.line or 0, value.column or 0)
    if key.value in ("version", "score"):
        if not text.isdigit():
            raise RuleSyntaxError(f'{key.value} must be a whole number, not "{text}"', *where)
        return int(text)
    if key.value in ("review", "approved_on"):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise RuleSyntaxError(
                f'{key.value} must be a date written 2027-03-01, not "{text}"', *where
            ) from None
    if key.value == "status":
        if text not in set(Status):
            raise RuleSyntaxError(
                f'status is draft, active or retired, not "{text}"', *where
            ) from None
        return Status(text)
    return text


def _rule(tree: Tree[Token]) -> Rule:
    kids = tree.children
    rule_id, title = _token(kids[0]), _token(kids[1])
    meta: dict[str, str | int | date | Status] = {}
    when: Expr | None = None
    unless: tuple[Expr, ...] = ()
    for kid in kids[2:]:
        if isinstance(kid, Tree) and kid.data == "meta":
            key, value = _token(kid.children[0]), _token(kid.children[1])
            where = (key.line or 0, key.column or 0)
            if key.value not in META_KEYS:
                hint = difflib.get_close_matches(key.value, META_KEYS, n=1)
                also = f' (did you mean "{hint[0]}"?)' if hint else ""
                raise RuleSyntaxError(f'"{key.value}" is not a rule property{also}', *where)
            if key.value in meta:
                raise RuleSyntaxError(f'"{key.value}" is given twice', *where)
            meta[key.value] = _meta_value(key, value)
        elif isinstance(kid, Tree) and kid.data == "unless":
            unless = tuple(_expr(k) for k in kid.children)
        else:
            when = _expr(kid)
    assert when is not None
    return Rule(
        id=str(rule_id.value),
        title=_unquote(title.value),
        when=when,
        unless=unless,
        pos=_pos(tree),
        **meta,  # type: ignore[arg-type]
    )
