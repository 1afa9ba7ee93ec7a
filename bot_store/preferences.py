"""Per-number preferences that outlive conversations: reply language, opt-out, notice shown."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select, update

from bot_store.db import engine, statements_commit_themselves
from bot_store.fast_statement import FastStatement
from bot_store.schema import preferences
from sathi import clock


@dataclass(frozen=True)
class Preferences:
    mobile: str
    language: str | None = None
    opted_out: bool = False
    privacy_notice_shown: bool = False


# read on every turn: compiled once, run on a pooled DB-API connection (bot_store/
# fast_statement.py; the WhatsApp worker reads it in its claim's transaction, round 13)
_GET = FastStatement(
    select(
        preferences.c.language, preferences.c.opted_out, preferences.c.privacy_notice_shown
    ).where(preferences.c.mobile == bindparam("mobile"))
)
_NOTICE_SHOWN = select(preferences.c.privacy_notice_shown).where(
    preferences.c.mobile == bindparam("mobile")
)


def get(mobile: str) -> Preferences:
    row = _GET.first(engine(), {"mobile": mobile})
    if row is None:
        return Preferences(mobile)
    return Preferences(
        mobile, row["language"], bool(row["opted_out"]), bool(row["privacy_notice_shown"])
    )


def save(mobile: str, **changes) -> Preferences:
    """Upsert some of: language, opted_out, privacy_notice_shown."""
    values = {k: (int(v) if isinstance(v, bool) else v) for k, v in changes.items()}
    values["updated_at"] = clock.now()
    with engine().begin() as conn:
        done = conn.execute(
            update(preferences).where(preferences.c.mobile == mobile).values(**values)
        )
        if done.rowcount == 0:
            try:
                with conn.begin_nested():
                    conn.execute(
                        insert(preferences).values(
                            mobile=mobile, **{"opted_out": 0, "privacy_notice_shown": 0, **values}
                        )
                    )
            except Exception:  # a concurrent insert won: update it instead
                conn.execute(
                    update(preferences).where(preferences.c.mobile == mobile).values(**values)
                )
    return get(mobile)


# --- opt-out and the privacy notice (issue: support) ---------------------------------
def is_opted_out(mobile: str | None) -> bool:
    """True when this number asked the bot to send nothing first (STOP); the deferred
    deliveries and any other message the bot starts must check it before sending."""
    if not mobile:
        return False
    return get(mobile).opted_out


def set_opted_out(mobile: str, opted_out: bool) -> Preferences:
    return save(mobile, opted_out=opted_out)


def claim_privacy_notice(mobile: str) -> bool:
    """True exactly once per number: the caller shows the privacy notice. The flag is set in
    the same statement that checks it, so two processes never both show it."""
    # the common case, a read alone (on PostgreSQL no transaction: round 14): already shown
    with statements_commit_themselves(engine()) as conn:
        shown = conn.execute(_NOTICE_SHOWN, {"mobile": mobile}).scalar()
    if shown:
        return False
    values = {"privacy_notice_shown": 1, "updated_at": clock.now()}
    with engine().begin() as conn:
        done = conn.execute(
            update(preferences)
            .where(preferences.c.mobile == mobile)
            .where(preferences.c.privacy_notice_shown == 0)
            .values(**values)
        )
        if done.rowcount:
            return True
        exists = conn.execute(
            select(preferences.c.mobile).where(preferences.c.mobile == mobile)
        ).first()
        if exists:
            return False
        try:
            with conn.begin_nested():
                conn.execute(insert(preferences).values(mobile=mobile, opted_out=0, **values))
            return True
        except Exception:  # a concurrent first message of the same number won
            return False
