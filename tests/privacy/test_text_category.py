"""``text_category`` skips the regexes for ASCII texts without a term's first word: the
answer must be the one the regexes give, whatever the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from paxwatch.privacy.minimise import MinimiseConfig, config_from_mapping, default_config

_CONFIG = default_config()
_WORDS = sorted(
    {w for ts in _CONFIG.sensitive_terms.values() for t in ts for w in t.split()}
    | set(_CONFIG.all_sensitive_codes)
)


def _searched(config: MinimiseConfig) -> MinimiseConfig:
    """The same lists, always searched with the regexes."""
    plain = config_from_mapping({}, config)
    object.__setattr__(plain, "_first_words", None)
    return plain


_REFERENCE = _searched(_CONFIG)

_pieces = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from(_WORDS).map(str.lower),
    st.sampled_from(_WORDS).map(lambda w: w[:-1]),
    st.sampled_from([" ", "  ", "/", "-", "_", ".", "1", "X", "\n", "é", "ſ", "K", "ı"]),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabc0123456789 /-", max_size=6),
)


@given(st.lists(_pieces, max_size=8).map("".join))
@settings(max_examples=400, deadline=None)
def test_same_category_as_the_regexes(text: str) -> None:
    assert _CONFIG.text_category(text) == _REFERENCE.text_category(text)


def test_known_texts() -> None:
    assert _CONFIG.text_category("PAX NEEDS INSULIN") == "health"
    assert _CONFIG.text_category("pax needs insulin.") == "health"
    assert _CONFIG.text_category("MOML") is not None
    assert _CONFIG.text_category("+33612345678") is None
    assert _CONFIG.text_category("INSULINE") is None  # not the word
    assert _CONFIG.text_category("") is None and _CONFIG.text_category(None) is None


def test_terms_that_do_not_start_with_a_plain_word_are_always_searched() -> None:
    config = config_from_mapping({"sensitive_terms": {"health": ["X-RAY", "INSULIN"]}}, _CONFIG)
    assert config._first_words is None
    assert config.text_category("NEEDS X-RAY") == "health"
