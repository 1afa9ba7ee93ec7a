"""Masking of personal data and secrets for logs.

- phone numbers keep their last 4 digits (`********0001`), however spaced (`98000 00001`,
  `+91 98000-00001`); so does any other run of 11-15 digits (foreign WhatsApp ids);
- one-time codes: every standalone 6-digit number, also spaced `123 456` (ASCII or Bengali
  digits), becomes `<code>` (a log cannot tell a code from another 6-digit number, so none is
  kept: PIN codes too);
- download-link tokens (`/documents/<token>`, `token=...`) become `<token>`;
- secrets (`Bearer ...`, `X-Service-Key: ...`, `access_token=...`) become `<secret>`.

`install_masking_filter()` installs it for the whole process: a log-record factory (every
record of every logger, whatever handler writes it, Rasa's structlog events included — Rasa
3.6 routes structlog through the standard `logging` module) plus a filter on every handler
that exists (for attributes added after the record was made, like Sanic's `request`).
It also wraps the process's stderr (and stdout when it is not a terminal) so that what does
not go through `logging` — Python's `warnings` (Rasa's "could not parse /intent{...}"),
tracebacks, prints — is masked before it reaches a log file.
It is idempotent; the rasa server, the action server and the portal backend call it.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

# An Indian mobile however it is spaced: `9800000001`, `98000 00001`, `+91 98000-00001`,
# `919800000001`, Bengali digits.
_PHONE = re.compile(r"(?<![\d০-৯])(?:\+?91[ \-]?)?[6-9৬-৯](?:[ \-]?[\d০-৯]){9}(?![\d০-৯])")
# Any other long number (a foreign WhatsApp id is 11-15 digits): keep the last 4 too.
_LONG_NUMBER = re.compile(r"(?<![\d০-৯A-Za-z])\+?[\d০-৯]{11,15}(?![\d০-৯])")
_CODE = re.compile(
    r"(?<![\d০-৯A-Za-z\-/.:])(?:[\d০-৯]{6}|[\d০-৯]{3}[ \-][\d০-৯]{3})"
    r"(?![\d০-৯A-Za-z\-/:])"
)
_TOKEN_IN_URL = re.compile(r"(/documents/)[A-Za-z0-9_\-]{8,}")
_TOKEN_FIELD = re.compile(
    r"""((?:token|otp_code|code)["']?\s*[:=]\s*["']?)[A-Za-z0-9_\-]{6,}""", re.IGNORECASE
)
_SECRET = re.compile(
    r"""((?:Bearer|X-Service-Key["']?\s*[:=]|X-Hub-Signature-256["']?\s*[:=]|"""
    r"""access_token["']?\s*[:=]|app_secret["']?\s*[:=]|auth_token["']?\s*[:=]|"""
    r"""service_key["']?\s*[:=])\s*["']?)[A-Za-z0-9_\-=.+/]{8,}""",
    re.IGNORECASE,
)


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
    text = _LONG_NUMBER.sub(lambda m: mask_phone(m.group(0)), text)
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
    for name in ("request", "host"):  # Sanic's access-log attributes
        value = getattr(record, name, None)
        if isinstance(value, str):
            setattr(record, name, mask_text(value))
    record._sathi_masked = True


class MaskingFilter(logging.Filter):
    """A logging filter that rewrites every record with personal data and secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        record._sathi_masked = False  # attributes may have been added since the factory ran
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

        def masking_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            _mask_record(record)
            return record

        logging.setLogRecordFactory(masking_factory)
        _factory_installed = True


def _all_handlers() -> Iterator[Any]:  # logging.Handler; some hold a `stream`
    yield from logging.getLogger().handlers
    for logger in list(logging.Logger.manager.loggerDict.values()):
        yield from getattr(logger, "handlers", []) or []


class MaskingStream:
    """A text stream that masks what is written to it, then writes it on."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if isinstance(text, str):
            try:
                text = mask_text(text)
            except Exception:  # masking must never lose the write itself
                pass
        return self._stream.write(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _wrap_std_streams() -> None:
    import sys

    if not isinstance(sys.stderr, MaskingStream) and sys.stderr is not None:
        sys.stderr = MaskingStream(sys.stderr)
    out = sys.stdout
    if out is not None and not isinstance(out, MaskingStream):
        try:
            interactive = out.isatty()
        except Exception:
            interactive = False
        if not interactive:  # a terminal is a person reading replies (`rasa shell`)
            sys.stdout = MaskingStream(out)
    for handler in _all_handlers():  # handlers made earlier hold the unwrapped streams
        stream = getattr(handler, "stream", None)
        if (
            stream is not None
            and stream in (sys.__stderr__, sys.__stdout__)
            and not isinstance(stream, MaskingStream)
        ):
            if stream is sys.__stdout__ and not isinstance(sys.stdout, MaskingStream):
                continue
            handler.stream = MaskingStream(stream)


def install_masking_filter() -> None:
    """Mask every log record and every write to stderr of this process (idempotent; call
    again after new handlers)."""
    _install_record_factory()
    for handler in _all_handlers():
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())
    _wrap_std_streams()
