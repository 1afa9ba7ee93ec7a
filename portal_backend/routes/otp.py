"""One-time codes (sent only to the outbox table) and helpline callback requests."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select

from portal_backend import config, db
from portal_backend.common import json_body, respond, run_db
from portal_backend.errors import BadRequest, Expired, NotFound, TooMany
from portal_backend.models import CallbackRequest, OtpCode, OtpCooldown, OutboxMessage
from sathi import clock
from sathi.identifiers import parse_mobile
from sathi.text import normalize

log = logging.getLogger(__name__)


def _now() -> datetime:
    return clock.now().replace(tzinfo=None)  # naive IST in the database


def _aware(value: datetime) -> str:
    return value.replace(tzinfo=clock.IST).isoformat(timespec="seconds")


def _hash(otp_id: str, code: str) -> str:
    return hashlib.sha256(f"{otp_id}:{code}".encode()).hexdigest()


def _masked(mobile: str) -> str:
    return "****" + mobile[-4:]


def _cooldown_left(session, mobile: str, now: datetime) -> int:
    row = session.get(OtpCooldown, mobile)
    if row is None or row.until <= now:
        return 0
    return int((row.until - now).total_seconds()) + 1


def send_otp(session, body: dict):
    mobile = parse_mobile(str(body.get("mobile") or ""))
    if mobile is None:
        raise BadRequest("mobile must be an Indian mobile number (91 followed by 10 digits)")
    purpose = str(body.get("purpose") or "verify_mobile").strip()[:40]
    with db.write_lock:
        now = _now()
        left = _cooldown_left(session, mobile, now)
        if left:
            raise TooMany(
                "too many wrong codes; wait before asking for a new one", retry_after_seconds=left
            )
        window_start = now - timedelta(seconds=config.OTP_COOLDOWN_SECONDS)
        recent = (
            session.execute(
                select(OtpCode.created_at)
                .where(OtpCode.mobile == mobile)
                .where(OtpCode.created_at > window_start)
                .order_by(OtpCode.created_at)
            )
            .scalars()
            .all()
        )
        if len(recent) >= config.OTP_MAX_SENDS_PER_WINDOW:
            wait = recent[0] + timedelta(seconds=config.OTP_COOLDOWN_SECONDS) - now
            raise TooMany(
                "too many codes asked for this mobile; wait a while",
                retry_after_seconds=int(wait.total_seconds()) + 1,
            )
        for old in session.execute(
            select(OtpCode).where(OtpCode.mobile == mobile).where(OtpCode.state == "pending")
        ).scalars():
            old.state = "replaced"
        otp_id = secrets.token_urlsafe(16)
        code = f"{secrets.randbelow(10**6):06d}"
        expires = now + timedelta(seconds=config.OTP_TTL_SECONDS)
        session.add(
            OtpCode(
                otp_id=otp_id,
                mobile=mobile,
                purpose=purpose,
                code_hash=_hash(otp_id, code),
                created_at=now,
                expires_at=expires,
                tries=0,
                state="pending",
            )
        )
        session.add(
            OutboxMessage(
                mobile=mobile,
                channel="sms",
                created_at=now,
                body=f"Sathi (P&RD, West Bengal): your verification code is "
                f"{code}. It is valid for 5 minutes. Do not share it "
                f"with anyone.",
            )
        )
        session.commit()
    log.info("OTP sent to %s (purpose %s)", _masked(mobile), purpose)
    return {
        "otp_id": otp_id,
        "expires_at": _aware(expires),
        "valid_seconds": config.OTP_TTL_SECONDS,
    }


def verify_otp(session, body: dict):
    otp_id = str(body.get("otp_id") or "").strip()[:64]
    code = normalize(str(body.get("code") or ""))[:20].replace(" ", "")
    if not otp_id or not code:
        raise BadRequest("otp_id and code are required")
    with db.write_lock:
        otp = session.get(OtpCode, otp_id)
        if otp is None:
            raise NotFound("no such one-time code request")
        now = _now()
        left = _cooldown_left(session, otp.mobile, now)
        if left:
            raise TooMany(
                "too many wrong codes; wait before trying again", retry_after_seconds=left
            )
        if otp.state == "verified":
            raise Expired("this code was already used; ask for a new one")
        if otp.state != "pending":
            raise Expired("this code is no longer valid; ask for a new one")
        if otp.expires_at <= now:
            otp.state = "expired"
            session.commit()
            raise Expired("the code has expired; ask for a new one")
        if hmac.compare_digest(otp.code_hash, _hash(otp_id, code)):
            otp.state = "verified"
            session.commit()
            log.info("OTP verified for %s", _masked(otp.mobile))
            return {"verified": True, "mobile": otp.mobile, "purpose": otp.purpose}
        otp.tries += 1
        if otp.tries >= config.OTP_MAX_TRIES:
            otp.state = "failed"
            until = now + timedelta(seconds=config.OTP_COOLDOWN_SECONDS)
            existing = session.get(OtpCooldown, otp.mobile)
            if existing is None:
                session.add(OtpCooldown(mobile=otp.mobile, until=until))
            else:
                existing.until = until
            session.commit()
            log.info("OTP tries exhausted for %s; cool-down started", _masked(otp.mobile))
            raise TooMany(
                "three wrong codes; wait 15 minutes and ask for a new code",
                retry_after_seconds=config.OTP_COOLDOWN_SECONDS,
            )
        session.commit()
        return {"verified": False, "tries_left": config.OTP_MAX_TRIES - otp.tries}


def create_callback(session, body: dict):
    mobile = parse_mobile(str(body.get("mobile") or ""))
    if mobile is None:
        raise BadRequest("mobile must be an Indian mobile number")
    topic = body.get("topic")
    if not isinstance(topic, str) or not topic.strip() or len(topic) > 80:
        raise BadRequest("topic must be a short text (1-80 characters)")
    context = body.get("context") or {}
    if not isinstance(context, dict) or len(str(context)) > 2000:
        raise BadRequest("context must be a JSON object (at most 2000 characters)")
    with db.write_lock:
        now = _now()
        last = session.execute(select(func.max(func.substr(CallbackRequest.ticket_no, 9)))).scalar()
        ticket = f"CB-{now.year}-{int(last or 0) + 1:06d}"
        session.add(
            CallbackRequest(
                ticket_no=ticket,
                mobile=mobile,
                topic=topic.strip(),
                context=context,
                created_at=now,
            )
        )
        session.commit()
    log.info("callback %s requested by %s on %s", ticket, _masked(mobile), topic.strip())
    return {"ticket_no": ticket, "expected_within_hours": config.CALLBACK_EXPECTED_WITHIN_HOURS}


def register(app, prefix: str) -> None:
    @app.post(f"{prefix}/otp")
    async def otp(request):
        return respond(await run_db(send_otp, json_body(request)))

    @app.post(f"{prefix}/otp/verify")
    async def verify(request):
        return respond(await run_db(verify_otp, json_body(request)))

    @app.post(f"{prefix}/callbacks")
    async def callbacks(request):
        return respond(await run_db(create_callback, json_body(request)), 201)
