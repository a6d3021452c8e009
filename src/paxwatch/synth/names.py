"""Romanisation: how a name in its own script becomes what an airline holds (A-Z and spaces).

Each script has several *schemes*, the systematic ways real systems write it:

- Arabic script: see ``paxwatch.synth.arabic`` (en, en2, fr, eg, gulf, icao, fa).
- Cyrillic: ICAO Doc 9303 (passports since 2013: Ю IU, Я IA, Х KH), BGN/old passports
  (YU, YA, initial YE), French (OU, CH, J, TCH), German (SCH, TSCH, W, J), Ukrainian national
  2010 (Г H, И Y, Ї YI) and Ukrainian names read as Russian (Г G).
- Devanagari: inherent vowel and final schwa rules, with long vowels as AA/EE/OO or as
  A/I/U, and श/ष as SH or S.
- Ethiopic (Tigrinya, Amharic): syllable orders mapped to vowels; first order as E or A,
  sixth order as I between consonants or nothing.
- Han: Hanyu Pinyin by ``anyascii``, given-name syllables joined or spaced.
- Latin: ``anyascii`` for diacritics (Ł L, Ş S, Ñ N, Đ D); German/Turkish umlauts as AE OE
  UE (ICAO) or plain; Somali C and X kept or written the English way.

``romanise(text, script, scheme)`` is pure and cached; ``SCHEMES_BY_SCRIPT`` lists them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from paxwatch.synth.arabic import SCHEMES as ARABIC_SCHEMES
from paxwatch.synth.arabic import romanise_arabic

_RU_ICAO = dict(
    zip(
        "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯІЇЄҐ",
        [
            "A",
            "B",
            "V",
            "G",
            "D",
            "E",
            "E",
            "ZH",
            "Z",
            "I",
            "I",
            "K",
            "L",
            "M",
            "N",
            "O",
            "P",
            "R",
            "S",
            "T",
            "U",
            "F",
            "KH",
            "TS",
            "CH",
            "SH",
            "SHCH",
            "IE",
            "Y",
            "_",
            "E",
            "IU",
            "IA",
            "I",
            "I",
            "IE",
            "G",
        ],
        strict=True,
    )
)
_RU_BGN = _RU_ICAO | {"Й": "Y", "Ю": "YU", "Я": "YA", "Ё": "YO", "Ъ": "_", "Є": "YE"}
_RU_FR = _RU_ICAO | {
    "Ж": "J", "Ш": "CH", "Ч": "TCH", "Щ": "CHTCH", "У": "OU", "Ю": "IOU", "Я": "IA",
    "Х": "KH", "Ъ": "_", "Й": "I",
}  # fmt: skip
_RU_DE = _RU_ICAO | {
    "Ж": "SCH", "Ш": "SCH", "Ч": "TSCH", "Щ": "SCHTSCH", "Ц": "Z", "Х": "CH", "В": "W",
    "Й": "J", "Ю": "JU", "Я": "JA", "З": "S", "Ъ": "_", "Е": "E",
}  # fmt: skip
_UA_NAT = _RU_ICAO | {
    "Г": "H", "Ґ": "G", "И": "Y", "І": "I", "Ї": "I", "Й": "I", "Є": "IE", "Ю": "IU",
    "Я": "IA", "Х": "KH", "Щ": "SHCH",
}  # fmt: skip
# Letters spelled differently at the start of a word (Ukrainian 2010, BGN).
_UA_INITIAL = {"Є": "YE", "Ї": "YI", "Й": "Y", "Ю": "YU", "Я": "YA"}
_BGN_INITIAL = {"Е": "YE"}
_CYR_VOWELS = set("АЕЁИОУЫЭЮЯІЇЄ")

CYRILLIC: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "icao": (_RU_ICAO, {}),
    "bgn": (_RU_BGN, _BGN_INITIAL),
    "fr": (_RU_FR, {}),
    "de": (_RU_DE, {"Е": "JE"}),
    "ua": (_UA_NAT, _UA_INITIAL),
}


def _cyrillic(text: str, scheme: str) -> str:
    table, initial = CYRILLIC[scheme]
    out: list[str] = []
    prev = " "
    for ch in text.upper():
        if ch in table:
            start = prev in " -" or (scheme == "bgn" and prev in _CYR_VOWELS)
            piece = initial.get(ch, table[ch]) if start else table[ch]
            if scheme == "fr" and ch == "С" and prev in _CYR_VOWELS:
                piece = "SS"
            out.append(piece.replace("_", ""))
        else:
            out.append(anyascii(ch))
        prev = ch
    return "".join(out)


# Devanagari: consonants (inherent a), independent vowels and vowel signs.
_DEV_CONS = dict(
    zip(
        "कखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसहळ",
        [
            "k",
            "kh",
            "g",
            "gh",
            "n",
            "ch",
            "chh",
            "j",
            "jh",
            "n",
            "t",
            "th",
            "d",
            "dh",
            "n",
            "t",
            "th",
            "d",
            "dh",
            "n",
            "p",
            "ph",
            "b",
            "bh",
            "m",
            "y",
            "r",
            "l",
            "v",
            "sh",
            "sh",
            "s",
            "h",
            "l",
        ],
        strict=True,
    )
)
_DEV_VOWELS = dict(
    zip("अआइईउऊएऐओऔऋ", ["a", "aa", "i", "ii", "u", "uu", "e", "ai", "o", "au", "ri"], strict=True)
)
_DEV_SIGNS = dict(
    zip("ािीुूेैोौृ", ["aa", "i", "ii", "u", "uu", "e", "ai", "o", "au", "ri"], strict=True)
)
_VIRAMA, _ANUSVARA, _NUKTA = "्", "ं", "़"


def _devanagari_word(word: str) -> list[str]:
    """Sound units of a Devanagari word, with inherent vowels resolved."""
    units: list[str] = []
    chars = [c for c in unicodedata.normalize("NFD", word) if c != _NUKTA]
    for i, ch in enumerate(chars):
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if ch in _DEV_CONS:
            units.append(_DEV_CONS[ch])
            if nxt not in _DEV_SIGNS and nxt != _VIRAMA:
                units.append("a")  # inherent vowel
        elif ch in _DEV_SIGNS:
            units.append(_DEV_SIGNS[ch])
        elif ch in _DEV_VOWELS:
            units.append(_DEV_VOWELS[ch])
        elif ch in (_ANUSVARA, "ँ"):
            units.append("n")
        elif ch == "ः":
            units.append("h")
    if len(units) > 2 and units[-1] == "a":
        units.pop()  # final schwa deletion: राहुल RAHUL, not RAHULA
    return units


def _devanagari(text: str, scheme: str) -> str:
    long_map = {"aa": "AA", "ii": "EE", "uu": "OO"} if scheme == "long" else {}
    words: list[str] = []
    for word in text.split():
        units = _devanagari_word(word)
        spelled: list[str] = []
        for j, u in enumerate(units):
            last = j == len(units) - 1
            if u in ("aa", "ii", "uu"):
                spelled.append("A" if (u == "aa" and last) else long_map.get(u, u[0].upper()))
            elif u == "sh" and scheme == "s":
                spelled.append("S")
            elif u == "v" and scheme == "long":
                spelled.append("W")
            else:
                spelled.append(u.upper())
        words.append("".join(spelled))
    return " ".join(words)


def _ethiopic(text: str, scheme: str) -> str:
    """Ge'ez syllables: consonant from the first-order form, vowel from the order.

    The sixth order (ə) is written I only after a consonant left without vowel (or at the
    start of a word), and not at the end: ብርሃነ BIRHANE, ገብረመድህን GEBREMEDHIN.
    """
    first = "A" if scheme == "a" else "E"
    vowels = {0: first, 1: "U", 2: "I", 3: "A", 4: "E", 6: "O", 7: "WA"}
    out: list[str] = []
    for word in text.split():
        cps = [ord(c) for c in word]
        letters: list[str] = []
        bare = True  # the previous letter ended without a vowel (or word start)
        for i, cp in enumerate(cps):
            if not 0x1200 <= cp <= 0x137F:
                letters.append(anyascii(chr(cp)).upper())
                continue
            order = (cp - 0x1200) % 8
            base = anyascii(chr(cp - order)).upper().replace("'", "").replace("`", "")
            cons = base.rstrip("AEIOU")
            if order == 5:
                vowel = "I" if bare and i < len(cps) - 1 else ""
            else:
                vowel = vowels.get(order, "")
            if not cons and not vowel:
                vowel = "E"
            letters.append(cons + vowel)
            bare = not vowel
        out.append("".join(letters))
    return " ".join(out)


_UMLAUTS = str.maketrans({"Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "ẞ": "SS"})


def _latin(text: str, scheme: str) -> str:
    t = text.upper()
    if scheme == "umlaut":
        t = t.translate(_UMLAUTS)
    elif scheme == "en" and re.search(r"[CX]", t):  # Somali: X is Ḥ, C is ʿayn
        t = t.replace("X", "H").replace("AA", "A").replace("C", "")
    if scheme == "joined":
        t = t.replace("-", "").replace("'", "")
    return anyascii(t)


def _han(text: str, scheme: str) -> str:
    syllables = [anyascii(ch).upper() for ch in text if not ch.isspace()]
    return (" " if scheme == "spaced" else "").join(syllables)


SCHEMES_BY_SCRIPT: dict[str, tuple[str, ...]] = {
    "Arab": tuple(ARABIC_SCHEMES),
    "Cyrl": tuple(CYRILLIC),
    "Deva": ("plain", "long", "s"),
    "Ethi": ("e", "a"),
    "Hani": ("joined", "spaced"),
    "Latn": ("plain", "umlaut", "joined", "en"),
}

_CLEAN = re.compile(r"[^A-Z ]+")


@lru_cache(maxsize=200_000)
def romanise(text: str, script: str, scheme: str) -> str:
    """``text`` (one name part, in ``script``) as upper-case A-Z and single spaces."""
    if script == "Arab":
        out = romanise_arabic(text, scheme)
    elif script == "Cyrl":
        out = _cyrillic(text, scheme)
    elif script == "Deva":
        out = _devanagari(text, scheme)
    elif script == "Ethi":
        out = _ethiopic(text, scheme)
    elif script == "Hani":
        out = _han(text, scheme)
    else:
        out = _latin(text, scheme)
    out = _CLEAN.sub(" ", anyascii(out).upper().replace("-", " ").replace("'", ""))
    return " ".join(out.split())
