"""Native-script name seeds for origins no installed library covers (or covers too thinly).

Faker has no locale for Pashto/Dari, Sorani Kurdish, Tigrinya, Amharic or Somali, and its
``vi_VN`` holds 20 men's, 15 women's and 10 family names. These tables give, in each
culture's own script (Arabic script for Pashto/Dari and Sorani, Ge'ez for Tigrinya and
Amharic, the official Latin orthography for Somali, Vietnamese with its diacritics), the
long tail of real naming: hundreds of given names, ordered from common to rare, which
``paxwatch.synth.frequency`` weights by a Zipf law. They are romanised by the same rules as
every other name (``paxwatch.synth.names``); no romanised variant is listed here.
Somali, Tigrinya, Amharic and (mostly) Iraqi Kurdish names have no inherited family name:
the "surname" of a document is the father's (and grandfather's) given name, which the
generator draws from the men's given names.
"""

from __future__ import annotations

from paxwatch.synth.seeds_arabic import SEEDS_ARABIC
from paxwatch.synth.seeds_ethiopic import SEEDS_ETHIOPIC
from paxwatch.synth.seeds_latin import SEEDS_LATIN

SEEDS: dict[str, dict[str, tuple[str, ...]]] = SEEDS_ARABIC | SEEDS_ETHIOPIC | SEEDS_LATIN
