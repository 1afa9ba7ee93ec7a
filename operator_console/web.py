"""What both operator pages share: the staff login (HTTP basic auth from the environment) and
the security headers every response carries."""

from __future__ import annotations

import base64
import binascii
import hmac
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable

from aiohttp import web

from sathi.settings import settings

logger = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# Content from our own origin only: nothing is fetched from a CDN at run time.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


class StaffLogin:
    """Basic auth with SATHI_DASHBOARD_USER / SATHI_DASHBOARD_PASSWORD, compared in constant
    time. After `max_failures` wrong logins within a minute every login is refused for that
    minute (a guessing script gets nowhere; the staff wait a minute)."""

    realm = "Sathi dashboard"

    def __init__(self, user: str, password: str, max_failures: int = 20) -> None:
        if not password:
            raise ValueError(
                "SATHI_DASHBOARD_PASSWORD is not set: the dashboard refuses to start "
                "without a staff login"
            )
        self.user, self.password = user, password
        self.max_failures = max_failures
        self._failures: deque[float] = deque()

    @classmethod
    def from_env(cls) -> StaffLogin:
        config = settings()
        return cls(
            config.dashboard_user.strip() or "staff",
            config.dashboard_password.get_secret_value().strip(),
        )

    def _locked(self) -> bool:
        now = time.monotonic()
        while self._failures and now - self._failures[0] > 60:
            self._failures.popleft()
        return len(self._failures) >= self.max_failures

    def check(self, header: str | None) -> bool:
        if self._locked():
            return False
        ok = False
        if header and header.startswith("Basic "):
            try:
                user, _, password = (
                    base64.b64decode(header[6:], validate=True).decode().partition(":")
                )
            except (binascii.Error, UnicodeDecodeError):
                user, password = "", ""
            ok = hmac.compare_digest(user.encode(), self.user.encode()) & hmac.compare_digest(
                password.encode(), self.password.encode()
            )
        if header and not ok:
            self._failures.append(time.monotonic())
            logger.warning("dashboard: refused a login")
        return ok

    def middleware(self, open_paths: tuple = ("/health",)):
        @web.middleware
        async def require_login(request: web.Request, handler: Handler) -> web.StreamResponse:
            if request.path in open_paths or self.check(request.headers.get("Authorization")):
                return await handler(request)
            return web.Response(
                status=401,
                text="401: staff login required · কর্মীদের লগইন দরকার\n",
                headers={"WWW-Authenticate": f'Basic realm="{self.realm}", charset="UTF-8"'},
            )

        return require_login
