"""Settings of the reference portal backend (from sathi/settings.py) and its business rules."""

from __future__ import annotations

from pathlib import Path

from sathi.settings import settings

REPO_ROOT = Path(__file__).resolve().parent.parent


def var_dir() -> Path:
    return settings().var_dir


def database_url() -> str:
    """`SATHI_PORTAL_DB_URL`, default a SQLite file `$SATHI_VAR/data/portal.db`."""
    url = settings().portal_db_url.strip()
    if url:
        return url
    path = var_dir() / "data" / "portal.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def service_key() -> str:
    return settings().portal_service_key.get_secret_value()


def dev_routes_enabled() -> bool:
    return settings().portal_dev_routes


# Business rules of the reference backend (documented in docs/portal-backend.md).
KARMASHREE_ENTITLEMENT_DAYS = 50
DEMAND_MIN_DAYS, DEMAND_MAX_DAYS = 1, 14
DEMAND_MAX_DAYS_AHEAD = 90
OTP_TTL_SECONDS = 5 * 60
OTP_MAX_TRIES = 3
OTP_COOLDOWN_SECONDS = 15 * 60
OTP_MAX_SENDS_PER_WINDOW = 5  # codes per mobile per cool-down window
CALLBACK_EXPECTED_WITHIN_HOURS = 24
