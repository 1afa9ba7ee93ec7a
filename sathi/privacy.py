"""Masking of personal data and secrets for logs.

- phone numbers keep their last 4 digits (`********0001`);
- one-time codes: every standalone 6-digit number (ASCII or Bengali digits) becomes `<code>`
  (a log cannot tell a code from another 6-digit number, so none is kept: PIN codes too);
- download-link tokens (`/documents/<token>`, `token=...`) become `<token>`;
- secrets (`Bearer ...`, `X-Service-Key: ...`, `access_token=...`) become `<secret>`.

`install_masking_filter()` installs it for the whole process: a log-record factory (every
record of every logger, whatever handler writes it, Rasa's structlog events included — Rasa
3.6 routes structlog through the standard `logging` module) plus a filter on every handler
that exists (for attributes added after the record was made, like Sanic's `request`).
It is idempotent; the rasa server, the action server and the portal backend call it.
"""
from __future__ import annotations

import logging
import re
import threading

_PHONE = re.compile(r"(?<![\d০-৯])(?:\+?91[ \-]?)?[6-9৬-৯][\d০-৯]{9}(?![\d০-৯])")
_CODE = re.compile(r"(?<![\d০-৯A-Za-z\-/.])[\d০-৯]{6}(?![\d০-৯A-Za-z\-/])")
_TOKEN_IN_URL = re.compile(r"(/documents/)[A-Za-z0-9_\-]{8,}")
_TOKEN_FIELD = re.compile(r"""((?:token|otp_code|code)["']?\s*[:=]\s*["']?)[A-Za-z0-9_\-]{6,}""",
                          re.IGNORECASE)
_SECRET = re.compile(r"""((?:Bearer|X-Service-Key["']?\s*[:=]|X-Hub-Signature-256["']?\s*[:=]|"""
                     r"""access_token["']?\s*[:=]|app_secret["']?\s*[:=]|auth_token["']?\s*[:=]|"""
                     r"""service_key["']?\s*[:=])\s*["']?)[A-Za-z0-9_\-=.+/]{8,}""",
                     re.IGNORECASE)


def mask_phone(number: str | None) -> str:
    digits = "".join(ch for ch in str(number or "") if ch.isdigit())
    if len(digits) < 4:
        return "****"
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_text(text: str) -> str:
    """`text` with phone numbers, codes, link tokens and secrets masked."""
    if not text:
        return text
    text = _SECRET.sub(r"\1<secret>", text)
    text = _TOKEN_IN_URL.sub(r"\1<token>", text)
    text = _TOKEN_FIELD.sub(r"\1<token>", text)
    text = _PHONE.sub(lambda m: mask_phone(m.group(0)), text)
    return _CODE.sub("<code>", text)


def _mask_record(record: logging.LogRecord) -> None:
    if getattr(record, "_sathi_masked", False):
        return
    try:
        message = record.getMessage()
    except Exception:  # a broken format string must not break logging
        return
    masked = mask_text(message)
    if masked != message:
        record.msg, record.args = masked, None
    for name in ("request", "host"):          # Sanic's access-log attributes
        value = getattr(record, name, None)
        if isinstance(value, str):
            setattr(record, name, mask_text(value))
    record._sathi_masked = True


class MaskingFilter(logging.Filter):
    """A logging filter that rewrites every record with personal data and secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        record._sathi_masked = False   # attributes may have been added since the factory ran
        _mask_record(record)
        return True


_install_lock = threading.Lock()
_factory_installed = False


def _install_record_factory() -> None:
    global _factory_installed
    with _install_lock:
        if _factory_installed:
            return
        previous = logging.getLogRecordFactory()

        def masking_factory(*args, **kwargs) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            _mask_record(record)
            return record

        logging.setLogRecordFactory(masking_factory)
        _factory_installed = True


def _all_handlers():
    yield from logging.getLogger().handlers
    for logger in list(logging.Logger.manager.loggerDict.values()):
        yield from getattr(logger, "handlers", []) or []


def install_masking_filter() -> None:
    """Mask every log record of this process (idempotent; call again after new handlers)."""
    _install_record_factory()
    for handler in _all_handlers():
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())
