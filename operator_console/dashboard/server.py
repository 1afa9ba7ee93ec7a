"""The officials' dashboard process (both profiles): aggregates only, behind the staff login.

    python -m operator_console dashboard --host 127.0.0.1 --port 8073

Routes (all but /health need the login, see operator_console/web.py):
  GET /dashboard/?from=YYYY-MM-DD&to=YYYY-MM-DD   the page (default: the last 7 days)
  GET /dashboard/export.csv?from=&to=             the same numbers as CSV
  GET /dashboard/report.json?from=&to=            the same numbers as JSON
  GET /health
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
from datetime import date
from pathlib import Path

from aiohttp import web

from operator_console.dashboard import metrics, page
from operator_console.web import StaffLogin, security_headers

logger = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"


def date_range(request: web.Request) -> tuple[date, date]:
    """from/to query parameters; a missing or malformed one falls back to the last 7 days."""
    start, end = metrics.default_range()
    try:
        if request.query.get("from"):
            start = date.fromisoformat(request.query["from"])
        if request.query.get("to"):
            end = date.fromisoformat(request.query["to"])
    except ValueError:
        raise web.HTTPBadRequest(
            text="from / to must be dates as YYYY-MM-DD · তারিখ YYYY-MM-DD লিখুন\n"
        ) from None
    return start, end


async def _report(request: web.Request) -> metrics.Report:
    start, end = date_range(request)
    return await asyncio.to_thread(metrics.collect, start, end)


async def dashboard(request: web.Request) -> web.Response:
    report = await _report(request)
    return web.Response(text=page.render(report), content_type="text/html", charset="utf-8")


async def export_csv(request: web.Request) -> web.Response:
    report = await _report(request)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "key", "subkey", "value"])
    writer.writerows(metrics.csv_rows(report))
    name = f"sathi-dashboard-{report.start}-{report.end}.csv"
    return web.Response(
        text=out.getvalue(),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def report_json(request: web.Request) -> web.Response:
    return web.json_response((await _report(request)).as_dict())


async def health(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "service": "dashboard"})


async def to_dashboard(_: web.Request) -> web.Response:
    raise web.HTTPFound("/dashboard/")


def make_app(login: StaffLogin | None = None) -> web.Application:
    login = login or StaffLogin.from_env()
    app = web.Application(middlewares=[security_headers, login.middleware()])
    app.router.add_get("/health", health)
    app.router.add_get("/", to_dashboard)
    app.router.add_get("/dashboard", to_dashboard)
    app.router.add_get("/dashboard/", dashboard)
    app.router.add_get("/dashboard/export.csv", export_csv)
    app.router.add_get("/dashboard/report.json", report_json)
    app.router.add_static("/dashboard/static/", STATIC)
    return app
