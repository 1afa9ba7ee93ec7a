"""Numbered button choices for `rasa shell` (the `cmdline` channel).

Rasa's console turns a reply's buttons into a questionary menu that captures whatever is
typed next; Sathi's NLG (channels/document_nlg.py) instead prints them as numbered lines and
`offer`s their payloads here. The NLU's first component (sathi_nlu/normalizer.py) asks
`take` for each message: a bare number of an offered choice ("2", "২") becomes that button's
payload, as a tap would send it; anything else is left as typed. Either way the offer is
then used up.

The offer is process-wide: `rasa shell` serves exactly one conversation per process, and no
other channel ever makes an offer (the rasa server never renders for `cmdline`).
"""

from __future__ import annotations

import threading
from typing import Any

from sathi.text import normalize

_lock = threading.Lock()
_offered: list[str] = []


def as_text(text: str, buttons: list[dict[str, Any]], language: str) -> str:
    """The reply's text followed by its buttons as numbered choices."""
    lines = [text] if text else []
    lines += [f"  {i}. {b.get('title', '')}" for i, b in enumerate(buttons, 1)]
    lines.append(
        "  (নম্বর লিখুন, বা নিজের কথায় লিখুন)"
        if language != "en"
        else "  (type a number, or write in your own words)"
    )
    return "\n".join(lines)


def offer(buttons: list[dict[str, Any]]) -> None:
    with _lock:
        _offered[:] = [str(b.get("payload") or b.get("title") or "") for b in buttons]


def take(text: str | None) -> str | None:
    """The payload of the offered choice `text` names, or None; the offer is used up."""
    with _lock:
        offered, _offered[:] = list(_offered), []
    if not offered or not isinstance(text, str):
        return None
    typed = normalize(text).strip().rstrip(".")
    if typed.isdigit() and 1 <= int(typed) <= len(offered):
        return offered[int(typed) - 1] or None
    return None
