"""Alembic environment of the bot store (bot_store/schema.py is the target).

Run by the code (sathi/migrate.py hands over its connection) or from the command line
(`alembic -n bot_store ...`: the database of SATHI_BOT_STORE_URL). docs/migrations.md.
"""

from alembic import context
from sqlalchemy import create_engine

from bot_store.migrations import MIGRATIONS
from bot_store.schema import metadata
from sathi.migrate import include_name


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=MIGRATIONS.version_table,
        compare_type=True,
        include_name=include_name,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    from bot_store.db import database_url

    engine = create_engine(database_url(), future=True)
    with engine.connect() as own:
        run(own)
        own.commit()
