"""Per-sender limits against abuse, kept in the bot store table `rate_limits` (so every
process and replica shares them, and a restart forgets nothing).

- messages: at most SATHI_RATE_MESSAGES per SATHI_RATE_WINDOW_SECONDS per sender (WhatsApp
  inbox and REST). The first message over the limit gets a polite "wait a minute" (`WARN`),
  the following ones nothing (`SILENT`) until the window has passed;
- one-time codes: at most SATHI_RATE_OTP codes per SATHI_RATE_OTP_WINDOW_SECONDS per sender
  and per target number;
- enumeration: a number that looks up more than SATHI_ENUMERATION_MAX_IDS different records
  of one kind within SATHI_ENUMERATION_WINDOW_SECONDS is refused further new lookups for
  SATHI_ENUMERATION_BLOCK_SECONDS (asking again about a record already asked is fine), and
  it is logged (masked).

Windows are real elapsed time (wall clock, UTC), not the demo clock (SATHI_CLOCK).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, delete, exists, func, insert, select, update

from bot_store import rate_limits_redis
from bot_store.db import engine, statements_commit_themselves
from bot_store.schema import rate_limits
from sathi.privacy import mask_phone
from sathi.settings import settings

logger = logging.getLogger(__name__)

ALLOW, WARN, SILENT = "allow", "warn", "silent"


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)  # naive UTC: SQLite keeps no zone


def hit(
    key: str,
    limit: int,
    window_seconds: int,
    *,
    subject: str | None = None,
    scope: str | None = None,
) -> str:
    """Count one event for `key` in a fixed window: ALLOW while within `limit`, WARN for the
    first event over it, SILENT after that until the window ends. `subject` is whose counter
    it is (erasure deletes by it), `scope` what kind of counter."""
    now = _now()
    start_after = now - timedelta(seconds=window_seconds)
    with engine().begin() as conn:
        done = conn.execute(
            update(rate_limits)
            .where(and_(rate_limits.c.key == key, rate_limits.c.window_start > start_after))
            .values(count=rate_limits.c.count + 1)
        )
        if done.rowcount == 0:  # no row, or its window is over: a new window starts
            conn.execute(delete(rate_limits).where(rate_limits.c.key == key))
            try:
                with conn.begin_nested():
                    conn.execute(
                        insert(rate_limits).values(
                            key=key, subject=subject, scope=scope, window_start=now, count=1
                        )
                    )
                count = 1
            except Exception:  # another process started the window at the same moment
                conn.execute(
                    update(rate_limits)
                    .where(rate_limits.c.key == key)
                    .values(count=rate_limits.c.count + 1)
                )
                count = (
                    conn.execute(
                        select(rate_limits.c.count).where(rate_limits.c.key == key)
                    ).scalar()
                    or 1
                )
        else:
            count = (
                conn.execute(select(rate_limits.c.count).where(rate_limits.c.key == key)).scalar()
                or 1
            )
    if count <= limit:
        return ALLOW
    return WARN if count == limit + 1 else SILENT


def _key(*parts: str) -> str:
    return ":".join(parts)[:160]


def _hit_fast(key: str, limit: int, window_seconds: int, **who) -> str:
    """`hit` in Redis when the profile keeps counters there (bot_store/rate_limits_redis.py)."""
    if rate_limits_redis.enabled():
        count = rate_limits_redis.count(key, window_seconds)
        if count is not None:
            return ALLOW if count <= limit else WARN if count == limit + 1 else SILENT
    return hit(key, limit, window_seconds, **who)


# --- messages -----------------------------------------------------------------------------
def message_limit() -> tuple[int, int]:
    return settings().rate_messages, settings().rate_window_seconds


def check_message(sender: str) -> str:
    """ALLOW / WARN / SILENT for one more message from `sender` (a number or conversation id)."""
    limit, window = message_limit()
    if limit <= 0:
        return ALLOW
    verdict = _hit_fast(_key("msg", sender), limit, window, subject=sender, scope="msg")
    if verdict == WARN:
        logger.warning(
            "rate limit: %s sent more than %d messages in %d s; quiet for the rest of the window",
            mask_phone(sender),
            limit,
            window,
        )
    return verdict


# Said once by the channel (no Rasa turn) when a sender goes over the message limit.
TOO_MANY_MESSAGES = {
    "en": "You have sent a lot of messages in a short time. Please wait a minute, then write "
    "again; I will answer then.",
    "bn": "অল্প সময়ে অনেকগুলো মেসেজ এসেছে। এক মিনিট অপেক্ষা করে আবার লিখুন, তখন উত্তর দেব।",
}


def too_many_messages_text(language: str | None) -> str:
    if language in TOO_MANY_MESSAGES:
        return TOO_MANY_MESSAGES[language]
    return TOO_MANY_MESSAGES["bn"] + "\n\n" + TOO_MANY_MESSAGES["en"]


# --- one-time codes -----------------------------------------------------------------------
def allow_otp(sender: str, target_mobile: str) -> bool:
    """True when one more code may be sent for `sender` to `target_mobile`."""
    limit, window = settings().rate_otp, settings().rate_otp_window_seconds
    by_sender = hit(_key("otp", sender), limit, window, subject=sender, scope="otp")
    by_target = hit(
        _key("otp-to", target_mobile), limit, window, subject=target_mobile, scope="otp-to"
    )
    if by_sender == ALLOW and by_target == ALLOW:
        return True
    logger.warning(
        "rate limit: one-time code refused for %s (to %s)",
        mask_phone(sender),
        mask_phone(target_mobile),
    )
    return False


def wrong_code_limit() -> int:
    return settings().otp_max_wrong_per_day


def _india_today() -> str:
    """Today's date in Asia/Kolkata by the wall clock (not the demo clock: a lock must end)."""
    return (_now() + timedelta(hours=5, minutes=30)).date().isoformat()


