"""Hypothesis strategies: arbitrary syntax trees and rules of the criteria language."""

from __future__ import annotations

from hypothesis import strategies as st

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
    Rule,
    Scalar,
    Status,
)
from paxwatch.rules.fields import FIELDS

field_names = st.sampled_from([f.name for f in FIELDS]) | st.from_regex(
    r"[a-z_][a-z0-9_]{0,8}\.[a-z_][a-z0-9_]{0,8}", fullmatch=True
)
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
scalars: st.SearchStrategy[Scalar] = st.one_of(
    st.integers(-(10**6), 10**6),
    st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False),
    st.booleans(),
    text,
    st.from_regex(r"[0-9]?[A-Za-z][A-Za-z0-9_-]{0,5}", fullmatch=True),
)
leaves: st.SearchStrategy[Expr] = st.one_of(
    st.builds(Compare, field=field_names, op=st.sampled_from(list(CmpOp)), value=scalars),
    st.builds(
        InList,
        field=field_names,
        values=st.lists(scalars, min_size=1, max_size=4).map(tuple),
        negated=st.booleans(),
    ),
    st.builds(Between, field=field_names, low=scalars, high=scalars, negated=st.booleans()),
    st.builds(Known, field=field_names, negated=st.booleans()),
    st.builds(Flag, field=field_names),
)


def _compose(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    several = st.lists(children, min_size=2, max_size=3).map(tuple)
    return st.one_of(
        st.builds(Not, operand=children),
        st.builds(And, items=several),
        st.builds(Or, items=several),
    )


expressions: st.SearchStrategy[Expr] = st.recursive(leaves, _compose, max_leaves=8)
maybe_word = st.none() | text | st.from_regex(r"[a-z][a-z.]{0,8}", fullmatch=True)

rules: st.SearchStrategy[Rule] = st.builds(
    Rule,
    id=st.from_regex(r"[A-Za-z][A-Za-z0-9_.-]{0,8}", fullmatch=True),
    title=text,
    when=expressions,
    unless=st.lists(expressions, max_size=3).map(tuple),
    offence=maybe_word,
    author=maybe_word,
    version=st.integers(0, 10**4),
    review=st.none() | st.dates(),
    score=st.none() | st.integers(0, 1000),
    status=st.sampled_from(list(Status)),
    rationale=st.none() | text,
    approved_by=maybe_word,
    approved_on=st.none() | st.dates(),
)

__all__ = ["expressions", "rules", "scalars"]
