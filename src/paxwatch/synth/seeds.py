"""Native-script name seeds for origins no installed library covers.

Faker has no locale for Pashto/Dari, Sorani Kurdish, Tigrinya, Amharic or Somali, so these
short tables give common given names and family names *in their own script* (Arabic script
for Pashto/Dari and Sorani, Ge'ez for Tigrinya and Amharic, the official Latin orthography
for Somali). They are romanised by the same rules as every other name
(``paxwatch.synth.names``); no romanised variant is listed here.
Somali, Tigrinya and Amharic names have no inherited family name: the "surname" of a
document is the father's (and grandfather's) given name, which the generator draws from the
male given names.
"""

from __future__ import annotations

SEEDS: dict[str, dict[str, tuple[str, ...]]] = {
    "af": {
        "male": (
            "احمد", "محمد", "نجیب", "حمید", "کریم", "رحیم", "ظاهر", "نصیر", "شفیق", "جاوید",
            "ولی", "ګلاب", "خالد", "عزیز", "بشیر", "فرید", "زلمی", "میرویس", "عبد الله",
        ),
        "female": (
            "ملالۍ", "زرغونه", "شبنم", "فرشته", "مریم", "لیلا", "پروین", "نازنین", "ګلالۍ",
            "هما", "سحر", "نسرین",
        ),
        "surname": (
            "احمدزی", "پوپلزی", "یوسفزی", "کاکړ", "وردک", "صافی", "شینواری", "ستانکزی",
            "نورزی", "مومند", "اڅکزی", "حیدری", "رحیمی", "کریمی", "هاشمی",
        ),
    },
    "ku": {
        "male": (
            "ئاراس", "هێمن", "کاوە", "شێرکۆ", "دلشاد", "ڕێبوار", "سەردار", "بەختیار", "ئازاد",
            "هاوڕێ", "سیروان", "کارزان",
        ),
        "female": (
            "ژیان", "شیلان", "ڕۆژان", "نازدار", "هێڤی", "گوڵاڵە", "بەهار", "دیلان", "ئەڤین",
            "شنۆ",
        ),
        "surname": (
            "ئەحمەد", "عەزیز", "کەریم", "حەسەن", "مەحموود", "عومەر", "ڕەسووڵ", "قادر", "سەلیم",
            "بارزانی", "تاڵەبانی", "هەورامی",
        ),
    },
    "er": {
        "male": (
            "ተስፋይ", "ኣማኑኤል", "ዳዊት", "ሃብተ", "ኪዳነ", "ሰለሙን", "ዮናስ", "ፍስሃ", "ተኽለ",
            "ብርሃነ", "ሚኪኤል", "ገብረሂወት", "መብራህቱ", "ሳምሶን",
        ),
        "female": (
            "ሳባ", "ሃና", "ሉዋም", "ሰላም", "ፅጌ", "ኤልሳ", "ዊንታ", "ፍዮሪ", "ሩታ", "ሚሪያም",
            "ኣብረኸት",
        ),
        "surname": (),
    },
    "et": {
        "male": (
            "አበበ", "ተስፋዬ", "ሙሉጌታ", "ዳዊት", "ገብረመድህን", "ሰለሞን", "ዮሐንስ", "ብርሃኑ", "ታደሰ",
            "ካሳሁን", "ደረጀ", "ጌታቸው", "ወልደሚካኤል", "አለማየሁ", "በቀለ",
        ),
        "female": (
            "አልማዝ", "መሰረት", "ትዕግስት", "ሰላማዊት", "ብርቱካን", "ሄለን", "ፀሐይ", "ወይንሸት",
            "ማርታ", "ቤተልሔም", "ሕይወት", "የሺ",
        ),
        "surname": (),
    },
    "so": {
        "male": (
            "Maxamed", "Cabdullaahi", "Axmed", "Cali", "Xasan", "Cumar", "Yuusuf", "Ibraahim",
            "Faarax", "Cabdiraxmaan", "Mustafe", "Shariif", "Jaamac", "Warsame", "Nuur",
            "Xuseen",
        ),
        "female": (
            "Faadumo", "Xaawo", "Caasha", "Hodan", "Sahra", "Ifrah", "Maryan", "Nimco", "Ayaan",
            "Hibo", "Ubax", "Deeqa",
        ),
        "surname": (),
    },
}  # fmt: skip