def _wrong_code_key(target_mobile: str) -> str:
    return _key("otp-wrong", target_mobile, _india_today())


def codes_locked_today(target_mobile: str) -> bool:
    """True when `target_mobile` has had its day's wrong one-time codes: no code is sent or
    checked for it until the next day (Asia/Kolkata). Counted per number being proven, from
    every sender together, so a script cannot spread guesses over conversations."""
    limit = wrong_code_limit()
    if limit <= 0:
        return False
    with engine().connect() as conn:
        count = (
            conn.execute(
                select(rate_limits.c.count).where(
                    rate_limits.c.key == _wrong_code_key(target_mobile)
                )
            ).scalar()
            or 0
        )
    return count >= limit


def note_wrong_code(target_mobile: str) -> bool:
    """Count one wrong code for `target_mobile`; True when that locks it for the day."""
    limit = wrong_code_limit()
    if limit <= 0:
        return False
    hit(
        _wrong_code_key(target_mobile),
        limit,
        86400 + 3600,
        subject=target_mobile,
        scope="otp-wrong",
    )
    locked = codes_locked_today(target_mobile)
    if locked:
        logger.warning(
            "one-time codes for %s locked until tomorrow: %d wrong codes today",
            mask_phone(target_mobile),
            limit,
        )
    return locked


# --- enumeration of record ids ---------------------------------------------------------------
def _ref_digest(record_ref: str) -> str:
    return hashlib.sha256(str(record_ref).strip().upper().encode()).hexdigest()[:20]


def note_lookup(mobile: str, kind: str, record_ref: str) -> bool:
    """Record that `mobile` asked about `record_ref` (a record of `kind`); False when the
    lookup must be refused (too many different records in a short time). Every portal lookup
    of a record id goes through here first (actions/record_lookup.py), so "not found",
    "not yours" and "too many" cannot be told apart by counting."""
    config = settings()
    max_ids, window = config.enumeration_max_ids, config.enumeration_window_seconds
    block = config.enumeration_block_seconds
    if max_ids <= 0:
        return True
    now = _now()
    scope = _key("ids", kind)[:40]
    key = _key("ids", mobile, kind, _ref_digest(record_ref))
    block_key = _key("block", mobile, kind)
    known_while = rate_limits.c.window_start > now - timedelta(seconds=window)
    blocked_while = rate_limits.c.window_start > now - timedelta(seconds=block)
    # the common case, a record asked about again (or a block on): one read, which on
    # PostgreSQL commits itself (round 14); the transaction below was four round trips
    with statements_commit_themselves(engine()) as conn:
        known, blocked = conn.execute(
            select(
                exists().where(and_(rate_limits.c.key == key, known_while)),
                exists().where(and_(rate_limits.c.key == block_key, blocked_while)),
            )
        ).one()
    if known or blocked:
        return bool(known)
    with engine().begin() as conn:  # a new record: read again, count, write, together
        blocked = conn.execute(
            select(rate_limits.c.window_start).where(
                and_(rate_limits.c.key == block_key, blocked_while)
            )
        ).first()
        known = conn.execute(
            select(rate_limits.c.key).where(and_(rate_limits.c.key == key, known_while))
        ).first()
        if known:
            return True
        if blocked:
            return False
        distinct = (
            conn.execute(
                select(func.count())
                .select_from(rate_limits)
                .where(
                    and_(
                        rate_limits.c.subject == mobile,
                        rate_limits.c.scope == scope,
                        rate_limits.c.window_start > now - timedelta(seconds=window),
                    )
                )
            ).scalar()
            or 0
        )
        if distinct >= max_ids:
            conn.execute(delete(rate_limits).where(rate_limits.c.key == block_key))
            conn.execute(
                insert(rate_limits).values(
                    key=block_key,
                    subject=mobile,
                    scope=_key("block", kind)[:40],
                    window_start=now,
                    count=1,
                )
            )
            logger.warning(
                "enumeration: %s asked about %d different %s records in %d s; "
                "new lookups refused for %d s",
                mask_phone(mobile),
                distinct + 1,
                kind,
                window,
                block,
            )
            return False
        conn.execute(delete(rate_limits).where(rate_limits.c.key == key))
        conn.execute(
            insert(rate_limits).values(
                key=key, subject=mobile, scope=scope, window_start=now, count=1
            )
        )
    return True


def erase_subjects(conn, subjects) -> int:
    """Delete every counter of these numbers / conversation ids (exact values)."""
    subjects = sorted({s for s in subjects if s})
    if not subjects:
        return 0
    return conn.execute(delete(rate_limits).where(rate_limits.c.subject.in_(subjects))).rowcount


def purge(older_than_seconds: int = 86400, dry_run: bool = False) -> int:
    """Delete counters whose window started more than `older_than_seconds` ago."""
    cutoff = _now() - timedelta(seconds=older_than_seconds)
    condition = rate_limits.c.window_start < cutoff
    with engine().begin() as conn:
        if dry_run:
            return (
                conn.execute(
                    select(func.count()).select_from(rate_limits).where(condition)
                ).scalar()
                or 0
            )
        return conn.execute(delete(rate_limits).where(condition)).rowcount or 0
