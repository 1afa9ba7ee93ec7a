"""What every process of the topology runs with: its environment (this process's minus every
SATHI_* / WHATSAPP_* variable, plus the run's ports, databases, Redis and fresh secrets) and
the channels of its rasa replicas (credentials.yml). tools/scale/topology.py starts the
processes with them.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from sathi.settings import settings
from tools.scale.stores import POSTGRES_URL, REDIS_URL

if TYPE_CHECKING:
    from tools.scale.topology import Topology

ROOT = Path(__file__).resolve().parents[2]


def process_environment(topo: Topology, extra: dict[str, str] | None) -> dict[str, str]:
    """The environment of every process of `topo` (the production profile, its own ports,
    databases, Redis and secrets), `extra` on top."""
    from urllib.parse import urlsplit

    from sqlalchemy.engine import make_url

    pg = make_url(POSTGRES_URL)
    redis = urlsplit(REDIS_URL)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SATHI_", "WHATSAPP_"))}
    state = topo.state
    secret = lambda: secrets.token_urlsafe(32)  # noqa: E731 - one fresh secret per run
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "SATHI_VAR": str(state),
            "SATHI_PROFILE": "production",
            "SATHI_CLOCK": settings().clock or "2026-11-28",
            "RASA_TELEMETRY_ENABLED": "false",
            "SANIC_NO_UVLOOP": "true",
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "SATHI_LOG_LEVEL": "INFO",
            "LOG_LEVEL": "INFO",
            "SATHI_PORTAL_PORT": str(topo.base_port + 70),
            "SATHI_EMULATOR_PORT": str(topo.base_port + 71),
            "SATHI_PORTAL_URL": f"http://127.0.0.1:{topo.base_port + 70}/api/v1",
            "SATHI_ACTIONS_URL": topo.actions_url,
            "SATHI_DOWNLOAD_BASE_URL": topo.url,
            "SATHI_PORTAL_DB_URL": topo.databases["portal"],
            "SATHI_BOT_STORE_URL": topo.databases["bot"],
            "SATHI_TRACKER_STORE_URL": topo.databases["tracker"],
            "SATHI_TRACKER_DB_HOST": pg.host or "127.0.0.1",
            "SATHI_TRACKER_DB_PORT": str(pg.port or 5432),
            "SATHI_TRACKER_DB_NAME": make_url(topo.databases["tracker"]).database,
            "SATHI_TRACKER_DB_USER": pg.username or "postgres",
            "SATHI_TRACKER_DB_PASSWORD": pg.password or "",
            "SATHI_REDIS_HOST": redis.hostname or "127.0.0.1",
            "SATHI_REDIS_PORT": str(redis.port or 6379),
            "SATHI_REDIS_DB": redis.path.strip("/") or "11",
            "SATHI_REDIS_PASSWORD": redis.password or "",
            "SATHI_REDIS_USERNAME": redis.username or "",
            "SATHI_PORTAL_SERVICE_KEY": secret(),
            "SATHI_RASA_API_TOKEN": secret(),
            "SATHI_CHANNEL_SECRET": secret(),
            "SATHI_ACTION_TOKEN": secret(),
            "WHATSAPP_APP_SECRET": secret(),
            "WHATSAPP_VERIFY_TOKEN": secret(),
            "WHATSAPP_ACCESS_TOKEN": secret(),
            "WHATSAPP_PHONE_NUMBER_ID": "100000000000001",
            "WHATSAPP_GRAPH_URL": topo.emulator_url,
            "WHATSAPP_GRAPH_VERSION": "v21.0",
            # a killed replica's conversation lock (Redis) frees after this many seconds
            "TICKET_LOCK_LIFETIME": "20",
        }
    )
    env.update(extra or {})
    return env


def credentials_file(rest: bool) -> str:
    """The production channels; `rest` adds the guarded REST channel for the benchmark's REST
    conversations (production itself never exposes REST: docs/performance.md)."""
    text = (ROOT / "credentials.production.yml").read_text()
    if rest:
        text += "\n# benchmark only: REST conversations next to WhatsApp\nchannels.rest_guard.GuardedRestInput:\n"
    return text
