"""Typed API errors: status + `{"error": {"code", "message", ...extra}}` (docs/portal-api.md)."""

from __future__ import annotations


class ApiError(Exception):
    status = 500
    code = "internal"

    def __init__(self, message: str, **extra):
        super().__init__(message)
        self.message = message
        self.extra = extra

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, **self.extra}}


class BadRequest(ApiError):
    status, code = 400, "bad_request"


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"


class NotYours(ApiError):
    status, code = 403, "not_yours"

    def __init__(
        self, message: str = "This record is not registered to the requesting mobile number."
    ):
        super().__init__(message)


class NotFound(ApiError):
    status, code = 404, "not_found"


class NotReady(ApiError):
    status, code = 409, "not_ready"


class Overlap(ApiError):
    status, code = 409, "overlap"


class Expired(ApiError):
    status, code = 410, "expired"


class TooMany(ApiError):
    status, code = 429, "too_many"


class Unavailable(ApiError):
    status, code = 503, "unavailable"
