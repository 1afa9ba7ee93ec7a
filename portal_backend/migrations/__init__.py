"""The reference portal's migrations (Alembic): portal_backend/migrations/versions/, run by
`python -m portal_backend init-demo` (make setup / make up) and before `serve`.

Revision 0001 is the schema as it was when Alembic came; a portal database made before that
(by `create_all`) holds exactly it and is stamped. Adding a column: docs/migrations.md.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from sathi.migrate import Migrations, upgrade_to_head

MIGRATIONS = Migrations(
    name="portal_backend",
    script_location=Path(__file__).resolve().parent,
    version_table="alembic_version_portal",
    baseline="0001",
    known_tables=frozenset({"districts", "job_cards", "issued_documents"}),
)


def upgrade(engine: Engine) -> list:
    """Bring the portal database behind `engine` to the newest revision; what was done."""
    return upgrade_to_head(engine, MIGRATIONS)
