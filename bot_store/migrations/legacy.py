"""A bot store created before Alembic, brought in place to the baseline (revision 0001).

Such a store was made by `create_all` plus the interim hand migrations that lived in
bot_store/migrations.py and bot_store/inbox.py; it may stem from any earlier version. Each
step checks what is there and says what it changed; a step that fails raises (a
half-migrated store must stop the start, not run on silently). sathi/migrate.py runs
`adopt` under its lock, then stamps the store with revision 0001.

1. Tables that did not exist yet are created (e.g. `portal_calls`, once made on first use).
2. `wa_inbox` gained `lease_until` and `last_error` (was an ALTER in bot_store/inbox.py).
3. `rate_limits` gained `subject` and `scope`. Counters are short-lived: the old table is
   dropped and created anew.
4. SQLite tables with integer ids are AUTOINCREMENT (an id is never handed out twice, even
   after erasure deleted the newest rows), and `wa_outbox` is keyed on `answer_to` (the
   inbound wamid). SQLite cannot change either in place, so such a table is rebuilt with its
   rows copied. PostgreSQL sequences never reuse ids; there the column and key are added.
5. Indexes and (PostgreSQL) unique constraints added to the schema after a store was
   created are added (create_all never touched an existing table).
"""

from __future__ import annotations

from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Connection

from bot_store.migrations.baseline import baseline_metadata


def adopt(conn: Connection) -> list[str]:
    """Every step, in order; what was changed (empty when the store was at the baseline)."""
    metadata = baseline_metadata()
    changed: list[str] = []
    changed += _missing_tables(conn, metadata)
    changed += _inbox_lease_columns(conn)
    changed += _rate_limit_columns(conn, metadata)
    if conn.dialect.name == "sqlite":
        changed += _sqlite_autoincrement(conn, metadata)
    else:
        changed += _outbox_answer_key(conn)
    changed += _missing_indexes_and_keys(conn, metadata)
    return changed


def _columns(conn: Connection, table: str) -> set:
    return {c["name"] for c in inspect(conn).get_columns(table)}


def _missing_tables(conn: Connection, metadata: MetaData) -> list[str]:
    have = set(inspect(conn).get_table_names())
    missing = [t for t in metadata.sorted_tables if t.name not in have]
    for table in missing:
        table.create(conn)
    return [f"{t.name} created" for t in missing]


def _inbox_lease_columns(conn: Connection) -> list[str]:
    have = _columns(conn, "wa_inbox")
    changed = []
    for name, sql_type in (("lease_until", "FLOAT"), ("last_error", "TEXT")):
        if name not in have:
            conn.execute(text(f"ALTER TABLE wa_inbox ADD COLUMN {name} {sql_type}"))
            changed.append(f"wa_inbox.{name} added")
    return changed


def _rate_limit_columns(conn: Connection, metadata: MetaData) -> list[str]:
    if {"subject", "scope"} <= _columns(conn, "rate_limits"):
        return []
    rate_limits = metadata.tables["rate_limits"]
    rate_limits.drop(conn)
    rate_limits.create(conn)
    return ["rate_limits recreated with subject and scope"]


def _sqlite_autoincrement(conn: Connection, metadata: MetaData) -> list[str]:
    changed = []
    for table in metadata.sorted_tables:
        if not table.dialect_options["sqlite"].get("autoincrement"):
            continue
        sql = (
            conn.execute(
                text("SELECT sql FROM sqlite_master WHERE type='table' AND name=:n"),
                {"n": table.name},
            ).scalar()
            or ""
        )
        outbox_ok = table.name != "wa_outbox" or "answer_to" in sql
        if "AUTOINCREMENT" in sql.upper() and outbox_ok:
            continue
        old = f"{table.name}__before_migration"
        have = [r[1] for r in conn.execute(text(f'PRAGMA table_info("{table.name}")'))]
        for (index,) in conn.execute(
            text(
                "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name=:n "
                "AND sql IS NOT NULL"
            ),
            {"n": table.name},
        ).all():
            conn.execute(text(f'DROP INDEX "{index}"'))
        conn.execute(text(f'ALTER TABLE "{table.name}" RENAME TO "{old}"'))
        table.create(conn)
        common = [c.name for c in table.columns if c.name in have]
        cols = ", ".join(f'"{c}"' for c in common)
        conn.execute(text(f'INSERT INTO "{table.name}" ({cols}) SELECT {cols} FROM "{old}"'))
        if table.name == "wa_outbox" and "answer_to" not in have:  # old rows answer by inbox id
            conn.execute(
                text(
                    "UPDATE wa_outbox SET answer_to = (SELECT wamid FROM wa_inbox "
                    "WHERE wa_inbox.id = wa_outbox.inbox_id) WHERE inbox_id IS NOT NULL"
                )
            )
        conn.execute(text(f'DROP TABLE "{old}"'))
        changed.append(f"{table.name} rebuilt (AUTOINCREMENT ids)")
    return changed


def _outbox_answer_key(conn: Connection) -> list[str]:
    if "answer_to" in _columns(conn, "wa_outbox"):
        return []
    conn.execute(text("ALTER TABLE wa_outbox ADD COLUMN answer_to VARCHAR(128)"))
    conn.execute(
        text(
            "UPDATE wa_outbox SET answer_to = wa_inbox.wamid FROM wa_inbox "
            "WHERE wa_inbox.id = wa_outbox.inbox_id"
        )
    )
    conn.execute(
        text("ALTER TABLE wa_outbox DROP CONSTRAINT IF EXISTS uq_wa_outbox_answer_position")
    )
    conn.execute(
        text("ALTER TABLE wa_outbox ADD CONSTRAINT uq_wa_outbox_answer_to UNIQUE (answer_to, seq)")
    )
    return ["wa_outbox keyed on answer_to"]


def _missing_indexes_and_keys(conn: Connection, metadata: MetaData) -> list[str]:
    changed = []
    inspector = inspect(conn)
    for table in metadata.sorted_tables:
        have = {i["name"] for i in inspector.get_indexes(table.name)}
        for index in sorted(table.indexes, key=lambda i: i.name):
            if index.name not in have:
                index.create(conn)
                changed.append(f"index {index.name} added")
        if conn.dialect.name != "postgresql":
            continue  # SQLite keeps the unique keys it was created with (rebuilt above)
        keys = {u["name"] for u in inspector.get_unique_constraints(table.name)}
        for key in table.constraints:
            if key.__class__.__name__ == "UniqueConstraint" and key.name and key.name not in keys:
                columns = ", ".join(c.name for c in key.columns)
                conn.execute(
                    text(
                        f'ALTER TABLE "{table.name}" ADD CONSTRAINT "{key.name}" UNIQUE ({columns})'
                    )
                )
                changed.append(f"unique key {key.name} added")
    return changed
