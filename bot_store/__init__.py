"""The bot's own operational data (documents, audit, inbox/dedup, outbox, deferred deliveries,
rate limits, preferences), shared by the rasa server and the action server.

SQLite by default (`$SATHI_VAR/data/bot_store.db`), any SQLAlchemy URL via SATHI_BOT_STORE_URL
(PostgreSQL in production). SQLAlchemy 1.4 in 2.0 style (`future=True`, `select()`).
"""

from bot_store.db import engine, init_schema  # noqa: F401
