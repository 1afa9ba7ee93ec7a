"""Parsers for the identifiers people type: job cards (both shapes), application, booking and
employee numbers, mobile numbers, month and GP/PS codes.

Every parser takes raw user text (any case, spaces, Bengali digits, missing dashes) and returns
the canonical form, or None when the text is not that identifier. They never raise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sathi.text import normalize

_DIGIT_GROUPS = re.compile(r"\d+")


@dataclass(frozen=True)
class JobCardNumber:
    """A MGNREGS job card household. NREGA shape `WB-DD-BBB-PPP-VVV/FFF`; the Karmashree
    portal writes the same household as `WB-32DDBBBPPP-<sansad>-<family>`."""

    district: int
    block: int
    panchayat: int
    village: int
    family: int

    @property
    def nrega(self) -> str:
        return (
            f"WB-{self.district:02d}-{self.block:03d}-{self.panchayat:03d}-"
            f"{self.village:03d}/{self.family:03d}"
        )

    @property
    def karmashree(self) -> str:
        return f"WB-{self.nrega_gp_code}-{self.village}-{self.family}"

    @property
    def nrega_gp_code(self) -> str:
        return f"32{self.district:02d}{self.block:03d}{self.panchayat:03d}"

    def __str__(self) -> str:
        return self.nrega


def _fits(groups: list[str], widths: tuple[int, ...]) -> bool:
    return len(groups) == len(widths) and all(0 < len(g) <= w for g, w in zip(groups, widths))


def parse_job_card(text: str | None) -> JobCardNumber | None:
    """Accepts `WB-08-012-002-002/270`, `wb 08 012 002 002 270`, `WB-3201009009-5-123`,
    `WB08012002002270`, Bengali digits; returns None for anything else."""
    if not text:
        return None
    raw = normalize(str(text))[:80].upper()
    body = raw[2:] if raw.startswith("WB") else raw
    if re.search(r"[A-Z]", body):
        return None
    groups = _DIGIT_GROUPS.findall(body)
    parts: list[str] | None = None
    if _fits(groups, (2, 3, 3, 3, 3)):
        parts = groups
    elif len(groups) == 3 and len(groups[0]) == 10 and groups[0].startswith("32"):
        code = groups[0]
        if 0 < len(groups[1]) <= 3 and 0 < len(groups[2]) <= 3:
            parts = [code[2:4], code[4:7], code[7:10], groups[1], groups[2]]
    elif len(groups) == 1 and len(groups[0]) == 14 and not groups[0].startswith("32"):
        g = groups[0]
        parts = [g[0:2], g[2:5], g[5:8], g[8:11], g[11:14]]
    elif len(groups) == 2 and len(groups[0]) == 11 and 0 < len(groups[1]) <= 3:
        g = groups[0]
        parts = [g[0:2], g[2:5], g[5:8], g[8:11], groups[1]]
    if parts is None:
        return None
    numbers = [int(p) for p in parts]
    if not 1 <= numbers[0] <= 99 or any(n == 0 for n in numbers[1:3]) or numbers[4] == 0:
        return None
    return JobCardNumber(*numbers)


# Reference-backend document numbers: PREFIX-YYYY-NNNNNN (see docs/identifiers.md).
DOCUMENT_PREFIXES = {
    "trade_noc_application": "TN",
    "trade_noc_certificate": "TNC",
    "building_plan_application": "BP",
    "tourism_booking": "PTB",
}


def parse_prefixed_number(text: str | None, prefix: str) -> str | None:
    """`tn 2026 4512`, `TN-2026-004512`, `tn/2026/4512` -> `TN-2026-004512`."""
    if not text:
        return None
    compact = re.sub(r"[^A-Z0-9]", "", normalize(str(text))[:60].upper())
    match = re.fullmatch(rf"{prefix}(20\d\d)(\d{{1,6}})", compact)
    if not match:
        return None
    return f"{prefix}-{match.group(1)}-{int(match.group(2)):06d}"


def parse_trade_noc_number(text: str | None) -> str | None:
    """Application (`TN-…`) or certificate (`TNC-…`) number."""
    return parse_prefixed_number(text, "TNC") or parse_prefixed_number(text, "TN")


def parse_building_plan_number(text: str | None) -> str | None:
    return parse_prefixed_number(text, "BP")


def parse_booking_number(text: str | None) -> str | None:
    return parse_prefixed_number(text, "PTB")


def parse_employee_id(text: str | None) -> str | None:
    """`WBP-1002345`, `wbp 1002345`, `WBP1002345` -> `WBP-1002345`."""
    if not text:
        return None
    compact = re.sub(r"[^A-Z0-9]", "", normalize(str(text))[:40].upper())
    match = re.fullmatch(r"WBP(\d{7})", compact)
    return f"WBP-{match.group(1)}" if match else None


def parse_mobile(text: str | None) -> str | None:
    """Any Indian mobile (`98000 00001`, `+91 9800000001`, `09800000001`, Bengali digits)
    -> WhatsApp form `919800000001`."""
    if not text:
        return None
    digits = re.sub(r"\D", "", normalize(str(text))[:40])
    if len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] not in "6789":
        return None
    return "91" + digits


_WA_INDIAN_MOBILE = re.compile(r"91[6-9][0-9]{9}")


def whatsapp_indian_mobile(wa_id: str | None) -> str | None:
    """A WhatsApp `wa_id` (the full international number without `+`) that is an Indian
    mobile: exactly `91` + 10 digits starting 6-9. Anything else (Singapore `6591234567`,
    Maldives `9607…`, a bare `9800000001`) is a foreign or malformed sender, never an Indian
    mobile: unlike `parse_mobile`, nothing is added or dropped."""
    if not isinstance(wa_id, str):
        return None
    return wa_id if _WA_INDIAN_MOBILE.fullmatch(wa_id) else None


# --- finding an identifier inside a longer message ---------------------------------------
_JOB_CARD_CANDIDATE = re.compile(r"(?:W\s*B)?[\s\-./]*\d[\d\s\-./]{6,40}\d", re.IGNORECASE)


def find_job_card(text: str | None) -> JobCardNumber | None:
    """The first job card number written anywhere in a message ("amar job card WB 08 012 002
    002 270 e koto din?")."""
    if not text:
        return None
    clean = normalize(str(text))[:600]
    for match in _JOB_CARD_CANDIDATE.finditer(clean):
        candidate = match.group(0)
        # try the longest candidate first, then trim trailing groups (a date or count after it)
        parts = re.split(r"(\s+)", candidate)
        while parts:
            card = parse_job_card("".join(parts))
            if card:
                return card
            parts = parts[:-2] if len(parts) > 2 else []
    return None


def find_prefixed_number(text: str | None, prefix: str) -> str | None:
    """The first `PREFIX-YYYY-NNNNNN` written anywhere in a message, loosely typed."""
    if not text:
        return None
    clean = normalize(str(text))[:600]
    pattern = re.compile(
        rf"(?<![A-Za-z]){prefix}[\s\-/.]*20\d\d[\s\-/.]*\d{{1,6}}(?!\d)", re.IGNORECASE
    )
    match = pattern.search(clean)
    return parse_prefixed_number(match.group(0), prefix) if match else None


def find_employee_id(text: str | None) -> str | None:
    if not text:
        return None
    match = re.search(
        r"(?<![A-Za-z])WBP[\s\-/.]*\d{7}(?!\d)", normalize(str(text))[:600], re.IGNORECASE
    )
    return parse_employee_id(match.group(0)) if match else None
