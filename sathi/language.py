"""Which register a message is written in, and so which reply language it implies.

register: 'bn' (Bengali script), 'romanized' (Bengali in Latin letters), 'en' (English),
'mixed' (Bengali script with English words), or None (nothing to tell: digits, emoji, ids,
a bare greeting, a lone shared noun like "payslip").  Reply language: bn for 'bn' /
'romanized' / 'mixed', en for 'en'.

How: Bengali script decides bn / mixed (Latin words other than identifier prefixes make it
mixed). For Latin-only text, English *nouns* ("payslip", "job card", "status") are shared by
both registers and count for little; what separates romanized Bengali from English are the
function words, verbs and particles ("chai", "koto", "hoyeche", "er" / "please", "my",
"the", "want"), and Bengali spelling patterns ("-chhe", "-bo", "kh", "bh").
Tested on the held-out NLU messages (tests/nlu/test_language.py).
"""

from __future__ import annotations

import re

from sathi.text import has_bengali_script, normalize

# Words that mark romanized Bengali (very common, rarely English).
ROMANIZED_MARKERS = frozenset(
    """
na ami amar amr amake amay amader apni apnar apnake apnara apnader tumi tomar tomake tomra
tomader ora oder or ora tar tader se ke ki kii keno kano kobe kbe koto kto kotogulo kothay
kothai kemon kivabe kibhabe kore korbo korte korchi korechi korechilam korlam koro korun
koren korben korlen korar korle kori koris dao din den dite debo debe diben deben diyeche
dilo diye dey dicche chai chaichi chay chaibo chaiche lagbe lage laglo lagche lagbena hobe
holo hoyeche hoyni hoy hoini hocche hoye hoyechhe ache achhe achi achen nei nai naki
ekhon akhon ekhono akhono kaj kaaj kam kajer kaajer majuri mojuri majurir mojurir taka
takata takar poisa dhukeche dhukbe dhukche dhukchhe dhokeni pabo pai paini peyechi pelam
pete pacchi bolo bolun bolben bolchi bolte boliye janan jante janao janaben jabo jete
theke thekey porjonto er ar o tao ta ti ta'r ekta ekti gulo gulor ei oi sei kal kalke aaj
aj ajke gotokal agami mas maser mash masher bochor bochorer bochhor din diner dine barir
bari ghar ghor naksha noksha nokshar pathan pathao pathiye pathaben pathate dekhao dekhan
dekhun dekhte dekhe dekhben chaile bhai didi dada kaku mashi thik achha accha acha achcha
hya ha haa haan hmm nah kon kono konta shob sob sob kichu kisu bujhlam bujhini bujhte
bujhchi parchi parchina pari paren hisab hisaab dorkar abedon abedan kina kinaa kotha
nomoskar namaskar dhonnobad dhanyabad dhonyobad onek khub bhalo valo upokar sahajjo
bhasha bhasa bangla banglay banglate ingreji ingrejite thak bad batil chere jama jonno
gato goto gata gto sal saler tarikh tarik soptaho saptaho somobar sombar porshu porsu
mainer maine betan betoner rosid kagoj chithi onumodon onumoti potro dokaner dokan
byabsar bhalo thakben asi rakhchi rakhlam choli jay jai jabe khobor hariye geche gelo
felechi paoa pawa karo kauke sathe manush manusher lok loker bondho chalu abar ekdom
obossoi vul bhul noy eta ota seta ekhane okhane uttor nalish somossa jela onchol
prodhan karmochari barshik biboroni kormoshri karmasree kormosree prokolpo prokolpe
""".split()
)
# English words that mark English (function words, verbs, question words).
ENGLISH_MARKERS = frozenset(
    """
i my me we our us you your the a an is are was were be been am please plz pls want wanted
need needed get got give send sent show tell what when where how why many much which who
whom whose can could would should will shall of for to from in on at with about this that
these those it its do does did don't doesn't didn't have has had not no yes thanks thank
hello hi hey bye goodbye still yet any some all been into there here my mine want apply
check know find let help talk speak connect stop start cancel forget never mind anymore
again ok okay sure right wrong correct is isn't haven't hasn't already received credited
paid pending allotted approved issued ready lost
""".split()
)
# Shared nouns: English words that romanized-Bengali writers use too (weak English evidence).
SHARED_NOUNS = frozenset(
    """
job card jobcard status payslip pay slip salary statement trade license licence noc
building plan approval letter booking guest house home stay homestay tourism form cash
analysis report work wage wages payment bank account money days day month year week
download pdf copy number mobile phone id employee application certificate gp ps block
district gram office officer helpline message messages update notification language english
bengali karmashree bdo panchayat samiti gram audit details detail info information scheme
demand request submit entry due amount date time receipt reservation confirm
""".split()
)
IDENTIFIER_PREFIXES = frozenset(
    {"wb", "tn", "tnc", "bp", "ptb", "wbp", "fy", "no", "st", "nd", "rd", "th"}
)
_WORD = re.compile(r"[a-z]+")
GREETINGS = frozenset(
    "hi hello hey hii hiii hlo helo hallo namaskar nomoskar namaste "
    "nomoshkar namaskaar salam assalamualaikum adab good morning evening "
    "afternoon night sir madam dada didi".split()
)
# spelling patterns of romanized Bengali that English words rarely have
_ROMANIZED_SHAPES = re.compile(
    r"(?:chh|chhe|che$|chi$|^kh|^bh|^dh|^gh|bo$|ben$|lam$|len$|ini$|eni$|ache$|oni$|"
    r"^ko[rt]|^ho[yi]|aa|oo?[bk]ho|sh[oa]$|[^a]ir$)"
)


def _latin_register(words: list[str]) -> str | None:
    if not words:
        return None
    meaningful = [w for w in words if w not in IDENTIFIER_PREFIXES]
    if not meaningful or all(w in GREETINGS for w in meaningful):
        return None
    romanized: float = sum(w in ROMANIZED_MARKERS for w in meaningful)
    english = sum(w in ENGLISH_MARKERS for w in meaningful)
    shared = sum(w in SHARED_NOUNS for w in meaningful)
    unknown = [
        w
        for w in meaningful
        if w not in ROMANIZED_MARKERS
        and w not in ENGLISH_MARKERS
        and w not in SHARED_NOUNS
        and w not in GREETINGS
    ]
    romanized += 0.5 * sum(bool(_ROMANIZED_SHAPES.search(w)) for w in unknown)
    if romanized == 0 and english == 0:
        # only shared nouns / unknown words: English if it reads like a phrase
        return "en" if shared >= 2 and shared >= len(meaningful) - 1 else None
    if romanized > 0 and english == 0:
        return "romanized"
    if english > 0 and romanized == 0:
        return "en"
    return "romanized" if romanized >= english else "en"


def detect_register(text: str | None) -> str | None:
    text = normalize(text or "")
    if not text:
        return None
    latin_words = _WORD.findall(text.lower())
    if has_bengali_script(text):
        english_words = [w for w in latin_words if w not in IDENTIFIER_PREFIXES]
        return "mixed" if english_words else "bn"
    return _latin_register(latin_words)


def reply_language(text: str | None) -> str | None:
    register = detect_register(text)
    if register is None:
        return None
    return "en" if register == "en" else "bn"
