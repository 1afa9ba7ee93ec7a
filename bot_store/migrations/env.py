"""Alembic environment of the bot store (bot_store/schema.py is the target).

Run by the code (sathi/migrate.py hands over its connection) or from the command line
(`alembic -n bot_store ...`: the database of SATHI_BOT_STORE_URL). docs/migrations.md.
"""

from bot_store.db import database_url
from bot_store.migrations import MIGRATIONS
from bot_store.schema import metadata
from sathi.migrate import run_alembic_env

run_alembic_env(metadata, MIGRATIONS.version_table, database_url)
