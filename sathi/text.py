"""Text normalization shared by the NLU component, the actions and the parsers.

- Unicode NFC, with the Bengali letters that have two encodings folded to one
  (য় / য + nukta, ড় / ড + nukta, ঢ় / ঢ + nukta);
- zero-width characters removed (ZWJ, ZWNJ, ZWSP, BOM, word joiner);
- danda / double danda turned into a full stop;
- Bengali digits (০-৯) to ASCII, for identifiers and numbers.
"""

from __future__ import annotations

import re
import unicodedata

BENGALI_DIGITS = "০১২৩৪৫৬৭৮৯"
_TO_ASCII_DIGITS = str.maketrans(BENGALI_DIGITS, "0123456789")
_TO_BENGALI_DIGITS = str.maketrans("0123456789", BENGALI_DIGITS)
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_NUKTA_FORMS = {
    "\u09af\u09bc": "\u09df",  # য + ় -> য়
    "\u09a1\u09bc": "\u09dc",  # ড + ় -> ড়
    "\u09a2\u09bc": "\u09dd",  # ঢ + ় -> ঢ়
}
_DANDA = re.compile("[\u0964\u0965]")
_SPACES = re.compile(r"\s+")
BENGALI_LETTER = re.compile("[\u0980-\u09ff]")


def bengali_digits_to_ascii(text: str) -> str:
    return text.translate(_TO_ASCII_DIGITS)


def ascii_digits_to_bengali(text: str) -> str:
    return text.translate(_TO_BENGALI_DIGITS)


def normalize(text: str, *, ascii_digits: bool = True) -> str:
    """Normalize a user message. Idempotent; never raises on any str."""
    if not text:
        return ""
    out = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    # NFC composes য়/ড়/ঢ় the "wrong" way round (they are composition exclusions): fold them.
    for decomposed, composed in _NUKTA_FORMS.items():
        out = out.replace(decomposed, composed)
    out = _DANDA.sub(".", out)
    if ascii_digits:
        out = bengali_digits_to_ascii(out)
    out = "".join(ch if (ch.isprintable() or ch in "\n\t") else " " for ch in out)
    return _SPACES.sub(" ", out).strip()


def has_bengali_script(text: str) -> bool:
    return bool(BENGALI_LETTER.search(text or ""))
