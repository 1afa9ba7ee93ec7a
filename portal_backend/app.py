"""The Sanic application: service-key check, fault rehearsal, typed errors, routes."""

from __future__ import annotations

import asyncio
import hmac
import logging

from sanic import Sanic
from sanic.exceptions import MethodNotSupported, SanicException
from sanic.exceptions import NotFound as SanicNotFound

from portal_backend import config
from portal_backend.common import respond
from portal_backend.errors import ApiError, Unauthorized, Unavailable
from sathi import clock
from sathi.privacy import install_masking_filter

API = "/api/v1"
log = logging.getLogger(__name__)


def _key_ok(given: str | None, expected: str) -> bool:
    return hmac.compare_digest((given or "").encode(), expected.encode())


def create_app(name: str = "portal_backend") -> Sanic:
    from portal_backend.routes import (
        accounts,
        changes,
        dev,
        documents,
        geo,
        karmashree,
        me,
        otp,
        payroll,
        verifications,
    )

    expected_key = config.service_key()
    if not expected_key:
        raise SystemExit(
            "SATHI_PORTAL_SERVICE_KEY is not set; the portal refuses to start without a service key"
        )
    app = Sanic(name)
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.ctx.fault = {"mode": "none", "delay_seconds": 0.0}
    app.ctx.dev_routes = config.dev_routes_enabled()

    @app.middleware("request")
    async def guard(request):
        path = request.path
        if path == f"{API}/health":
            return None
        if not _key_ok(request.headers.get("x-service-key"), expected_key):
            return respond(Unauthorized("service key missing or wrong").body(), 401)
        if path.startswith(f"{API}/dev/"):
            return None
        fault = app.ctx.fault
        if fault["mode"] == "unavailable":
            return respond(Unavailable("the portal is temporarily unavailable").body(), 503)
        if fault["mode"] == "slow":
            await asyncio.sleep(fault["delay_seconds"])
        return None

    @app.get(f"{API}/health")
    async def health(request):
        return respond({"status": "ok", "clock": clock.now().isoformat()})

    for module in (
        me,
        geo,
        karmashree,
        documents,
        payroll,
        accounts,
        otp,
        verifications,
        changes,
        dev,
    ):
        module.register(app, API)

    @app.exception(ApiError)
    async def api_error(request, error: ApiError):
        return respond(error.body(), error.status)

    @app.exception(SanicNotFound)
    async def no_route(request, error):
        return respond({"error": {"code": "not_found", "message": "no such endpoint"}}, 404)

    @app.exception(MethodNotSupported)
    async def bad_method(request, error):
        return respond({"error": {"code": "bad_request", "message": "method not allowed"}}, 405)

    @app.exception(SanicException)
    async def sanic_error(request, error):
        status = getattr(error, "status_code", 400) or 400
        code = "bad_request" if status < 500 else "unavailable"
        return respond(
            {"error": {"code": code, "message": "request could not be handled"}},
            status if status != 500 else 503,
        )

    @app.exception(Exception)
    async def unexpected(request, error):
        log.error(
            "unexpected error on %s %s: %s", request.method, request.path, type(error).__name__
        )
        return respond(
            {"error": {"code": "internal", "message": "internal error; try again later"}}, 500
        )

    return app


def configure_logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    install_masking_filter()
    for name in ("sanic.root", "sanic.error", "sanic.access"):
        for handler in logging.getLogger(name).handlers:
            from sathi.privacy import MaskingFilter

            if not any(isinstance(f, MaskingFilter) for f in handler.filters):
                handler.addFilter(MaskingFilter())


def serve(host: str, port: int) -> None:
    app = create_app()
    configure_logging()
    log.info(
        "portal backend on http://%s:%d%s (dev routes %s)",
        host,
        port,
        API,
        "on" if app.ctx.dev_routes else "off",
    )
    app.run(host=host, port=port, workers=1, access_log=False, motd=False)
