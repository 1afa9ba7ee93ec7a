"""Baseline: the bot store as it was when Alembic came (bot_store/migrations/baseline.py).

A store made before Alembic is not created here but adopted (bot_store/migrations/legacy.py)
and stamped with this revision.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

from bot_store.migrations.baseline import baseline_metadata

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    baseline_metadata().create_all(op.get_bind())


def downgrade() -> None:
    baseline_metadata().drop_all(op.get_bind())
