"""Every setting of Sathi, in one typed object read from the environment.

    from sathi.settings import settings
    settings().link_ttl_seconds            # 900 unless SATHI_LINK_TTL_SECONDS says otherwise

Each field is one environment variable: its type, default and one-line description. A new
variable is one line here (`name: type = var("SATHI_<NAME>", default, "what it does")`); then
`python -m tools.env_example > .env.example`. Nothing else in the tree reads `os.environ` for
a `SATHI_*` or `WHATSAPP_*` variable (tests/project/test_settings.py checks it).

- An empty value (as `cp .env.example .env` gives) means the default.
- A bad value stops the process at start with one line naming the variable
  (`check_or_exit`, called by every process's start; `python -m sathi.settings check` is what
  scripts/stack.sh asks before it starts anything).
- Secrets are `SecretStr` (never in a repr or a log) and come only from the environment.
- `production=True` marks what the production profile refuses to start without.

The object is built once per process (`settings()`); tests that change the environment call
`reset_settings()` (tests/conftest.py does it around every test and on every monkeypatched
variable). Framework-free (pydantic only): every layer, portal_client included, may import it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseSettings, Field, SecretStr, ValidationError, root_validator, validator

REPO_ROOT = Path(__file__).resolve().parent.parent


def var(
    env: str,
    default: Any,
    description: str,
    *,
    group: str = "",
    production: bool = False,
    ge: float | None = None,
    example: str | None = None,
) -> Any:
    """One setting: the environment variable, its default and a one-line description
    (`production`: the production profile refuses to start without it; `example`: the value
    .env.example shows, when not the default)."""
    return Field(
        default,
        env=env,
        description=description,
        group=group,
        required_in_production=production,
        ge=ge,
        example=example,
    )


PROFILE, PORTS, DASHBOARD, PORTAL, STORES, RASA, DOCS, PEOPLE, WHATSAPP, RELIABILITY, SCALE = (
    "profile and state",
    "ports (all bound to 127.0.0.1)",
    "officials' dashboard login",
    "portal",
    "bot store, tracker store, lock store",
    "rasa server and action server",
    "documents",
    "people",
    "WhatsApp Cloud API (docs/whatsapp.md)",
    'reliability (docs/whatsapp.md "Reliability"), retention (docs/privacy.md)',
    "load and scale-out (docs/performance.md, docs/deployment.md), NLU evaluation",
)


class Settings(BaseSettings):
    # --- profile and state ----------------------------------------------------------------
    profile: Literal["trainer", "production"] = var(
        "SATHI_PROFILE",
        "trainer",
        "trainer: cmdline and rest sender ids are trusted as phone numbers; production: only signature-verified WhatsApp messages, endpoints.production.yml / credentials.production.yml.",
        group=PROFILE,
    )  # noqa: E501
    trusted_channels_raw: str = var(
        "SATHI_TRUSTED_CHANNELS",
        "",
        "Comma-separated channels whose sender id is taken as a verified phone (empty: trainer whatsapp,cmdline,rest; production whatsapp).",
        group=PROFILE,
    )  # noqa: E501
    var_dir_raw: str = var(
        "SATHI_VAR",
        "",
        "Where logs, pid files, SQLite files and generated secrets live (empty: ./var).",
        group=PROFILE,
    )  # noqa: E501
    clock: str = var(
        "SATHI_CLOCK",
        "",
        'Freeze "today" (ISO date or datetime, Asia/Kolkata) for demos and tests; empty = real time.',
        group=PROFILE,
    )  # noqa: E501
    # --- ports ---------------------------------------------------------------------------------
    portal_port: int = var("SATHI_PORTAL_PORT", 8070, "The reference portal backend.", group=PORTS)
    actions_port: int = var("SATHI_ACTIONS_PORT", 5055, "The action server.", group=PORTS)
    rasa_port: int = var("SATHI_RASA_PORT", 5005, "The rasa server.", group=PORTS)
    shell_port: int = var("SATHI_SHELL_PORT", 5006, "`make shell`'s own rasa server.", group=PORTS)
    emulator_port: int = var(
        "SATHI_EMULATOR_PORT", 8071, "The WhatsApp Graph API emulator.", group=PORTS
    )
    chat_port: int = var(
        "SATHI_CHAT_PORT",
        8072,
        "Trainers' web chat (trainers' profile only; docs/operator-console.md).",
        group=PORTS,
    )  # noqa: E501
    dashboard_port: int = var(
        "SATHI_DASHBOARD_PORT",
        8073,
        "Officials' dashboard (docs/operator-console.md).",
        group=PORTS,
    )  # noqa: E501
    # --- dashboard -----------------------------------------------------------------------------
    dashboard_user: str = var(
        "SATHI_DASHBOARD_USER", "staff", "HTTP basic auth user of the dashboard.", group=DASHBOARD
    )  # noqa: E501
    dashboard_password: SecretStr = var(
        "SATHI_DASHBOARD_PASSWORD",
        "",
        "Dashboard password; it refuses to start without one (trainers' profile: generated into $SATHI_VAR/run/) (secret).",
        group=DASHBOARD,
        production=True,
    )  # noqa: E501
    # --- portal ----------------------------------------------------------------------------------
    portal_url: str = var(
        "SATHI_PORTAL_URL",
        "",
        "Base URL of the portal API (empty: http://127.0.0.1:8070/api/v1); production: the department's API gateway.",
        group=PORTAL,
    )  # noqa: E501
    portal_service_key: SecretStr = var(
        "SATHI_PORTAL_SERVICE_KEY",
        "",
        "Service key sent as X-Service-Key on every portal call (secret).",
        group=PORTAL,
        production=True,
    )  # noqa: E501
    portal_db_url: str = var(
        "SATHI_PORTAL_DB_URL",
        "",
        "The reference backend's database, any SQLAlchemy URL (empty: SQLite in $SATHI_VAR/data).",
        group=PORTAL,
    )  # noqa: E501
    portal_dev_routes: bool = var(
        "SATHI_PORTAL_DEV_ROUTES",
        True,
        "0 disables the reference backend's /dev routes (outbox, fault injection).",
        group=PORTAL,
    )  # noqa: E501
    verify_whatsapp_number: str = var(
        "SATHI_VERIFY_WHATSAPP_NUMBER",
        "919147000000",
        "Sathi's WhatsApp number (digits, with 91) the QR code on every issued PDF opens a chat with (invented reference value).",
        group=PORTAL,
    )  # noqa: E501
    portal_connect_timeout: float = var(
        "SATHI_PORTAL_CONNECT_TIMEOUT",
        2.0,
        "Portal client: connect timeout per attempt (s).",
        group=PORTAL,
        ge=0,
    )  # noqa: E501
    portal_read_timeout: float = var(
        "SATHI_PORTAL_READ_TIMEOUT",
        4.0,
        "Portal client: read timeout per attempt (s).",
        group=PORTAL,
        ge=0,
    )  # noqa: E501
    portal_retries: int = var(
        "SATHI_PORTAL_RETRIES",
        2,
        "Portal client: extra attempts for idempotent calls.",
        group=PORTAL,
        ge=0,
    )  # noqa: E501
    portal_backoff: float = var(
        "SATHI_PORTAL_BACKOFF", 0.2, "Portal client: backoff base (s).", group=PORTAL, ge=0
    )
    portal_breaker_failures: int = var(
        "SATHI_PORTAL_BREAKER_FAILURES",
        5,
        "Portal client: failures that open the circuit breaker.",
        group=PORTAL,
        ge=1,
    )  # noqa: E501
    portal_breaker_cooldown: float = var(
        "SATHI_PORTAL_BREAKER_COOLDOWN",
        30.0,
        "Portal client: seconds the breaker stays open.",
        group=PORTAL,
        ge=0,
    )  # noqa: E501
    portal_max_pdf_bytes: int = var(
        "SATHI_PORTAL_MAX_PDF_BYTES",
        10485760,
        "Portal client: largest PDF accepted (bytes).",
        group=PORTAL,
        ge=1,
    )  # noqa: E501
    portal_deadline_seconds: float = var(
        "SATHI_PORTAL_DEADLINE_SECONDS",
        4.5,
        "An action gives up on a portal call after this many seconds (retries included).",
        group=PORTAL,
        ge=0,
    )  # noqa: E501
    # --- stores ----------------------------------------------------------------------------------
    bot_store_url: SecretStr = var(
        "SATHI_BOT_STORE_URL",
        "",
        "The bot's own tables (documents, audit, inbox, outbox...), an SQLAlchemy URL (empty: SQLite in $SATHI_VAR/data); production: PostgreSQL with a password.",
        group=STORES,
        production=True,
    )  # noqa: E501
    bot_store_pool_size: int = var(
        "SATHI_BOT_STORE_POOL_SIZE",
        16,
        "PostgreSQL connections each process keeps open to the bot store (up to 4 more for a burst, closed after it). At least as many as the process's threads that use the store: a burst past it opens and closes a connection each time.",
        group=STORES,
        ge=1,
    )  # noqa: E501
    tracker_db: str = var(
        "SATHI_TRACKER_DB", "", "SQLite tracker store file (trainers' profile).", group=STORES
    )
    tracker_store_url: SecretStr = var(
        "SATHI_TRACKER_STORE_URL",
        "",
        "The tracker store as an SQLAlchemy URL, for erasure and retention (empty: from SATHI_TRACKER_DB).",
        group=STORES,
    )  # noqa: E501
    tracker_db_host: str = var(
        "SATHI_TRACKER_DB_HOST",
        "127.0.0.1",
        "Production tracker store (PostgreSQL): host.",
        group=STORES,
    )  # noqa: E501
    tracker_db_port: int = var(
        "SATHI_TRACKER_DB_PORT", 5432, "Production tracker store: port.", group=STORES
    )
    tracker_db_name: str = var(
        "SATHI_TRACKER_DB_NAME", "sathi", "Production tracker store: database.", group=STORES
    )
    tracker_db_user: str = var(
        "SATHI_TRACKER_DB_USER", "postgres", "Production tracker store: user.", group=STORES
    )
    tracker_db_password: SecretStr = var(
        "SATHI_TRACKER_DB_PASSWORD",
        "",
        "Production tracker store: password (secret).",
        group=STORES,
        production=True,
    )  # noqa: E501
    redis_host: str = var(
        "SATHI_REDIS_HOST",
        "127.0.0.1",
        "Redis of the lock store and the rate counters: host.",
        group=STORES,
    )  # noqa: E501
    redis_port: int = var("SATHI_REDIS_PORT", 6379, "Redis: port.", group=STORES)
    redis_db: int = var("SATHI_REDIS_DB", 1, "Redis: database number.", group=STORES, ge=0)
    redis_username: str = var(
        "SATHI_REDIS_USERNAME", "", "Redis user (ACL); empty: the default user.", group=STORES
    )
    redis_password: SecretStr = var(
        "SATHI_REDIS_PASSWORD", "", "Redis password (secret).", group=STORES, production=True
    )  # noqa: E501
    # --- rasa server and action server -----------------------------------------------------------
    rasa_api_token: SecretStr = var(
        "SATHI_RASA_API_TOKEN",
        "",
        "Token for the rasa HTTP API (/conversations/..., trigger_intent) (secret).",
        group=RASA,
        production=True,
    )  # noqa: E501
    actions_url: str = var(
        "SATHI_ACTIONS_URL",
        "",
        "URL of the action server as the rasa server sees it (endpoints.yml).",
        group=RASA,
    )  # noqa: E501
    channel_secret: SecretStr = var(
        "SATHI_CHANNEL_SECRET",
        "",
        "HMAC key of the proof on verified messages, of OTP-proven mobiles and of the deferred-delivery trigger (secret).",
        group=RASA,
        production=True,
    )  # noqa: E501
    action_token: SecretStr = var(
        "SATHI_ACTION_TOKEN",
        "",
        "Token the rasa server sends to the action server (X-Sathi-Action-Token); refused without it (secret).",
        group=RASA,
        production=True,
    )  # noqa: E501
    otp_trust_hours: float = var(
        "SATHI_OTP_TRUST_HOURS",
        24.0,
        "Hours a mobile proven by one-time code stays proven in that conversation.",
        group=RASA,
        ge=0,
    )  # noqa: E501
    otp_max_wrong_per_day: int = var(
        "SATHI_OTP_MAX_WRONG_PER_DAY",
        10,
        "Wrong one-time codes per number being proven per day, then that number is locked until the next day.",
        group=RASA,
        ge=0,
    )  # noqa: E501
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = var(
        "SATHI_LOG_LEVEL",
        "INFO",
        "Log level of the rasa server, action server and operator pages (logs stay masked).",
        group=RASA,
    )  # noqa: E501
    tracker_cache_events: int = var(
        "SATHI_TRACKER_CACHE_EVENTS",
        200000,
        "Deserialized conversation events each rasa process keeps between turns (least recently used conversations go first); 0: none, every turn reloads the session.",
        group=RASA,
        ge=0,
    )  # noqa: E501
    gc_freeze: bool = var(
        "SATHI_GC_FREEZE",
        True,
        "Once the rasa server has started (model loaded), freeze its objects out of Python's cyclic garbage collector, so that a full collection no longer walks the half million objects of the model (about 250 ms each time); off: A/B measurements only.",
        group=RASA,
    )  # noqa: E501
    slot_mappings_in_process: bool = var(
        "SATHI_SLOT_MAPPINGS_IN_PROCESS",
        True,
        "1: the per-turn slot mappings run in the rasa process; 0: as a remote action call (A/B measurements only).",
        group=RASA,
    )  # noqa: E501
    prediction_states_senders: int = var(
        "SATHI_PREDICTION_STATES_SENDERS",
        1000,
        "Senders whose dialogue states the policies keep between predictions (sathi_dialogue/, least recently used out; about 165 kB for a 60-turn session), and whose applied events the session check keeps between messages (channels/session_check.py); 0: Rasa recomputes both every time (A/B measurements only).",
        group=RASA,
        ge=0,
    )  # noqa: E501
    # --- documents -------------------------------------------------------------------------------
    download_base_url: str = var(
        "SATHI_DOWNLOAD_BASE_URL",
        "http://127.0.0.1:5005",
        "Base URL of download links on rest / rasa shell (this machine's address when trainers open links elsewhere).",
        group=DOCS,
    )  # noqa: E501
    link_ttl_seconds: int = var(
        "SATHI_LINK_TTL_SECONDS",
        900,
        "How long a download link works (s; 0: expired at once, for tests).",
        group=DOCS,
        ge=0,
    )  # noqa: E501
    link_max_uses: int = var(
        "SATHI_LINK_MAX_USES",
        1,
        "How many times one download link opens (1: single use).",
        group=DOCS,
        ge=1,
    )  # noqa: E501
    # --- people ----------------------------------------------------------------------------------
    helpline: str = var(
        "SATHI_HELPLINE",
        "1800-345-3444",
        "The department helpline the bot gives out (reference value).",
        group=PEOPLE,
    )  # noqa: E501
    grievance_line: str = var(
        "SATHI_GRIEVANCE_LINE",
        "9137091370",
        'The grievance line given with the helpline (reference value: "Didi ke Bolo").',
        group=PEOPLE,
    )  # noqa: E501
    # --- WhatsApp --------------------------------------------------------------------------------
    whatsapp_access_token: SecretStr = var(
        "WHATSAPP_ACCESS_TOKEN",
        "",
        "Graph API access token (secret).",
        group=WHATSAPP,
        production=True,
    )  # noqa: E501
    whatsapp_app_secret: SecretStr = var(
        "WHATSAPP_APP_SECRET",
        "",
        "Meta app secret: the webhook signature key (secret).",
        group=WHATSAPP,
        production=True,
    )  # noqa: E501
    whatsapp_verify_token: SecretStr = var(
        "WHATSAPP_VERIFY_TOKEN",
        "",
        "Webhook verification token (secret).",
        group=WHATSAPP,
        production=True,
    )  # noqa: E501
    whatsapp_phone_number_id: str = var(
        "WHATSAPP_PHONE_NUMBER_ID",
        "",
        "The business phone number id messages are sent from.",
        group=WHATSAPP,
        production=True,
    )  # noqa: E501
    whatsapp_graph_url: str = var(
        "WHATSAPP_GRAPH_URL",
        "",
        "Graph API base URL (empty: https://graph.facebook.com; trainers: the local emulator).",
        group=WHATSAPP,
    )  # noqa: E501
    whatsapp_graph_version: str = var(
        "WHATSAPP_GRAPH_VERSION", "v21.0", "Graph API version.", group=WHATSAPP
    )
    wa_graph_timeout: float = var(
        "SATHI_WA_GRAPH_TIMEOUT", 20.0, "Graph answer timeout (s).", group=WHATSAPP, ge=0
    )
    wa_max_attempts: int = var(
        "SATHI_WA_MAX_ATTEMPTS", 5, "Attempts per outbound message.", group=WHATSAPP, ge=1
    )
    wa_retry_base: float = var(
        "SATHI_WA_RETRY_BASE", 0.5, "Outbound backoff base (s).", group=WHATSAPP, ge=0
    )
    wa_retry_cap: float = var(
        "SATHI_WA_RETRY_CAP", 8.0, "Outbound backoff cap (s).", group=WHATSAPP, ge=0
    )
    wa_pace_seconds: float = var(
        "SATHI_WA_PACE_SECONDS",
        0.3,
        "Pause between one turn's messages to a user past the first SATHI_WA_PACE_AFTER (s).",
        group=WHATSAPP,
        ge=0,
    )  # noqa: E501
    wa_pace_after: int = var(
        "SATHI_WA_PACE_AFTER",
        3,
        "Messages of one turn sent to a user without a pause (Meta lets a pair burst).",
        group=WHATSAPP,
        ge=0,
    )
    wa_lease_seconds: float = var(
        "SATHI_WA_LEASE_SECONDS",
        30.0,
        "Lease on an inbox row being processed (s).",
        group=WHATSAPP,
        ge=0,
    )  # noqa: E501
    turn_concurrency: int = var(
        "SATHI_TURN_CONCURRENCY",
        4,
        "Turns computed at once per rasa process, WhatsApp and REST together (the rest wait in"
        " order; sending WhatsApp answers does not count).",
        group=WHATSAPP,
        ge=1,
    )
    wa_inbox_attempts: int = var(
        "SATHI_WA_INBOX_ATTEMPTS", 3, "Attempts of an inbound message.", group=WHATSAPP, ge=1
    )
    wa_window_seconds: float = var(
        "SATHI_WA_WINDOW_SECONDS",
        85800.0,
        "WhatsApp 24-hour window (s; a margin below 24 h).",
        group=WHATSAPP,
        ge=0,
    )  # noqa: E501
    wa_document_template: str = var(
        "SATHI_WA_DOCUMENT_TEMPLATE",
        "sathi_document_ready",
        "The approved utility template that carries a document outside the window.",
        group=WHATSAPP,
    )  # noqa: E501
    # --- reliability -----------------------------------------------------------------------------
    rasa_telemetry_enabled: bool = var(
        "RASA_TELEMETRY_ENABLED",
        False,
        "Always false: nothing may phone home.",
        group=RELIABILITY,
        example="false",
    )  # noqa: E501
    rate_messages: int = var(
        "SATHI_RATE_MESSAGES",
        20,
        "Messages per sender per window (WhatsApp inbox and REST); 0 disables.",
        group=RELIABILITY,
        ge=0,
    )  # noqa: E501
    rate_window_seconds: int = var(
        "SATHI_RATE_WINDOW_SECONDS",
        60,
        "Window of SATHI_RATE_MESSAGES (s).",
        group=RELIABILITY,
        ge=1,
    )  # noqa: E501
    rate_otp: int = var(
        "SATHI_RATE_OTP",
        3,
        "One-time codes per sender and per target number per window.",
        group=RELIABILITY,
        ge=0,
    )  # noqa: E501
    rate_otp_window_seconds: int = var(
        "SATHI_RATE_OTP_WINDOW_SECONDS",
        900,
        "Window of SATHI_RATE_OTP (s).",
        group=RELIABILITY,
        ge=1,
    )  # noqa: E501
    enumeration_max_ids: int = var(
        "SATHI_ENUMERATION_MAX_IDS",
        5,
        "Different records of one service one number may look up per window.",
        group=RELIABILITY,
        ge=0,
    )  # noqa: E501
    enumeration_window_seconds: int = var(
        "SATHI_ENUMERATION_WINDOW_SECONDS",
        600,
        "Window of SATHI_ENUMERATION_MAX_IDS (s).",
        group=RELIABILITY,
        ge=1,
    )  # noqa: E501
    enumeration_block_seconds: int = var(
        "SATHI_ENUMERATION_BLOCK_SECONDS",
        900,
        "How long a number that looked up too many is blocked (s).",
        group=RELIABILITY,
        ge=0,
    )  # noqa: E501
    max_message_chars: int = var(
        "SATHI_MAX_MESSAGE_CHARS",
        4096,
        "REST messages are cut at this many characters (WhatsApp's own limit is 4096).",
        group=RELIABILITY,
        ge=1,
    )  # noqa: E501
    rate_limit_store: Literal["", "redis", "sql"] = var(
        "SATHI_RATE_LIMIT_STORE",
        "",
        "Where per-sender counters live: redis (the lock store's Redis) or sql (the bot store); empty: redis in production, sql for trainers.",
        group=RELIABILITY,
    )  # noqa: E501
    deferred_poll_seconds: float = var(
        "SATHI_DEFERRED_POLL_SECONDS",
        5.0,
        "Deferred deliveries: worker poll interval (s).",
        group=RELIABILITY,
        ge=0,
    )  # noqa: E501
    deferred_hours: float = var(
        "SATHI_DEFERRED_HOURS",
        48.0,
        "Deferred deliveries: how long a request is kept (h).",
        group=RELIABILITY,
        ge=0,
    )  # noqa: E501
    deferred_lease_seconds: float = var(
        "SATHI_DEFERRED_LEASE_SECONDS",
        120.0,
        "Deferred deliveries: claim lease (s).",
        group=RELIABILITY,
        ge=0,
    )  # noqa: E501
    deferred_worker: bool = var(
        "SATHI_DEFERRED_WORKER",
        True,
        "off: no deferred-delivery worker in this process.",
        group=RELIABILITY,
    )  # noqa: E501
    push_poll_seconds: float = var(
        "SATHI_PUSH_POLL_SECONDS",
        10.0,
        "Status pushes (docs/notifications.md): how often the worker reads the portal's change feed (s).",
        group=RELIABILITY,
        ge=0.1,
    )  # noqa: E501
    push_quiet_hours: str = var(
        "SATHI_PUSH_QUIET_HOURS",
        "21-8",
        'Status pushes: quiet hours in Asia/Kolkata, "start-end" (held until end:00).',
        group=RELIABILITY,
    )  # noqa: E501
    push_max_per_second: float = var(
        "SATHI_PUSH_MAX_PER_SECOND",
        20.0,
        "Status pushes: at most this many a second from each rasa replica (WhatsApp's per-number throughput / replicas).",
        group=RELIABILITY,
        ge=0.1,
    )  # noqa: E501
    push_worker: bool = var(
        "SATHI_PUSH_WORKER", True, "off: no status-push worker in this process.", group=RELIABILITY
    )  # noqa: E501
    rasa_internal_url: str = var(
        "SATHI_RASA_INTERNAL_URL",
        "",
        "The rasa server's own URL for the worker's trigger_intent call (empty: http://127.0.0.1:$SATHI_RASA_PORT).",
        group=RELIABILITY,
    )  # noqa: E501
    retention_whatsapp_days: float = var(
        "SATHI_RETENTION_WHATSAPP_DAYS",
        30.0,
        "Retention of WhatsApp inbox/outbox/status rows (days; `make retention`).",
        group=RELIABILITY,
        ge=0,
    )  # noqa: E501
    retention_deferred_days: float = var(
        "SATHI_RETENTION_DEFERRED_DAYS",
        30.0,
        "Retention of deferred deliveries (days).",
        group=RELIABILITY,
        ge=0,
    )  # noqa: E501
    retention_rate_limit_days: float = var(
        "SATHI_RETENTION_RATE_LIMIT_DAYS",
        1.0,
        "Retention of rate counters (days).",
        group=RELIABILITY,
        ge=0,
    )  # noqa: E501
    retention_feedback_days: float = var(
        "SATHI_RETENTION_FEEDBACK_DAYS",
        365.0,
        "Retention of feedback (days).",
        group=RELIABILITY,
        ge=0,
    )  # noqa: E501
    retention_conversation_days: float = var(
        "SATHI_RETENTION_CONVERSATION_DAYS",
        90.0,
        "Retention of conversations in the tracker store (days).",
        group=RELIABILITY,
        ge=0,
    )  # noqa: E501
    retention_audit_days: float = var(
        "SATHI_RETENTION_AUDIT_DAYS",
        365.0,
        "Retention of the audit log (days).",
        group=RELIABILITY,
        ge=0,
    )  # noqa: E501
    retention_portal_calls_days: float = var(
        "SATHI_RETENTION_PORTAL_CALLS_DAYS",
        400.0,
        "Retention of the portal call log (days).",
        group=RELIABILITY,
        ge=0,
    )  # noqa: E501
    # --- scale-out, NLU evaluation ----------------------------------------------------------------
    scale_postgres_url: str = var(
        "SATHI_SCALE_POSTGRES_URL",
        "postgresql://postgres@127.0.0.1:5432/postgres",
        "`make bench-scale` / `make scale-up`: PostgreSQL URL of a role allowed to CREATE DATABASE.",
        group=SCALE,
    )  # noqa: E501
    scale_redis_url: str = var(
        "SATHI_SCALE_REDIS_URL",
        "redis://127.0.0.1:6379/11",
        "tools/scale: the Redis database it uses.",
        group=SCALE,
    )  # noqa: E501
    scale_port_base: int = var(
        "SATHI_SCALE_PORT_BASE",
        6100,
        "tools/scale: first port of the block it uses (+0..+71).",
        group=SCALE,
    )  # noqa: E501
    scale_seconds: float = var(
        "SATHI_SCALE_SECONDS", 40.0, "tools/scale: seconds per load step.", group=SCALE, ge=0
    )
    massive_dir: str = var(
        "SATHI_MASSIVE_DIR",
        "",
        "`make nlu-eval`: folder of the MASSIVE bn-BD jsonl files (empty: ../shared/data/massive next to the checkout).",
        group=SCALE,
    )  # noqa: E501

    class Config:
        case_sensitive = True
        validate_all = True
        extra = "ignore"

        @classmethod
        def customise_sources(
            cls, init_settings: Any, env_settings: Any, file_secret_settings: Any
        ) -> tuple[Any, ...]:
            return (init_settings,)  # the environment is read once, by `from_mapping`

    @root_validator(pre=True)
    def _empty_is_default(cls, values: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items() if not (isinstance(v, str) and not v.strip())}

    @validator("rasa_telemetry_enabled")
    def _no_telemetry(cls, value: bool) -> bool:
        if value:
            raise ValueError("must be false: nothing may phone home")
        return value

    @validator("push_quiet_hours")
    def _hour_range(cls, value: str) -> str:
        start, sep, end = value.strip().partition("-")
        if not (sep and start.isdigit() and end.isdigit() and int(start) < 24 and int(end) < 24):
            raise ValueError('must be two hours "start-end", e.g. 21-8')
        return value.strip()

    @validator("clock")
    def _iso_clock(cls, value: str) -> str:
        if value.strip():
            datetime.fromisoformat(value.strip())
        return value.strip()

    # --- derived values ------------------------------------------------------------------------
    @property
    def var_dir(self) -> Path:
        return Path(self.var_dir_raw) if self.var_dir_raw else REPO_ROOT / "var"

    @property
    def trusted_channels(self) -> set:
        named = {c.strip() for c in self.trusted_channels_raw.split(",") if c.strip()}
        if named:
            return named
        return {"whatsapp", "cmdline", "rest"} if self.profile == "trainer" else {"whatsapp"}

    @property
    def uses_redis_counters(self) -> bool:
        return (
            self.rate_limit_store == "redis"
            if self.rate_limit_store
            else self.profile == "production"
        )

    @property
    def rasa_api_url(self) -> str:
        return (self.rasa_internal_url or f"http://127.0.0.1:{self.rasa_port}").rstrip("/")

    def retention_days(self, name: str) -> float:
        """Retention by its variable name (SATHI_RETENTION_..._DAYS)."""
        return float(getattr(self, _FIELD_BY_ENV[name]))

    # --- the list of variables -----------------------------------------------------------------
    @classmethod
    def variables(cls) -> list[Variable]:
        return [Variable(name, f) for name, f in cls.__fields__.items()]

    @classmethod
    def from_mapping(cls, environ: Mapping[str, str]) -> Settings:
        """Settings from a mapping instead of os.environ (a SettingsError on a bad value)."""
        values = {_FIELD_BY_ENV[k]: v for k, v in environ.items() if k in _FIELD_BY_ENV}
        try:
            return cls.parse_obj(cls._empty_is_default(values))
        except ValidationError as error:
            raise SettingsError(_explain(error, environ)) from None


class Variable:
    """One environment variable as the tooling sees it (.env.example, stack.sh, tests)."""

    def __init__(self, field_name: str, model_field: Any) -> None:
        info = model_field.field_info
        self.field = field_name
        self.env = info.extra["env"]
        self.description = info.description or ""
        self.group = info.extra.get("group", "")
        self.required_in_production = bool(info.extra.get("required_in_production"))
        self.secret = model_field.outer_type_ is SecretStr
        default = model_field.default
        if isinstance(default, bool):
            default = "1" if default else "0"
        elif isinstance(default, float) and default.is_integer():
            default = int(default)
        example = info.extra.get("example")
        self.default = example if example is not None else "" if default is None else str(default)


_FIELD_BY_ENV = {f.field_info.extra["env"]: n for n, f in Settings.__fields__.items()}
NAMES = frozenset(_FIELD_BY_ENV)


class SettingsError(ValueError):
    """A bad value; the message names each variable and what is wrong with it."""


def _explain(error: ValidationError, environ: Mapping[str, str]) -> str:
    lines = []
    for item in error.errors():
        field = str(item["loc"][0])
        model_field = Settings.__fields__.get(field)
        env = model_field.field_info.extra["env"] if model_field else field
        shown = (
            "(secret)"
            if model_field is not None and model_field.outer_type_ is SecretStr
            else repr(environ.get(env, ""))
        )
        lines.append(f"configuration: {env}={shown} is not valid: {item['msg']}")
    return "\n".join(lines)


_lock = threading.Lock()
_cached: Settings | None = None


def settings() -> Settings:
    """The settings of this process (built on first use, then cached)."""
    global _cached
    current = _cached
    if current is None:
        with _lock:
            if _cached is None:
                import os  # the one place that reads the environment

                _cached = Settings.from_mapping(os.environ)
            current = _cached
    return current


def reset_settings() -> None:
    """Forget the cached settings (tests, after changing the environment)."""
    global _cached
    with _lock:
        _cached = None


def production_problems(current: Settings) -> list[str]:
    """What the production profile refuses to start without (one line each)."""
    if current.profile != "production":
        return []
    problems = []
    for variable in Settings.variables():
        if variable.required_in_production:
            value = getattr(current, variable.field)
            raw = value.get_secret_value() if isinstance(value, SecretStr) else value
            if not str(raw).strip():
                problems.append(
                    f"production: {variable.env} is not set (see .env.example); refusing to start"
                )
    url = current.bot_store_url.get_secret_value()
    if url and not _is_postgres_with_password(url):
        problems.append(
            "production: SATHI_BOT_STORE_URL must be a PostgreSQL URL with a "
            "password; refusing to start"
        )
    return problems


def _is_postgres_with_password(url: str) -> bool:
    scheme, _, rest = url.partition("://")
    credentials = rest.rpartition("@")[0]
    return scheme in ("postgresql", "postgresql+psycopg2") and ":" in credentials


def check_or_exit(stream: Any = None, production: bool = False) -> Settings:
    """For a process's start: the settings, or one line per bad variable and exit status 2.
    `production`: also what the production profile requires of the whole deployment (what
    `python -m sathi.settings check` asks for scripts/stack.sh; a single process started on
    its own checks only its own secrets, as the action server does its token)."""
    stream = stream or sys.stderr
    try:
        current = settings()
    except SettingsError as error:
        print(error, file=stream)
        raise SystemExit(2) from None
    problems = production_problems(current) if production else []
    if problems:
        print("\n".join(problems), file=stream)
        raise SystemExit(2)
    return current


def main(argv: list[str] | None = None) -> int:
    """python -m sathi.settings check | production-required"""
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else "check"
    if command == "check":
        check_or_exit(production=True)
        return 0
    if command == "production-required":
        print(" ".join(v.env for v in Settings.variables() if v.required_in_production))
        return 0
    print("usage: python -m sathi.settings check | production-required", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
