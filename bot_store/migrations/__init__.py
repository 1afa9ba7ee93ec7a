"""The bot store's migrations (Alembic): bot_store/migrations/versions/, run by
`bot_store.db.engine` on first use in a process and by scripts/stack.sh `up`.

    python -m bot_store.migrations        # upgrade the store of SATHI_BOT_STORE_URL to head

Revision 0001 is the schema as it was when Alembic came; `legacy.adopt` brings a store made
before that to it. Adding a column: docs/migrations.md.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from sathi.migrate import Migrations, upgrade_to_head

BASELINE = "0001"


def _adopt(conn):
    from bot_store.migrations.legacy import adopt

    return adopt(conn)


MIGRATIONS = Migrations(
    name="bot_store",
    script_location=Path(__file__).resolve().parent,
    version_table="alembic_version_bot_store",
    baseline=BASELINE,
    known_tables=frozenset(
        {
            "documents",
            "download_links",
            "audit_log",
            "preferences",
            "rate_limits",
            "wa_inbox",
            "wa_outbox",
            "wa_statuses",
            "deferred_deliveries",
            "feedback",
            "portal_calls",
        }
    ),
    adopt=_adopt,
)


def upgrade(engine: Engine) -> list:
    """Bring the bot store behind `engine` to the newest revision; what was done."""
    return upgrade_to_head(engine, MIGRATIONS)
