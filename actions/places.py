"""Which Gram Panchayat / Panchayat Samiti (block) the user means, from what they typed:
English or Bengali names, spelling variants, "Dogachi GP", "দোগাছি গ্রাম পঞ্চায়েতের", the
NREGA code (GP `32DDBBBPPP`, block `32DDBBB`), or a name plus its block / district to tell
namesakes apart ("Dogachi, Nadia"). The portal's geo search (`/geo/...?q=`) does the spelling
folds; this module cleans the text, narrows namesakes and builds the short choice.

Geography is public and changes rarely: districts are cached for the process's life.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from actions.base import call_portal, portal
from portal_client import BadRequest, NotFound
from portal_client.types import District
from sathi.graphemes import shorten
from sathi.text import normalize

MAX_CHOICES = 10  # WhatsApp list rows
REPLY_BUTTON_TITLE = 20  # up to 3 choices: reply buttons
LIST_ROW_TITLE = 24  # 4-10 choices: list rows
MAX_QUERIES = 4  # portal searches per message

# Words around a place name that are not part of it (the portal ignores some of them too).
_NOISE = re.compile(
    r"(?<![a-z\u0980-\u09ff])(gram\s*panchayat|grampanchayat|panchayat\s*samiti|panchayet|"
    r"panchayat|samiti|gp|g\.p\.|ps|p\.s\.|block|bloc|district|zilla|jela|form\s*26|form26|"
    r"cash\s*analysis|report|of|the|for|er|in|under|and|please|pls|"
    r"গ্রাম\s*পঞ্চায়েত|পঞ্চায়েত\s*সমিতি|পঞ্চায়েত|সমিতি|জিপি|ব্লক|জেলা|ফর্ম\s*২৬|ফর্ম|অঞ্চল|"
    r"এর|র|ক্যাশ|রিপোর্ট)(?![a-z\u0980-\u09ff])"
)
_BN_CASE_ENDINGS = ("য়ের", "ের", "এর", "র", "কে", "তে", "ে")
_GP_CODE = re.compile(r"(?<!\d)(32\d{8})(?!\d)")
_PS_CODE = re.compile(r"(?<!\d)(32\d{5})(?!\d)")
_KEY_DROP = re.compile(r"[^0-9a-z\u0980-\u09ff]")

_districts_lock = threading.Lock()
_districts: dict[str, District] = {}


@dataclass(frozen=True)
class Place:
    """A GP or a block as the bot shows it: `where_*` is what tells namesakes apart."""

    code: str
    name_en: str
    name_bn: str | None
    block_en: str | None
    district_code: str | None
    district_en: str | None
    block_bn: str | None = None
    district_bn: str | None = None

    def name(self, lang: str) -> str:
        if lang == "bn" and self.name_bn:
            return normalize(self.name_bn, ascii_digits=False)
        return self.name_en


def key(text: str | None) -> str:
    return _KEY_DROP.sub("", normalize(text or "").lower())


def cleaned(text: str) -> str:
    """The place name left when the words around it are taken away."""
    out = normalize(text or "")[:120].lower()
    out = _NOISE.sub(" ", out)
    out = re.sub(r"[,;:!?()\"'/]+", " ", out)
    return re.sub(r"\s+", " ", out).strip(" .-")


def _without_case_ending(word: str) -> str:
    if word.isascii():
        return word
    for ending in _BN_CASE_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def queries(text: str) -> list[str]:
    """Search strings to try, best first: the cleaned text, without Bengali case endings, then
    its longer words one by one (for "Dogachi Nadia" or a name with a trailing month)."""
    base = cleaned(text)
    words = base.split()
    out: list[str] = []
    for candidate in (
        base,
        " ".join(_without_case_ending(w) for w in words),
        *[w for w in words if len(key(w)) >= 3],
        *[_without_case_ending(w) for w in words if len(key(w)) >= 4],
    ):
        candidate = candidate.strip()
        if len(key(candidate)) >= 2 and candidate not in out:
            out.append(candidate)
    return out[:MAX_QUERIES]


async def _district_names() -> dict[str, District]:
    """District code -> District (Bengali names, aliases), fetched once per process."""
    if _districts:
        return _districts
    rows = await call_portal(portal().districts)
    with _districts_lock:
        _districts.update({d.code: d for d in rows})
    return _districts


def _gp_place(gp) -> Place:
    district = gp.block_code[:4] if gp.block_code else gp.code[:4]
    return Place(
        gp.code,
        gp.name_en,
        gp.name_bn,
        gp.block_name_en,
        district,
        gp.district_name_en,
        gp.block_name_bn,
        gp.district_name_bn,
    )


def _ps_place(ps) -> Place:
    return Place(
        ps.code,
        ps.name_en,
        ps.name_bn,
        None,
        ps.district_code or ps.code[:4],
        ps.district_name_en,
        None,
        ps.district_name_bn,
    )


async def _search(fn, text: str, to_place) -> list[Place]:
    found: dict[str, Place] = {}
    for query in queries(text):
        try:
            rows = await call_portal(fn, query)
        except BadRequest:  # too short for the portal
            continue
        for row in rows:
            found.setdefault(row.code, to_place(row))
        if found:
            break
    return list(found.values())


async def _narrowed(places: list[Place], text: str) -> list[Place]:
    """Namesakes narrowed by a block or district name the user wrote next to the name."""
    if len(places) <= 1:
        return places
    said = key(text)
    districts = await _district_names()

    def mentioned(place: Place) -> bool:
        names = [place.block_en, place.district_en]
        district = districts.get(place.district_code or "")
        if district is not None:
            names += [district.name_bn, *district.aliases]
        return any(len(key(n)) >= 4 and key(n) in said for n in names if n)

    matching = [p for p in places if mentioned(p)]
    return matching or places


async def find_gram_panchayats(text: str, context: str | None = None) -> list[Place]:
    """GPs matching `text` (a code gives at most one); namesakes narrowed by a block or
    district named in `context` (the whole message, when an entity gave `text`)."""
    code = _GP_CODE.search(normalize(text or ""))
    if code:
        place = await gram_panchayat_by_code(code.group(1))
        return [place] if place else []
    found = await _search(portal().gram_panchayats, text, _gp_place)
    return await _narrowed(found, f"{text} {context or ''}")


async def find_panchayat_samitis(text: str, context: str | None = None) -> list[Place]:
    """Panchayat Samitis (blocks) matching `text` (a code gives at most one); namesakes
    narrowed by a district named in `context`."""
    code = _PS_CODE.search(normalize(text or ""))
    if code and not _GP_CODE.search(normalize(text or "")):
        place = await panchayat_samiti_by_code(code.group(1))
        return [place] if place else []
    found = await _search(portal().panchayat_samitis, text, _ps_place)
    return await _narrowed(found, f"{text} {context or ''}")


async def gram_panchayat_by_code(code: str) -> Place | None:
    try:
        rows = await call_portal(portal().gram_panchayats, None, block=code[:7])
    except (BadRequest, NotFound):
        return None
    return next((_gp_place(gp) for gp in rows if gp.code == code), None)


async def panchayat_samiti_by_code(code: str) -> Place | None:
    try:
        rows = await call_portal(portal().panchayat_samitis, None, district=code[:4])
    except (BadRequest, NotFound):
        return None
    return next((_ps_place(ps) for ps in rows if ps.code == code), None)


async def gram_panchayats_of_block(block_code: str) -> list[Place]:
    try:
        return [
            _gp_place(gp)
            for gp in await call_portal(portal().gram_panchayats, None, block=block_code)
        ]
    except (BadRequest, NotFound):
        return []


async def panchayat_samitis_of_district(district_code: str) -> list[Place]:
    try:
        return [
            _ps_place(ps)
            for ps in await call_portal(portal().panchayat_samitis, None, district=district_code)
        ]
    except (BadRequest, NotFound):
        return []


# --- the short choice ------------------------------------------------------------------------
async def choice_buttons(places: Sequence[Place], slot: str, lang: str) -> list[dict[str, str]]:
    """One button per place (at most 10): the place's name as the title and "<block>,
    <district>" (in the reply's language) as its description, so a WhatsApp list row shows the
    whole name and tells namesakes apart without cutting a word. Namesakes also get the block
    or district in the title (channels without descriptions), cut by whole graphemes. The
    payload is `/inform{"<slot>":"<code>"}`: the choice is routed by code, never by title."""
    places = list(places)[:MAX_CHOICES]
    limit = REPLY_BUTTON_TITLE if len(places) <= 3 else LIST_ROW_TITLE
    try:
        districts = await _district_names()
    except Exception:  # names in English are still a usable choice
        districts = {}

    def district_name(place: Place) -> str:
        district = districts.get(place.district_code or "")
        bengali = place.district_bn or getattr(district, "name_bn", None)
        english = place.district_en or getattr(district, "name_en", None)
        name = bengali if lang == "bn" and bengali else english
        return normalize(name, ascii_digits=False) if name else ""

    def block_name(place: Place) -> str:
        name = place.block_bn if lang == "bn" and place.block_bn else place.block_en
        return normalize(name, ascii_digits=False) if name else ""

    def where(place: Place) -> str:
        return ", ".join(part for part in (block_name(place), district_name(place)) if part)

    names = [p.name(lang) for p in places]
    titles = list(names)
    if len(set(titles)) < len(titles):
        titles = [f"{n}, {district_name(p)}" for n, p in zip(names, places)]
    if len(set(titles)) < len(titles):
        titles = [f"{n}, {block_name(p)}" for n, p in zip(names, places)]
    if len(set(titles)) < len(titles):
        titles = [f"{n} {p.code}" for n, p in zip(names, places)]
    buttons = []
    for title, place in zip(titles, places):
        button = {"title": shorten(title, limit), "payload": f'/inform{{"{slot}":"{place.code}"}}'}
        if where(place):
            button["description"] = where(place)
        buttons.append(button)
    return buttons
