"""Who a mobile is to the portal, the portal's health, one-time codes and callbacks."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from portal_client.errors import BadRequest
from portal_client.transport import PortalTransport, parse_shape
from portal_client.types import CallbackTicket, MyRecords, OtpChallenge, OtpResult, PortalHealth
from sathi.text import normalize

_CODE = re.compile(r"\d{4,8}")


class IdentityCalls(PortalTransport):
    def health(self) -> PortalHealth:
        """`GET /health` (no requester); raises PortalUnavailable when the portal is down."""
        return parse_shape("health", PortalHealth.from_json, self._get_json("health", ("health",)))

    def my_records(self, *, mobile: str) -> MyRecords:
        """Every record the mobile owns or is registered for, and where it is an official."""
        data = self._get_json("records", ("me", "records"), mobile=mobile)
        return parse_shape("records", MyRecords.from_json, data)

    def send_otp(self, mobile: str, purpose: str) -> OtpChallenge:
        """Send a one-time code to `mobile` (never retried: a retry could send two codes).
        `TooManyAttempts` during a cool-down."""
        body = {"mobile": self._requester(mobile), "purpose": str(purpose)}
        _, data = self._post_json("otp", ("otp",), body)
        return parse_shape("otp", OtpChallenge.from_json, data)

    def verify_otp(self, otp_id: str, code: str) -> OtpResult:
        """Check a code (never retried: each try counts). `OtpResult.verified` False with
        `tries_left` after a wrong code; `TooManyAttempts` when the tries are used up;
        `OtpExpired` when the code is too old."""
        digits = re.sub(r"[\s-]", "", normalize(str(code or "")))
        if not _CODE.fullmatch(digits):
            raise BadRequest("a one-time code is 4 to 8 digits", area="otp")
        _, data = self._post_json("otp", ("otp", "verify"), {"otp_id": str(otp_id), "code": digits})
        return parse_shape("otp", OtpResult.from_json, data)

    def request_callback(
        self, mobile: str, topic: str, context: Mapping[str, Any] | None = None
    ) -> CallbackTicket:
        """Ask the helpline to call `mobile` back about `topic` (never retried: a retry
        could open two tickets)."""
        body = {
            "mobile": self._requester(mobile),
            "topic": str(topic),
            "context": dict(context or {}),
        }
        _, data = self._post_json("callbacks", ("callbacks",), body)
        return parse_shape("callbacks", CallbackTicket.from_json, data)
