"""Name origins: nationality, script, name source and romanisation schemes of travellers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a traveller's name comes from: nationality, script, name source, schemes.

    ``structure``: western (given + surname), two_surnames (Spanish), patronymic (Russian,
    Ukrainian: the patronymic may be booked as a given name), father (Tigrinya, Amharic:
    the surname is the father's given name), somali (father + grandfather), chinese
    (surname first, no space), vietnamese (family + middle + given).
    ``schemes``: romanisation schemes and weights; the first is the passport scheme.
    ``tail_locale``: a Faker locale whose names extend a seed table's tail (a shared
    vocabulary); ``family_share``: for father-name cultures, the share of documents whose
    surname is an inherited (tribal, regional) family name instead.
    """

    key: str
    label: str
    nationality: str
    country: str
    script: str
    locales: tuple[str, ...]
    schemes: tuple[tuple[str, float], ...]
    structure: str = "western"
    weight: float = 1.0
    homes: tuple[str, ...] = ()
    second_given: float = 0.1
    tail_locale: str = ""
    family_share: float = 0.0


ORIGINS: tuple[Origin, ...] = (
    Origin("fr", "French", "FRA", "FR", "Latn", ("fr_FR",), (("plain", 0.7), ("joined", 0.3)),
           weight=44.0, homes=("FR", "RE", "GP", "MQ", "GF"), second_given=0.25),
    Origin("gb", "British", "GBR", "GB", "Latn", ("en_GB",), (("plain", 1.0),), weight=6.0,
           homes=("GB",), second_given=0.3),
    Origin("es", "Spanish", "ESP", "ES", "Latn", ("es_ES",), (("plain", 1.0),), "two_surnames",
           4.0, ("ES",)),
    Origin("it", "Italian", "ITA", "IT", "Latn", ("it_IT",), (("plain", 1.0),), weight=4.0,
           homes=("IT",)),
    Origin("de", "German", "DEU", "DE", "Latn", ("de_DE",), (("umlaut", 0.6), ("plain", 0.4)),
           weight=4.5, homes=("DE", "AT", "CH")),
    Origin("pl", "Polish", "POL", "PL", "Latn", ("pl_PL",), (("plain", 1.0),), weight=1.5,
           homes=("PL",)),
    Origin("ru", "Russian", "RUS", "RU", "Cyrl", ("ru_RU",),
           (("icao", 0.5), ("bgn", 0.25), ("fr", 0.15), ("de", 0.1)), "patronymic", 1.0),
    Origin("ua", "Ukrainian", "UKR", "UA", "Cyrl", ("uk_UA",),
           (("ua", 0.6), ("icao", 0.25), ("bgn", 0.15)), "patronymic", 1.5),
    Origin("tr", "Turkish", "TUR", "TR", "Latn", ("tr_TR",), (("plain", 0.8), ("umlaut", 0.2)),
           weight=2.0, homes=("TR",)),
    Origin("dz", "Algerian (Arabic)", "DZA", "DZ", "Arab", ("ar_DZ",),
           (("fr", 0.7), ("en2", 0.15), ("icao", 0.15)), weight=3.5, homes=("DZ",)),
    Origin("ma", "Moroccan (Arabic)", "MAR", "MA", "Arab", ("ar_AA",),
           (("fr", 0.75), ("en2", 0.15), ("icao", 0.1)), weight=2.5, homes=("MA",)),
    Origin("tn", "Tunisian (Arabic)", "TUN", "TN", "Arab", ("ar_AA",),
           (("fr", 0.7), ("en2", 0.2), ("icao", 0.1)), weight=1.5, homes=("TN",)),
    Origin("eg", "Egyptian (Arabic)", "EGY", "EG", "Arab", ("ar_AA",),
           (("eg", 0.6), ("en2", 0.3), ("en", 0.1)), weight=0.8, homes=("EG",)),
    Origin("sa", "Saudi / Gulf (Arabic)", "SAU", "SA", "Arab", ("ar_SA",),
           (("gulf", 0.5), ("en", 0.3), ("en2", 0.2)), weight=0.8,
           homes=("SA", "AE", "QA", "KW", "BH", "OM")),
    Origin("jo", "Levantine (Arabic)", "JOR", "JO", "Arab", ("ar_PS",),
           (("en2", 0.4), ("en", 0.3), ("fr", 0.2), ("icao", 0.1)), weight=1.0,
           homes=("JO", "LB", "PS", "SY", "IL")),
    Origin("ir", "Iranian (Persian)", "IRN", "IR", "Arab", ("fa_IR",),
           (("fa", 0.7), ("en", 0.2), ("icao", 0.1)), weight=0.8, homes=("IR",)),
    Origin("af", "Afghan (Pashto/Dari)", "AFG", "AF", "Arab", (),
           (("fa", 0.6), ("en", 0.3), ("icao", 0.1)), weight=0.5, homes=("AF",),
           tail_locale="fa_IR"),
    Origin("ku", "Kurdish (Sorani)", "IRQ", "IQ", "Arab", (),
           (("en", 0.5), ("fa", 0.2), ("icao", 0.3)), "father", 0.4, ("IQ",),
           family_share=0.25),
    Origin("er", "Eritrean (Tigrinya)", "ERI", "ER", "Ethi", (), (("e", 0.6), ("a", 0.4)),
           "father", 0.4, ("ER",)),
    Origin("et", "Ethiopian (Amharic)", "ETH", "ET", "Ethi", (), (("e", 0.8), ("a", 0.2)),
           "father", 0.4, ("ET",)),
    Origin("so", "Somali", "SOM", "SO", "Latn", (), (("en", 0.6), ("plain", 0.4)), "somali",
           0.4, ("SO", "DJ")),
    Origin("cn", "Chinese", "CHN", "CN", "Hani", ("zh_CN",), (("joined", 0.8), ("spaced", 0.2)),
           "chinese", 2.0, ("CN", "HK", "TW", "SG")),
    Origin("in", "Indian (Hindi)", "IND", "IN", "Deva", ("hi_IN",),
           (("plain", 0.6), ("long", 0.25), ("s", 0.15)), weight=1.5, homes=("IN",)),
    Origin("vn", "Vietnamese", "VNM", "VN", "Latn", (), (("plain", 1.0),), "vietnamese",
           1.0, ("VN",)),
    Origin("ng", "Nigerian", "NGA", "NG", "Latn", ("yo_NG", "ig_NG", "ha_NG", "en_NG"),
           (("plain", 1.0),), weight=1.0, homes=("NG",)),
    Origin("us", "American", "USA", "US", "Latn", ("en_US",), (("plain", 1.0),), weight=4.5,
           homes=("US", "CA"), second_given=0.4),
)  # fmt: skip
ORIGIN_BY_KEY: dict[str, Origin] = {o.key: o for o in ORIGINS}
