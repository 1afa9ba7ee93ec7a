"""The per-sender message counter in Redis (production profile), instead of a SQL write
transaction on every message.

Same fixed window as bot_store.rate_limits.hit: the first message starts a window of
`window_seconds`; the count within it decides ALLOW / WARN / SILENT. One MULTI/EXEC round trip
(`SET key 0 EX window NX` + `INCR key`), shared by every replica; the key expires by itself,
so nothing needs purging. One-time code and enumeration limits stay in SQL (rare, and kept
for the audit trail).

Where: SATHI_RATE_LIMIT_STORE=redis|sql (default: redis in the production profile, sql in the
trainers'), Redis at SATHI_REDIS_HOST / SATHI_REDIS_PORT / SATHI_REDIS_DB / SATHI_REDIS_USERNAME /
SATHI_REDIS_PASSWORD
(the lock store's). When Redis does not answer, the caller falls back to SQL: a limit is
never a reason to drop a message.
"""

from __future__ import annotations

import hashlib
import logging
import threading

from sathi.settings import settings

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_client = None
KEY_PREFIX = "sathi:rate:"


def enabled() -> bool:
    return settings().uses_redis_counters


def client():
    """One connection pool per process (redis-py is thread-safe)."""
    global _client
    with _lock:
        if _client is None:
            import redis

            config = settings()
            _client = redis.Redis(
                host=config.redis_host,
                port=config.redis_port,
                db=config.redis_db,
                username=config.redis_username or None,
                password=config.redis_password.get_secret_value() or None,
                socket_timeout=1.0,
                socket_connect_timeout=1.0,
                health_check_interval=30,
            )
        return _client


def key_for(key: str) -> str:
    """No phone number in Redis keys: a digest of the counter's name."""
    return KEY_PREFIX + hashlib.sha256(key.encode()).hexdigest()[:32]


def count(key: str, window_seconds: int) -> int | None:
    """Count one event in the window; the count so far, or None when Redis failed."""
    try:
        pipe = client().pipeline(transaction=True)
        name = key_for(key)
        pipe.set(name, 0, ex=max(1, int(window_seconds)), nx=True)
        pipe.incr(name)
        _, value = pipe.execute()
        return int(value)
    except Exception as exc:
        logger.warning("rate limit: Redis failed (%s); counting in SQL", type(exc).__name__)
        return None


def reset_for_tests() -> None:
    global _client
    with _lock:
        _client = None
