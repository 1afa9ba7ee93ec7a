"""sathi/privacy.py masks phones, one-time codes, link tokens and secrets in every log record
(standard logging and Rasa's structlog events); bot_store.retention deletes what is past its
retention period and keeps unfinished work."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from bot_store import db, inbox, rate_limits, retention
from bot_store.schema import audit_log, wa_inbox
from sathi import clock
from sathi.privacy import mask_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "raw,hidden",
    [
        ("from 919800000001", "919800000001"),
        ("call 9800000001 now", "9800000001"),
        ("user said '482913'", "482913"),
        ("code ৪৮২৯১৩", "৪৮২৯১৩"),
        ("GET /documents/Zx_3kfj39sdkfj39SDFkj3 200", "Zx_3kfj39sdkfj39SDFkj3"),
        ('{"token": "abcdEFGH12345678"}', "abcdEFGH12345678"),
        ("Authorization: Bearer EAAGm0PX4ZCpsBA1234", "EAAGm0PX4ZCpsBA1234"),
        ("X-Service-Key: s3cr3t-service-key-value", "s3cr3t-service-key-value"),
        ("GET /conversations/x/trigger_intent?token=abcdefgh12345678", "abcdefgh12345678"),
    ],
)
def test_mask_text_hides(raw, hidden):
    assert hidden not in mask_text(raw)


def test_masked_phone_keeps_the_last_four_digits_and_ids_survive():
    out = mask_text("919800000001 asked about WBP-1002300 and WB-08-012-002-002/270 on 2026-11-28")
    assert "********0001" in out and "WBP-1002300" in out and "WB-08-012-002-002/270" in out


def test_every_log_record_of_the_process_is_masked():
    """Run in a fresh interpreter: a handler added after installation, structlog routed the
    way Rasa 3.6 routes it (stdlib LoggerFactory), and a record with %-args."""
    code = r"""
import io, logging, structlog
from sathi.privacy import install_masking_filter
install_masking_filter()
stream = io.StringIO()
handler = logging.StreamHandler(stream)           # added later: the record factory covers it
logging.getLogger().addHandler(handler); logging.getLogger().setLevel(logging.DEBUG)
logging.getLogger("rasa.core").debug("Received user message '%s' from %s", "482913", "919800000001")
structlog.configure(processors=[structlog.processors.JSONRenderer()],
                    logger_factory=structlog.stdlib.LoggerFactory())
structlog.get_logger().info("rest.message", text="my code 482913", sender_id="919800000001",
                            link="/documents/Zx_3kfj39sdkfj39SDFkj3")
print(stream.getvalue())
"""
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    for secret in ("482913", "919800000001", "Zx_3kfj39sdkfj39SDFkj3"):
        assert secret not in out.stdout, out.stdout
    assert "********0001" in out.stdout


@pytest.fixture
def store(empty_bot_store, monkeypatch):
    monkeypatch.setenv("SATHI_TRACKER_DB", str(empty_bot_store / "tracker.db"))


def test_retention_deletes_old_rows_and_keeps_unfinished_work(store, monkeypatch):
    old = clock.now() - timedelta(days=400)
    with db.engine().begin() as conn:
        conn.execute(
            insert(audit_log).values(
                at=old,
                mobile="919800000001",
                channel="rest",
                service="trade_noc",
                record_ref="TN",
                outcome="delivered",
            )
        )
        conn.execute(
            insert(audit_log).values(
                at=clock.now(),
                mobile="919800000001",
                channel="rest",
                service="trade_noc",
                record_ref="TN",
                outcome="delivered",
            )
        )
    done = inbox.add("wamid.done", "919800000001", {"type": "text"}, None)
    waiting = inbox.add("wamid.new", "919800000001", {"type": "text"}, None)
    inbox.mark_done(done)
    with db.engine().begin() as conn:
        conn.execute(update(wa_inbox).values(received_at=old))
    rate_limits.check_message("919800000001")
    monkeypatch.setenv("SATHI_RETENTION_RATE_LIMIT_DAYS", "0")
    dry = retention.apply_retention(dry_run=True)
    assert dry["audit_log"] == 1 and dry["wa_inbox"] == 1 and dry["rate_limits"] == 1
    assert retention.apply_retention(dry_run=True) == dry  # a dry run deletes nothing
    report = retention.apply_retention()
    assert report == dry
    with db.engine().connect() as conn:
        assert len(conn.execute(select(audit_log)).fetchall()) == 1
        states = [r.id for r in conn.execute(select(wa_inbox)).fetchall()]
    assert states == [waiting]  # unanswered message kept


def test_retention_command_runs(store):
    out = subprocess.run(
        [sys.executable, "-m", "bot_store.retention", "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )
    assert out.returncode == 0, out.stderr
    assert "audit_log" in out.stdout and "would delete" in out.stdout
