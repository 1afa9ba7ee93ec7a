"""Per-number preferences that outlive conversations: reply language, opt-out, notice shown."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select, update

from bot_store.db import engine
from bot_store.schema import preferences
from sathi import clock


@dataclass(frozen=True)
class Preferences:
    mobile: str
    language: str | None = None
    opted_out: bool = False
    privacy_notice_shown: bool = False


def get(mobile: str) -> Preferences:
    with engine().connect() as conn:
        row = conn.execute(select(preferences).where(preferences.c.mobile == mobile)).mappings().first()
    if row is None:
        return Preferences(mobile)
    return Preferences(mobile, row["language"], bool(row["opted_out"]), bool(row["privacy_notice_shown"]))


def save(mobile: str, **changes) -> Preferences:
    """Upsert some of: language, opted_out, privacy_notice_shown."""
    values = {k: (int(v) if isinstance(v, bool) else v) for k, v in changes.items()}
    values["updated_at"] = clock.now()
    with engine().begin() as conn:
        done = conn.execute(update(preferences).where(preferences.c.mobile == mobile).values(**values))
        if done.rowcount == 0:
            try:
                with conn.begin_nested():
                    conn.execute(insert(preferences).values(mobile=mobile, **{
                        "opted_out": 0, "privacy_notice_shown": 0, **values}))
            except Exception:  # a concurrent insert won: update it instead
                conn.execute(update(preferences).where(preferences.c.mobile == mobile).values(**values))
    return get(mobile)
