"""Masking of personal data for logs: phone numbers keep their last 4 digits, link tokens
and one-time codes never appear."""
from __future__ import annotations

import logging
import re

_PHONE = re.compile(r"(?<!\d)(?:91)?[6-9]\d{9}(?!\d)")
_TOKEN_IN_URL = re.compile(r"(/documents/)[A-Za-z0-9_\-]{16,}")


def mask_phone(number: str | None) -> str:
    digits = "".join(ch for ch in str(number or "") if ch.isdigit())
    if len(digits) < 4:
        return "****"
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_text(text: str) -> str:
    text = _PHONE.sub(lambda m: mask_phone(m.group(0)), text)
    return _TOKEN_IN_URL.sub(r"\1<token>", text)


class MaskingFilter(logging.Filter):
    """A logging filter that rewrites every record with phone numbers and link tokens masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not break logging
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def install_masking_filter() -> None:
    """Attach the filter to every handler of the root logger (idempotent)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())
