"""Bringing a bot store created by an earlier version up to `bot_store/schema.py`.

Explicit, idempotent steps run by `bot_store.db.init_schema` after `create_all` (which only
creates missing tables). Each step checks what is there and says what it changed; a step
that fails raises: a half-migrated store must stop the start, not run on silently.

1. `rate_limits` gained `subject` and `scope` (erasure by exact value, counting without
   LIKE). Counters are short-lived: the old table is dropped and created anew.
2. SQLite tables with integer ids are AUTOINCREMENT (an id is never handed out twice, even
   after erasure deleted the newest rows), and `wa_outbox` is keyed on `answer_to` (the
   inbound wamid). SQLite cannot change either in place, so such a table is rebuilt with its
   rows copied. PostgreSQL sequences never reuse ids; there the column and key are added.
"""
from __future__ import annotations

import logging
from typing import List

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from bot_store.schema import metadata, rate_limits, wa_outbox

logger = logging.getLogger(__name__)


def upgrade(eng: Engine) -> List[str]:
    """Run every step; returns what was changed (empty when the store was current)."""
    changed: List[str] = []
    changed += _rate_limit_columns(eng)
    if eng.dialect.name == "sqlite":
        changed += _sqlite_autoincrement(eng)
    else:
        changed += _outbox_answer_key(eng)
    for line in changed:
        logger.info("bot store migrated: %s", line)
    return changed


def _columns(eng: Engine, table: str) -> set:
    return {c["name"] for c in inspect(eng).get_columns(table)}


def _rate_limit_columns(eng: Engine) -> List[str]:
    if {"subject", "scope"} <= _columns(eng, "rate_limits"):
        return []
    rate_limits.drop(eng, checkfirst=True)
    rate_limits.create(eng, checkfirst=True)
    return ["rate_limits recreated with subject and scope"]


def _sqlite_autoincrement(eng: Engine) -> List[str]:
    changed = []
    with eng.begin() as conn:
        for table in metadata.sorted_tables:
            if not table.dialect_options["sqlite"].get("autoincrement"):
                continue
            sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE type='table' AND name=:n"),
                               {"n": table.name}).scalar() or ""
            outbox_ok = table is not wa_outbox or "answer_to" in sql
            if "AUTOINCREMENT" in sql.upper() and outbox_ok:
                continue
            old = f"{table.name}__before_migration"
            have = [r[1] for r in conn.execute(text(f'PRAGMA table_info("{table.name}")'))]
            for (index,) in conn.execute(text(
                    "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name=:n "
                    "AND sql IS NOT NULL"), {"n": table.name}).all():
                conn.execute(text(f'DROP INDEX "{index}"'))
            conn.execute(text(f'ALTER TABLE "{table.name}" RENAME TO "{old}"'))
            table.create(conn)
            common = [c.name for c in table.columns if c.name in have]
            cols = ", ".join(f'"{c}"' for c in common)
            conn.execute(text(f'INSERT INTO "{table.name}" ({cols}) SELECT {cols} FROM "{old}"'))
            if table is wa_outbox and "answer_to" not in have:   # old rows answer by inbox id
                conn.execute(text(
                    'UPDATE wa_outbox SET answer_to = (SELECT wamid FROM wa_inbox '
                    'WHERE wa_inbox.id = wa_outbox.inbox_id) WHERE inbox_id IS NOT NULL'))
            conn.execute(text(f'DROP TABLE "{old}"'))
            changed.append(f"{table.name} rebuilt (AUTOINCREMENT ids)")
    return changed


def _outbox_answer_key(eng: Engine) -> List[str]:
    if "answer_to" in _columns(eng, "wa_outbox"):
        return []
    with eng.begin() as conn:
        conn.execute(text("ALTER TABLE wa_outbox ADD COLUMN answer_to VARCHAR(128)"))
        conn.execute(text("UPDATE wa_outbox SET answer_to = wa_inbox.wamid FROM wa_inbox "
                          "WHERE wa_inbox.id = wa_outbox.inbox_id"))
        conn.execute(text("ALTER TABLE wa_outbox DROP CONSTRAINT IF EXISTS "
                          "uq_wa_outbox_answer_position"))
        conn.execute(text("ALTER TABLE wa_outbox ADD CONSTRAINT uq_wa_outbox_answer_to "
                          "UNIQUE (answer_to, seq)"))
    return ["wa_outbox keyed on answer_to"]
