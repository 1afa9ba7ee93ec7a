"""Alembic environment of the reference portal (portal_backend/models.py is the target).

Run by the code (sathi/migrate.py hands over its connection) or from the command line
(`alembic -n portal_backend ...`: the database of SATHI_PORTAL_DB_URL). docs/migrations.md.
"""

from alembic import context
from sqlalchemy import create_engine

from portal_backend.migrations import MIGRATIONS
from portal_backend.models import Base
from sathi.migrate import include_name

metadata = Base.metadata


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
    from portal_backend.config import database_url

    engine = create_engine(database_url(), future=True)
    with engine.connect() as own:
        run(own)
        own.commit()
