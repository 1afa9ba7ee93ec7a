"""`GET /changes?after=<cursor>&limit=N`: the change feed (portal_backend/changes.py)."""

from __future__ import annotations

from portal_backend import changes
from portal_backend.common import respond, run_db
from portal_backend.errors import BadRequest


def _int(raw, name: str, default: int, low: int, high: int) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise BadRequest(f"{name} must be a whole number") from None
    if not low <= value <= high:
        raise BadRequest(f"{name} must be {low}-{high}")
    return value


def register(app, prefix: str) -> None:
    @app.get(f"{prefix}/changes")
    async def change_feed(request):
        after = _int(request.args.get("after"), "after", 0, 0, 2**62)
        limit = _int(request.args.get("limit"), "limit", 100, 1, changes.MAX_PAGE)
        return respond(await run_db(changes.feed, after, limit))
