"""User-perceived characters (grapheme clusters) and cutting text without breaking one.

A Bengali letter is often several code points (consonant + vowel sign, a conjunct joined by
the hasanta), so a cut by `len` can leave a bare hasanta or drop a vowel sign. Everything
that shortens text a user sees (button and list titles, message splitting) cuts here.
"""

from __future__ import annotations

import regex

ELLIPSIS = "…"
_CLUSTER = regex.compile(r"\X")
# A cluster that ends with one of these joins the next one: Bengali virama (hasanta) forms a
# conjunct with the following consonant (Unicode 15.1 GB9c, which regex 2022 predates), and
# ZWJ / ZWNJ belong with their neighbours.
JOINERS = ("\u09cd", "\u200d", "\u200c")


def graphemes(text: str) -> list[str]:
    """User-perceived characters, with Bengali conjuncts kept whole."""
    out: list[str] = []
    for match in _CLUSTER.finditer(text or ""):
        cluster = match.group()
        if out and out[-1].endswith(JOINERS):
            out[-1] += cluster
        else:
            out.append(cluster)
    return out


def fitting_prefix(text: str, limit: int) -> int:
    """Length (code points) of the longest prefix of whole graphemes within `limit`. Looks
    past the limit, so a cluster that straddles it is left out, not cut (0 when the first
    grapheme alone is longer than `limit`)."""
    size = 0
    for cluster in graphemes(text[: limit + 16]):
        if size + len(cluster) > limit:
            break
        size += len(cluster)
    return size


def shorten(text: str, limit: int, ellipsis: str = ELLIPSIS) -> str:
    """`text` within `limit` code points: whole when it fits, else cut at a word boundary
    (or, for one long word, a grapheme boundary) with an ellipsis."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    budget = max(limit - len(ellipsis), 1)
    cut = text[: fitting_prefix(text, budget)]
    # Prefer the last word boundary, when it keeps at least half of the room.
    boundary = cut.rfind(" ")
    if boundary >= budget // 2:
        cut = cut[:boundary]
    cut = cut.rstrip(" ,;:-/|(")
    return (cut + ellipsis) if cut else ellipsis


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` code points at a grapheme boundary, without an ellipsis
    (for echoing what the user typed)."""
    text = str(text or "")
    return text if len(text) <= limit else text[: fitting_prefix(text, limit)]
