"""The words and phrases the date parsers of sathi/dates.py read: month names, relative months
and financial years, number spellings, day / week words, weekdays and start-date words, in
English, Bengali script and romanized Bengali (normalized: sathi.text.normalize).

tools/make_lookups.py builds the NLU lookups and regexes from the same vocabularies, so what
the NLU extracts is what the parsers read.
"""

from __future__ import annotations

from sathi.text import normalize

MONTH_WORDS: dict[str, int] = {}
_MONTH_SPELLINGS = {
    1: "january jan januari januwari jonuari janu জানুয়ারি জানুয়ারী জানুআরি জানু",
    2: "february feb februari febuary februwari febru ফেব্রুয়ারি ফেব্রুয়ারী ফেব্রুআরি ফেব",
    3: "march mar marc marchh মার্চ",
    4: "april apr epril aprail এপ্রিল",
    5: "may মে",
    6: "june jun joon জুন",
    7: "july jul julai julay জুলাই",
    8: "august aug agust agost augast অগাস্ট আগস্ট আগষ্ট অগস্ট",
    9: "september sep sept septembar septembor sebtembor সেপ্টেম্বর সেপ্টেম্বার",
    10: "october oct oktobor oktober octobor oktubar অক্টোবর অক্টোবার অক্টবর",
    11: "november nov nobhembor nobembor novembor nobhember nabhembar নভেম্বর নভেম্বার",
    12: "december dec disembor disember decembor dicembor ডিসেম্বর ডিসেম্বার",
}
for _number, _words in _MONTH_SPELLINGS.items():
    for _word in _words.split():
        if _word.isascii() or any("\u0980" <= ch <= "\u09ff" for ch in _word):
            MONTH_WORDS[_word] = _number
# words that are also ordinary words: a month only next to a year or in a very short text
AMBIGUOUS_MONTH_WORDS = frozenset({"may", "mar", "jun", "dec", "sep", "jan"})

LAST_MONTH_PHRASES = (
    "last month",
    "previous month",
    "prev month",
    "past month",
    "last mas",
    "last mash",
    "gato mas",
    "goto mas",
    "gata mas",
    "gto mas",
    "gato mash",
    "goto mash",
    "gato maas",
    "ager mas",
    "ager mash",
    "agerer mas",
    "গত মাস",
    "আগের মাস",
    "গতমাস",
    "গত মাহ",
)
THIS_MONTH_PHRASES = (
    "this month",
    "current month",
    "ei mas",
    "ei mash",
    "ei maas",
    "cholti mas",
    "chalti mas",
    "এই মাস",
    "চলতি মাস",
    "এমাস",
)
NEXT_MONTH_PHRASES = ("next month", "agami mas", "samner mas", "আগামী মাস", "সামনের মাস")
LAST_YEAR_PHRASES = (
    "last year",
    "previous year",
    "last financial year",
    "previous financial year",
    "last fy",
    "prev fy",
    "gato bochor",
    "goto bochor",
    "gata bochor",
    "gato bochhor",
    "gato bachar",
    "ager bochor",
    "last bochor",
    "গত বছর",
    "গত বছরের",
    "আগের বছর",
    "গত অর্থবর্ষ",
    "গত আর্থিক বছর",
)
THIS_YEAR_PHRASES = (
    "this year",
    "current year",
    "this financial year",
    "current financial year",
    "this fy",
    "current fy",
    "ei bochor",
    "ei bochhor",
    "ei bachar",
    "cholti bochor",
    "এই বছর",
    "এবছর",
    "এ বছর",
    "চলতি বছর",
    "চলতি অর্থবর্ষ",
    "এই অর্থবর্ষ",
    "এই আর্থিক বছর",
)

NUMBER_WORDS: dict[str, int] = {}
_NUMBER_SPELLINGS = {
    1: "one a an ek ekta এক একটা ১টা",
    2: "two dui du duto দুই দু দুটো দুটি",
    3: "three tin tinte তিন",
    4: "four char chaar চার",
    5: "five panch pach paanch pachh পাঁচ পাচ",
    6: "six choy chhoy chhoi choi ছয় ছয় ছ",
    7: "seven sat saat shat সাত",
    8: "eight aat at ath আট",
    9: "nine noy nay nou নয়",
    10: "ten dosh das dos dosh দশ",
    11: "eleven egaro egharo এগারো এগার",
    12: "twelve baro baaro বারো বার",
    13: "thirteen tero tera তেরো তের",
    14: "fourteen choddo chouddo choudda chodda চোদ্দ চৌদ্দ চোদ্দো",
}
for _number, _words in _NUMBER_SPELLINGS.items():
    for _word in _words.split():
        NUMBER_WORDS[normalize(_word).lower()] = _number

DAY_WORDS = ("days", "day", "din", "diner", "dine", "dinn", "দিন", "দিনের", "দিনই", "দিনে", "dino")
WEEK_WORDS = (
    "week",
    "weeks",
    "soptaho",
    "saptaho",
    "shoptaho",
    "soptah",
    "saptah",
    "hapta",
    "সপ্তাহ",
    "সপ্তাহের",
    "হপ্তা",
)

WEEKDAY_WORDS: dict[str, int] = {}
_WEEKDAY_SPELLINGS = {
    0: "monday mon sombar somobar shombar sombaar somvar সোমবার সোমবারে",
    1: "tuesday tue tues mongolbar mangalbar mongolvar মঙ্গলবার মঙ্গলবারে",
    2: "wednesday wed budhbar budhbaar budbar বুধবার বুধবারে",
    3: "thursday thu thurs brihospotibar bishudbar brihaspatibar bishyudbar বৃহস্পতিবার বিষ্যুদবার",
    4: "friday fri sukrobar shukrobar sukrabar shukrabar শুক্রবার শুক্রবারে",
    5: "saturday sat shonibar sonibar shanibar sanibar শনিবার শনিবারে",
    6: "sunday sun robibar robbar rabibar robibaar রবিবার রবিবারে",
}
for _number, _words in _WEEKDAY_SPELLINGS.items():
    for _word in _words.split():
        WEEKDAY_WORDS[normalize(_word).lower()] = _number

TODAY_WORDS = ("today", "aj", "aaj", "ajke", "aajke", "আজ", "আজকে", "আজই")
TOMORROW_WORDS = (
    "tomorrow",
    "tmrw",
    "tomorow",
    "kal",
    "kaal",
    "kalke",
    "kaalke",
    "কাল",
    "কালকে",
    "আগামীকাল",
    "agamikal",
)
DAY_AFTER_WORDS = ("porshu", "porsu", "porshu", "parshu", "porosu", "পরশু", "পরশুদিন")
NEXT_WEEK_PHRASES = (
    "next week",
    "agami soptaho",
    "agami saptaho",
    "samner soptaho",
    "samner saptaho",
    "next soptaho",
    "আগামী সপ্তাহ",
    "সামনের সপ্তাহ",
    "পরের সপ্তাহ",
    "porer soptaho",
)
DATE_OF_MONTH_WORDS = (
    "tarikh",
    "tarik",
    "taarikh",
    "tarikhe",
    "তারিখ",
    "তারিখে",
    "তারিখের",
    "st",
    "nd",
    "rd",
    "th",
)
