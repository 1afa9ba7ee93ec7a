"""The exceptions of the portal client, one per thing a caller may want to do differently.

    PortalError                 anything the portal client raises on purpose
    ├── NotFound                404 not_found: no such record
    ├── NotYours                403 not_yours: the record exists, the requester may not have it
    ├── NotReady                409 not_ready: the PDF of a record not issued/paid/closed yet
    ├── DemandOverlap           409 overlap: a work demand overlapping an open one
    ├── OtpExpired              410 expired: the one-time code is no longer valid
    ├── TooManyAttempts         429 too_many: OTP tries exhausted / cool-down
    ├── BadRequest              400 bad_request, or an identifier that does not parse
    ├── Unauthorized            401: the service key is missing or wrong (a deployment bug)
    ├── BadDocument             the portal sent a "PDF" that failed the pypdf check
    └── PortalUnavailable       connection error, timeout, 5xx, an unreadable answer
        └── CircuitOpen         the breaker of that service area is open: failed fast

Messages are English, for logs, and never carry a phone number, the service key or
document bytes. What a user is told is the caller's business (and language).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class PortalError(Exception):
    """Base of every error the portal client raises on purpose."""

    def __init__(
        self,
        message: str,
        *,
        area: str | None = None,
        http_status: int | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.area = area
        self.http_status = http_status
        self.code = code

    def __str__(self) -> str:
        where = f"[{self.area}] " if self.area else ""
        status = f" (HTTP {self.http_status})" if self.http_status else ""
        return f"{where}{self.message}{status}"


class NotFound(PortalError):
    """No such record."""


class NotYours(PortalError):
    """The record exists but the requester's mobile is not entitled to it."""


class NotReady(PortalError):
    """The record exists but its document is not issued / paid / confirmed / closed yet.

    `status` is the record's status as the portal gave it (e.g. `under_verification`,
    `processing`, `not_closed`), or None when the portal did not say."""

    def __init__(self, message: str, *, status: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.status = status


class DemandOverlap(PortalError):
    """The work demand overlaps an open demand; `open_demand` is that demand (a
    `portal_client.types.WorkDemand`, or None when the portal did not describe it)."""

    def __init__(self, message: str, *, open_demand: Any = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.open_demand = open_demand


class OtpExpired(PortalError):
    """The one-time code expired (or its challenge is unknown): send a new one."""


class TooManyAttempts(PortalError):
    """Too many OTP requests or wrong codes; try again after `retry_after_seconds`."""

    def __init__(
        self, message: str, *, retry_after_seconds: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.retry_after_seconds = retry_after_seconds


class BadRequest(PortalError):
    """The request was malformed: an identifier, month or body the portal (or the client,
    before sending) rejected. Usually the caller should have validated the input."""


class Unauthorized(PortalError):
    """The portal refused the service key: a deployment bug, never the user's fault."""


class BadDocument(PortalError):
    """The portal answered with bytes that are not a usable PDF; nothing may be sent on."""


class PortalUnavailable(PortalError):
    """The portal could not be reached or did not answer sensibly (connection error,
    timeout, 5xx, HTML error page, unreadable JSON). Worth trying again later."""


class CircuitOpen(PortalUnavailable):
    """Failed fast: this service area failed repeatedly and is cooling down."""


def _first(mapping: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        if key in mapping and mapping[key] is not None:
            return mapping[key]
    return None


def _as_int(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def error_from_response(
    http_status: int,
    body: Any,
    *,
    area: str,
    retry_after_header: str | None = None,
) -> PortalError:
    """The exception for a non-2xx answer. `body` is the decoded JSON, or None when the body
    was not JSON (an HTML error page from a gateway, say)."""
    envelope = body.get("error") if isinstance(body, dict) else None
    if not isinstance(envelope, dict):
        envelope = None
    if http_status == 401:
        return Unauthorized(
            "the portal refused the service key (check SATHI_PORTAL_SERVICE_KEY)",
            area=area,
            http_status=http_status,
            code="unauthorized",
        )
    if http_status >= 500 or envelope is None:
        what = "the portal is unavailable" if http_status >= 500 else "unexpected answer"
        return PortalUnavailable(
            what,
            area=area,
            http_status=http_status,
            code=envelope.get("code") if envelope else None,
        )
    code = str(envelope.get("code") or "")
    message = str(envelope.get("message") or code or "portal error")[:300]
    # Extra fields may sit inside the error envelope or beside it.
    extras: dict[str, Any] = dict(body) if isinstance(body, dict) else {}
    extras.update(envelope)
    common: dict[str, Any] = dict(area=area, http_status=http_status, code=code or None)

    if code == "not_found" or (not code and http_status == 404):
        return NotFound(message, **common)
    if code == "not_yours" or (not code and http_status == 403):
        return NotYours(message, **common)
    if code == "overlap":
        from portal_client.types import WorkDemand  # the types import nothing from here

        raw = extras.get("open_demand")
        open_demand = WorkDemand.from_json(raw) if isinstance(raw, dict) else None
        return DemandOverlap(message, open_demand=open_demand, **common)
    if code == "not_ready" or (not code and http_status == 409):
        status = _first(extras, "status", "record_status")
        return NotReady(message, status=str(status) if status is not None else None, **common)
    if code == "expired" or http_status == 410:
        return OtpExpired(message, **common)
    if code == "too_many" or http_status == 429:
        retry = _as_int(_first(extras, "retry_after_seconds"))
        if retry is None:
            retry = _as_int(retry_after_header)
        return TooManyAttempts(message, retry_after_seconds=retry, **common)
    if code == "bad_request" or http_status in (400, 422):
        return BadRequest(message, **common)
    if code == "unauthorized":
        return Unauthorized(message, **common)
    return PortalError(message, **common)
