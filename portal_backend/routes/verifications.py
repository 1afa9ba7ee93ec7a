"""`/verifications/{code}`: is a document with this verification code one the department
issued — its kind, issuing office, date and whether it was later withdrawn or superseded.
Nothing personal is said (no name, amount or record number); unknown codes are 404."""

from __future__ import annotations

from portal_backend import verification
from portal_backend.common import param, respond, run_db
from portal_backend.errors import NotFound


def lookup(session, raw):
    found = verification.lookup(session, param(raw))
    if found is None:
        raise NotFound("no document with this verification code was issued by the department")
    return found


def register(app, prefix: str) -> None:
    @app.get(f"{prefix}/verifications/<code:str>")
    async def verify(request, code):
        return respond(await run_db(lookup, code))
