"""Reference-backend-only routes: the outbox and fault rehearsal (off with
SATHI_PORTAL_DEV_ROUTES=0)."""

from __future__ import annotations

from sqlalchemy import select

from portal_backend.common import json_body, respond, run_db
from portal_backend.errors import BadRequest, NotFound
from portal_backend.models import OutboxMessage
from sathi.identifiers import parse_mobile

FAULT_MODES = ("none", "unavailable", "slow")
MAX_DELAY_SECONDS = 60.0


def outbox_messages(session, mobile: str | None, limit: int = 50) -> list[dict]:
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if mobile:
        stmt = stmt.where(OutboxMessage.mobile == mobile)
    return [
        {
            "id": m.id,
            "mobile": m.mobile,
            "channel": m.channel,
            "body": m.body,
            "created_at": m.created_at.isoformat(timespec="seconds"),
        }
        for m in session.execute(stmt).scalars()
    ]


def register(app, prefix: str) -> None:
    def enabled():
        if not app.ctx.dev_routes:
            raise NotFound("no such endpoint")

    @app.get(f"{prefix}/dev/outbox")
    async def outbox(request):
        enabled()
        raw = request.args.get("mobile")
        mobile = parse_mobile(raw) if raw else None
        if raw and mobile is None:
            raise BadRequest("mobile is not a mobile number")
        return respond(await run_db(outbox_messages, mobile))

    @app.post(f"{prefix}/dev/fault")
    async def fault(request):
        enabled()
        body = json_body(request)
        mode = body.get("mode")
        if mode not in FAULT_MODES:
            raise BadRequest(f"mode must be one of {', '.join(FAULT_MODES)}")
        delay = body.get("delay_seconds", 3 if mode == "slow" else 0)
        if (
            isinstance(delay, bool)
            or not isinstance(delay, (int, float))
            or not 0 <= delay <= MAX_DELAY_SECONDS
        ):
            raise BadRequest(f"delay_seconds must be 0-{MAX_DELAY_SECONDS:g}")
        app.ctx.fault = {"mode": mode, "delay_seconds": float(delay)}
        return respond(app.ctx.fault)

    @app.get(f"{prefix}/dev/fault")
    async def fault_state(request):
        enabled()
        return respond(app.ctx.fault)
