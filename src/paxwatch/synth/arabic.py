"""Romanising names written in Arabic script (Arabic, Persian, Dari, Pashto, Sorani Kurdish).

Arabic script leaves short vowels out, so a name is romanised in two steps, both rules:

1. *Vocalise*: read the letters as consonants and long vowels (و and ي are vowels between
   consonants, consonants next to vowels), then insert the short vowels the script does not
   write, by syllable rules: a consonant closes a syllable when two more consonants follow;
   after a long ā the inserted vowel is i (the fāʿil pattern: Khālid, Fāṭima); after a long
   ū it is u (Yūsuf); four bare consonants beginning with م are the muCaCCaC pattern
   (Muḥammad); ال is the article, عبد the "servant of" particle.
2. *Spell*: a ``Scheme`` writes each sound the way one tradition does: English (KH, SH, J,
   U, EE), French and Maghrebi (CH, DJ, OU, E before a final consonant, EL, doubled S
   between vowels), Egyptian (G for ج, E, EL), Gulf passports (article joined: ALSHAMSI),
   and a strict ICAO-like one without doubled consonants.

So the same native name comes out as MUHAMMAD, MOHAMMED, MOHAMED or MOHAMAD, and عبد الرحمن
as ABDUL RAHMAN, ABDELRAHMAN, ABD EL RAHMAN or ABD ALRAHMAN, by rule and not by lookup.
The rules are heuristics: they give names that read as real romanisations, not a
dictionary-exact transcription.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Consonant letters → sound symbols (lower-case ASCII; "'" = ʿayn/hamza, silent in output).
_CONS: dict[str, str] = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "'", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ک": "k", "ل": "l", "م": "m",
    "ن": "n", "ه": "h", "ھ": "h", "ء": "'", "ؤ": "'", "ئ": "'",
    # Persian
    "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g",
    # Pashto
    "ټ": "t", "ډ": "d", "ړ": "r", "ږ": "zh", "ښ": "sh", "ځ": "z", "څ": "s", "ڼ": "n",
    "ګ": "g",
    # Sorani Kurdish
    "ڵ": "l", "ڕ": "r", "ڤ": "v",
}  # fmt: skip
_WAW = {"و"}
_YA = {"ي", "ی", "ى", "ې", "ۍ", "ێ"}
_ALIF = {"ا", "أ", "إ", "آ", "ٱ"}
# Letters that are always vowels (Sorani writes its vowels; Pashto ې).
_VOWEL_LETTERS: dict[str, str] = {"ە": "e", "ۆ": "o", "ێ": "ee", "ې": "ee", "ۍ": "ai"}
_TA_MARBUTA = {"ة"}
_HARAKAT = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670", "\u0640"}


@dataclass(frozen=True, slots=True)
class Scheme:
    """How one tradition spells the sounds of a vocalised name."""

    name: str
    consonants: dict[str, str] = field(default_factory=dict)
    long_a: str = "A"
    long_i: str = "I"
    long_u: str = "U"
    short_u: str = "U"
    final_e: bool = False  # short vowel before a word-final consonant written E
    mu: str = "MU"
    geminate: bool = True
    article: str = "AL "  # how ال is written before the noun ("" = joined: ALNOUN)
    abd: str = "ABDUL "
    ta_marbuta: str = "A"
    double_s: bool = False  # French: S between vowels written SS


_EN_CONS: dict[str, str] = {"'": "", "q": "Q", "dh": "DH", "th": "TH"}
SCHEMES: dict[str, Scheme] = {
    "en": Scheme("en", _EN_CONS),
    "en2": Scheme(
        "en2",
        {"'": "", "q": "Q", "dh": "Z", "th": "TH"},
        long_i="EE",
        mu="MO",
        abd="ABDUL",
        long_u="OU",
        short_u="O",
    ),
    "fr": Scheme(
        "fr",
        {
            "'": "",
            "q": "K",
            "sh": "CH",
            "j": "DJ",
            "dh": "D",
            "th": "T",
            "ch": "TCH",
            "w": "OU",
            "y": "Y",
        },
        long_u="OU",
        short_u="OU",
        final_e=True,
        mu="MO",
        geminate=False,
        article="EL ",
        abd="ABDEL",
        double_s=True,
    ),
    "eg": Scheme(
        "eg",
        {"'": "", "q": "K", "j": "G", "th": "S", "dh": "Z"},
        long_u="OU",
        short_u="O",
        final_e=True,
        mu="MO",
        article="EL ",
        abd="ABD EL ",
        double_s=True,
    ),
    "gulf": Scheme(
        "gulf",
        {"'": "", "q": "G", "dh": "TH"},
        mu="MO",
        article="AL",
        abd="ABDUL",
        long_u="OO",
        ta_marbuta="AH",
    ),
    "icao": Scheme("icao", {"'": "", "q": "Q"}, geminate=False, article="AL", abd="ABD AL "),
    "fa": Scheme(
        "fa",
        {"'": "", "q": "GH", "th": "S", "dh": "Z", "w": "V"},
        long_u="OO",
        short_u="O",
        mu="MO",
        ta_marbuta="EH",
        article="",
        abd="ABDOL",
    ),
}
# Vowel symbols used inside the vocalised form.
_LONG = {"aa", "ii", "uu", "ee", "o", "e", "ai"}


def vocalise(word: str) -> list[str]:
    """Sounds of one word: consonant symbols and vowel symbols (a, i, u short; aa, ii, uu)."""
    letters = [ch for ch in word if ch not in _HARAKAT]
    units: list[str] = []  # "C:x" consonant, "V:x" vowel
    n = len(letters)
    for i, ch in enumerate(letters):
        prev_c = bool(units) and units[-1].startswith("C:")
        nxt = letters[i + 1] if i + 1 < n else ""
        if ch in _ALIF:
            if ch == "إ":
                units.append("V:i")
            elif not units:
                units.append("V:a")
            elif ch == "آ":
                units.append("V:aa")
            else:
                units.append("V:aa")
        elif ch in _VOWEL_LETTERS:
            units.append("V:" + _VOWEL_LETTERS[ch])
        elif ch in _WAW or ch in _YA:
            long_v, cons = ("uu", "w") if ch in _WAW else ("ii", "y")
            if ch in ("ى",) and i == n - 1:
                units.append("V:aa")
            elif ch == "ۍ":
                units.append("V:ai")
            elif units and prev_c and (nxt not in _ALIF and nxt not in _WAW | _YA):
                units.append("V:" + long_v)
            elif not units and nxt and nxt not in _ALIF:
                units.append("V:" + long_v if ch in _WAW and i == 0 and n > 2 else "C:" + cons)
            else:
                units.append("C:" + cons)
        elif ch in _TA_MARBUTA:
            units.append("V:ta")
        elif ch in _CONS:
            if ch == "ه" and i == n - 1 and prev_c:
                units.append("V:eh")
            else:
                units.append("C:" + _CONS[ch])
    return _insert_short(units)


def _insert_short(units: list[str]) -> list[str]:
    cons_only = [u for u in units if u.startswith("C:")]
    if len(units) == 4 and len(cons_only) == 4 and units[0] == "C:m":
        # muCaCCaC (Muḥammad, Mukarram): the third consonant is doubled.
        return ["C:m", "V:mu", units[1], "V:a", units[2], "G", "V:a", units[3]]
    mu_start = len(units) > 4 and units[0] == "C:m" and all(u.startswith("C:") for u in units[1:4])
    out: list[str] = []
    n = len(units)
    for i, u in enumerate(units):
        out.append(u)
        if u.startswith("V:"):
            continue
        nxt = units[i + 1] if i + 1 < n else ""
        if not nxt.startswith("C:"):
            continue
        if i == 0 and mu_start:
            out.append("V:mu")
            continue
        prev = out[-2] if len(out) >= 2 else ""
        after = units[i + 2] if i + 2 < n else ""
        if prev in ("V:a", "V:i", "V:u", "V:mu") and after:
            continue  # closed syllable: CVC.CV...
        out.append("V:i" if prev == "V:aa" else "V:u" if prev == "V:uu" else "V:a")
    return out


def _spell_word(units: list[str], scheme: Scheme) -> str:
    parts: list[str] = []
    n = len(units)
    # index of the last short vowel before a final consonant (for E spellings)
    final_short = n - 2 if n >= 2 and units[-1].startswith("C:") else -1
    for i, u in enumerate(units):
        if u == "G":
            if scheme.geminate and parts:
                parts.append(parts[-1][-1] if parts[-1] else "")
            continue
        kind, sym = u[0], u[2:]
        if kind == "C":
            spelled = scheme.consonants.get(sym, sym.upper())
            if (
                scheme.double_s
                and sym == "s"
                and 0 < i < n - 1
                and units[i - 1].startswith("V:")
                and units[i + 1].startswith("V:")
            ):
                spelled = "SS"
            parts.append(spelled)
            continue
        parts.append(_spell_vowel(sym, scheme, i == final_short, i == n - 1))
    return "".join(parts)


def _spell_vowel(sym: str, scheme: Scheme, before_final: bool, last: bool) -> str:
    if sym == "mu":
        return scheme.mu[1:]
    if sym == "ta":
        return scheme.ta_marbuta
    if sym == "eh":
        return "EH" if scheme.name == "fa" else "A"
    if sym == "aa":
        return scheme.long_a
    if sym == "ii":
        return "I" if last else scheme.long_i
    if sym == "uu":
        return scheme.long_u
    if sym in ("a", "i") and before_final and scheme.final_e:
        return "E"
    if sym == "u":
        return scheme.short_u
    return sym.upper()


def romanise_arabic(text: str, scheme_name: str) -> str:
    """Upper-case ASCII romanisation of a name in Arabic script under a named scheme."""
    scheme = SCHEMES[scheme_name]
    words = text.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w == "عبد" and i + 1 < len(words):
            noun = words[i + 1]
            noun = noun[2:] if noun.startswith("ال") else noun
            if noun == "له":  # ʿAbd Allāh: ABDULLAH, ABDELLAH, ABD ALLAH
                out.append(scheme.abd.strip() + "LAH")
            else:
                out.append((scheme.abd + _spell_word(vocalise(noun), scheme)).strip())
            i += 2
            continue
        if w.startswith("ال") and len(w) > 3:
            out.append((scheme.article + _spell_word(vocalise(w[2:]), scheme)).strip())
        elif w.startswith("ال"):
            out.append(_spell_word(vocalise(w), scheme))
        else:
            out.append(_spell_word(vocalise(w), scheme))
        i += 1
    return " ".join(p for p in out if p)
