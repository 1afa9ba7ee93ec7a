"""Place-name normalization and search keys.

A name key is what is left of a name after folding everything people write differently:
Unicode normalization (sathi.text), case, spaces, dashes and dots, a trailing Roman numeral
(`Amta-I` = `Amta 1` = `আমতা-১`), and in Bengali the spellings that vary in practice
(ী/ি, ূ/ু, ণ/ন, শ/ষ/স, ড়/র, য়/য, candrabindu, hasanta).
"""

from __future__ import annotations

import re

from sathi.text import normalize

_BN_FOLD = str.maketrans(
    {
        "\u09c0": "\u09bf",
        "\u09c2": "\u09c1",
        "\u09a3": "\u09a8",
        "\u09b6": "\u09b8",
        "\u09b7": "\u09b8",
        "\u09dc": "\u09b0",
        "\u09dd": "\u09b0",
        "\u09df": "\u09af",
        "\u0981": None,
        "\u09cd": None,
        "\u09ce": "\u09a4",
        "\u0983": None,
    }
)
_ROMAN_SUFFIX = re.compile(r"[\s\-\.]+(iii|ii|iv|i)$")
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
_NOT_KEY = re.compile(r"[^0-9a-z\u0980-\u09ff]")
_WORDS_IGNORED = re.compile(
    r"\b(district|zilla|block|gram panchayat|panchayat samiti|gp|ps|"
    r"জেলা|ব্লক|গ্রাম পঞ্চায়েত|পঞ্চায়েত সমিতি)\b"
)


def name_key(text: str | None) -> str:
    """`'  Amta - I '` -> `amta1`; `'হুগলী'` -> same key as `'হুগলি'`. Never raises."""
    if not text:
        return ""
    out = normalize(str(text)).lower()
    out = _WORDS_IGNORED.sub(" ", out).strip()
    out = re.sub(r"[\s\-\.]+$", "", out)
    match = _ROMAN_SUFFIX.search(out)
    if match and match.start() > 0:
        out = out[: match.start()] + _ROMAN[match.group(1)]
    out = out.translate(_BN_FOLD)
    return _NOT_KEY.sub("", out)


def all_keys(name_en: str, name_bn: str, aliases) -> list[str]:
    keys = []
    for value in [name_en, name_bn, *list(aliases or [])]:
        key = name_key(value)
        if key and key not in keys:
            keys.append(key)
    return keys
