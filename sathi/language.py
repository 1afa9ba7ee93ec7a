"""Which register a message is written in, and so which reply language it implies.

register: 'bn' (Bengali script), 'romanized' (Bengali in Latin letters), 'en' (English),
'mixed' (Bengali script with English words), or None (nothing to tell: digits, emoji, ids,
a bare greeting).  Reply language: bn for 'bn' / 'romanized' / 'mixed', en for 'en'.
"""
from __future__ import annotations

import re

from sathi.text import has_bengali_script, normalize

# Words that mark romanized Bengali (very common, rarely English).
ROMANIZED_MARKERS = frozenset("""
ami amar amake amr apni apnar apnake tumi tomar tomake ki ki? keno kobe koto kto kotogulo
kothay kemon kore korbo korte korchi korechi korlam koro korun dao din den dite debe diben
chai chaichi lagbe hobe holo hoyeche hoyni hoy hoini ache achhe nei na naki ekhon akhon
kaj kaaj kam majuri mojuri mojuri taka takata dhukeche dhukbe dhukche pabo pai paini peyechi
bolo bolun bolben janan jante janao jabo jete theke thekey porjonto er ar o tao to ta ti
ekta ekti gulo gulor amader tomader apnader ei oi sei kal aaj aj gotokal agami mas masher
bochor bochorer din diner dine barir bari ghar naksha nokshа plan pathan pathao pathiye
dekhao dekhan dekhte chaile bhai didi dada kaku mashi thik achha accha acha hya ha haan
nai nah kothai kon kono shob sob kichu kisu bujhlam bujhini bujhte parchi parchina
""".split())
ENGLISH_MARKERS = frozenset("""
i my me we our you your the a an is are was were be been am please want need get give send
show tell what when where how many much which who whom whose can could would should will
of for to from in on at with about this that these those it its do does did have has had
download status days work wages paid payment slip salary statement application booking
certificate approval letter plan month year last this next yes no not thanks thank hello
""".split())
_WORD = re.compile(r"[a-z]+")
GREETINGS = frozenset("hi hello hey hii hlo helo namaskar nomoskar namaste nomoshkar "
                      "salam assalamualaikum adab good morning evening afternoon".split())


def detect_register(text: str | None) -> str | None:
    text = normalize(text or "")
    if not text:
        return None
    latin_words = _WORD.findall(text.lower())
    if has_bengali_script(text):
        return "mixed" if sum(w in ENGLISH_MARKERS for w in latin_words) >= 1 else "bn"
    if not latin_words or all(w in GREETINGS for w in latin_words):
        return None
    romanized = sum(w in ROMANIZED_MARKERS for w in latin_words)
    english = sum(w in ENGLISH_MARKERS for w in latin_words)
    if romanized == 0 and english == 0:
        return None
    return "romanized" if romanized >= english else "en"


def reply_language(text: str | None) -> str | None:
    register = detect_register(text)
    if register is None:
        return None
    return "en" if register == "en" else "bn"
