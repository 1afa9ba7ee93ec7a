"""Helpers shared by the route modules: DB work off the event loop, requester identity,
id and month parsing, JSON encoding of dates."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any
from urllib.parse import unquote

from sanic.response import json as sanic_json

from portal_backend import db
from portal_backend.errors import BadRequest, NotYours
from sathi.clock import FinancialYear
from sathi.identifiers import parse_mobile


async def run_db(fn, *args, **kwargs):
    """Run a blocking DB function in the default thread pool with its own session."""

    def work():
        with db.session_scope() as session:
            return fn(session, *args, **kwargs)

    return await asyncio.get_running_loop().run_in_executor(None, partial(work))


def plain(value):
    """Dates to ISO strings, recursively."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def respond(body, status: int = 200):
    return sanic_json(plain(body), status=status, ensure_ascii=False)


def param(raw: str) -> str:
    """A path parameter as the caller meant it (Sanic leaves %2F encoded)."""
    return unquote(raw or "")[:120]


def requester_mobile(request) -> str:
    raw = request.headers.get("x-requester-mobile")
    mobile = parse_mobile(raw)
    if not mobile:
        raise BadRequest(
            "X-Requester-Mobile header missing or not a mobile number "
            "(expected 91 followed by 10 digits)"
        )
    return mobile


def require_owner(owner_mobile: str, requester: str) -> None:
    if owner_mobile != requester:
        raise NotYours()


_MONTH = re.compile(r"^(20\d\d)-?(0[1-9]|1[0-2])$")


def parse_month(raw: str) -> str:
    """`2026-10` or `202610` -> `2026-10`; anything else is 400."""
    match = _MONTH.match(param(raw).strip())
    if not match:
        raise BadRequest("month must be YYYY-MM, e.g. 2026-10")
    return f"{match.group(1)}-{match.group(2)}"


def parse_fy(raw: str) -> FinancialYear:
    text = param(raw).strip()
    if not re.fullmatch(r"20\d\d-(\d\d|20\d\d)", text):
        raise BadRequest("financial year must look like 2024-25")
    try:
        return FinancialYear.parse(text)
    except ValueError:
        raise BadRequest("financial year must look like 2024-25") from None


def json_body(request) -> dict:
    try:
        body = request.json
    except Exception:
        raise BadRequest("body must be a JSON object") from None
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object")
    return body


def pdf_response(content: bytes, filename: str):
    from sanic.response import raw

    return raw(
        content,
        content_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


async def render_pdf(renderer, data: dict, *, kind: str, record_ref: str, issued_on=None) -> bytes:
    """Give the document its verification code (portal_backend/verification.py), then render
    off the event loop (fpdf2 is CPU work); the code and its QR are printed on the PDF."""
    from portal_backend import verification

    code = await run_db(verification.issue_for, kind, record_ref, issued_on, data)
    return await asyncio.get_running_loop().run_in_executor(
        None, renderer, {**data, "verification": code}
    )


# --- a record and its PDF: `GET <path>` and `GET <path>/pdf` -----------------------------------
@dataclass(frozen=True)
class PdfOfRecord:
    """How a record (the dict its status route answers) becomes its PDF: `ready(record)` or
    NotReady(`not_ready`, status=record["status"]); the renderer gets `data(record)`; the
    verification code is issued for `kind` / `record_ref(record)` / `issued_on(record)`."""

    renderer: Callable[[dict], bytes]
    kind: str
    ready: Callable[[dict], bool]
    not_ready: str
    record_ref: Callable[[dict], str]
    filename: Callable[[dict], str]
    issued_on: Callable[[dict], Any] = lambda record: None
    data: Callable[[dict], dict] = lambda record: record


def record_routes(
    app,
    path: str,
    name: str,
    load: Callable[..., Awaitable[dict]],
    pdf: PdfOfRecord,
    status_keys: Sequence[str] | None = None,
) -> None:
    """`GET <path>`: the record as JSON (only `status_keys` when given); `GET <path>/pdf`: its
    PDF. `load(mobile, **path_params)` reads the record for the requesting mobile (and
    raises BadRequest / NotFound / NotYours)."""
    from portal_backend.errors import NotReady

    async def status(request, **params):
        record = await load(requester_mobile(request), **params)
        return respond(record if status_keys is None else {k: record[k] for k in status_keys})

    async def document(request, **params):
        record = await load(requester_mobile(request), **params)
        if not pdf.ready(record):
            raise NotReady(pdf.not_ready, status=record["status"])
        content = await render_pdf(
            pdf.renderer,
            pdf.data(record),
            kind=pdf.kind,
            record_ref=pdf.record_ref(record),
            issued_on=pdf.issued_on(record),
        )
        return pdf_response(content, pdf.filename(record))

    app.add_route(status, path, methods=["GET"], name=f"{name}_status")
    app.add_route(document, f"{path}/pdf", methods=["GET"], name=f"{name}_pdf")
