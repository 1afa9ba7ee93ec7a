"""Alembic environment of the reference portal (portal_backend/models.py is the target).

Run by the code (sathi/migrate.py hands over its connection) or from the command line
(`alembic -n portal_backend ...`: the database of SATHI_PORTAL_DB_URL). docs/migrations.md.
"""

from portal_backend.config import database_url
from portal_backend.migrations import MIGRATIONS
from portal_backend.models import Base
from sathi.migrate import run_alembic_env

run_alembic_env(Base.metadata, MIGRATIONS.version_table, database_url)
