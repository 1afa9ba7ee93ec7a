"""The dashboard's query module on SQLite and on PostgreSQL: the same hand-built data, the same
expected numbers. Tracker events are written by Rasa's own SQLTrackerStore; bot-store rows
with explicit times, one just outside the range each, so the range bounds are tested too.
PostgreSQL: SATHI_TEST_POSTGRES_URL (default postgres@127.0.0.1:5432); skipped loudly when it
does not answer."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert
from sqlalchemy.engine import make_url

from bot_store import db as bot_db
from bot_store.portal_calls import portal_calls
from bot_store.schema import audit_log, deferred_deliveries, feedback, preferences
from operator_console.dashboard import metrics
from sathi.clock import IST

DAY1, DAY2 = date(2026, 11, 20), date(2026, 11, 21)
BEFORE = datetime(2026, 11, 19, 23, 50, tzinfo=IST)  # outside the range


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=IST)


def user(text, intent, confidence, when, ranking=None, entities=()):
    from rasa.shared.core.events import UserUttered

    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": list(entities),
        "intent_ranking": ranking or [{"name": intent, "confidence": confidence}],
    }
    return UserUttered(text, parse["intent"], list(entities), parse, timestamp=when.timestamp())


def slot(name, value, when):
    from rasa.shared.core.events import SlotSet

    return SlotSet(name, value, timestamp=when.timestamp())


def conversations():
    """Three conversations: what `collect(DAY1, DAY2)` must count from them."""
    fallback_ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "wage_status", "confidence": 0.31},
        {"name": "greet", "confidence": 0.2},
    ]
    return {
        "919800000001": [
            slot("language", "bn", at(DAY1, 9)),
            user("আমার মজুরি কবে ঢুকবে", "wage_status", 0.91, at(DAY1, 9, 1)),
            user("amar kaj er hisab", "work_status", 0.88, at(DAY1, 9, 2)),
            user("/payslip", "payslip", 1.0, at(DAY2, 10)),
            user("কী যে বলি", "nlu_fallback", 0.4, at(DAY2, 10, 5), fallback_ranking),
            user("STOP", "opt_out", 0.97, at(DAY2, 10, 6)),
        ],
        "919800000002": [
            user("payslip WBP-1002300 october", "payslip", 0.95, at(DAY1, 11)),
            slot("language", "en", at(DAY1, 11, 1)),
            user(
                "salary kobe dibe ami janina", "nlu_fallback", 0.4, at(DAY2, 12), fallback_ranking
            ),
            slot("language", "bn", at(DAY2 + timedelta(days=1), 8)),  # after the range: ignored
        ],
        "919800000003": [  # only before the range: not counted at all
            slot("language", "en", BEFORE),
            user("trade noc please", "trade_noc", 0.9, BEFORE),
        ],
    }


EXPECTED = {
    "requests": {
        DAY1.isoformat(): {"payslip": 1, "wage_status": 1, "work_status": 1},
        DAY2.isoformat(): {"payslip": 1},
    },
    "requests_total": {"payslip": 2, "wage_status": 1, "work_status": 1},
    "languages": {"bn": 1, "en": 1, "none": 0},
    "registers": {
        "bn": 2,
        "en": 1,
        "romanized": 2,
        "mixed": 0,
        "button": 1,
        "none": 1,
    },  # "STOP": none
    "user_messages": 7,
    "fallbacks": 2,
    "fallback_rate": round(2 / 7, 4),
    "not_understood": [("wage_status", 2)],
    "opt_out_messages": 1,
}


def save_trackers(tracker_url: str) -> None:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.trackers import DialogueStateTracker

    url = make_url(tracker_url)
    if url.drivername.startswith("sqlite"):
        store = SQLTrackerStore(dialect="sqlite", db=url.database)
    else:
        store = SQLTrackerStore(
            dialect="postgresql",
            host=url.host,
            port=url.port or 5432,
            db=url.database,
            username=url.username,
            password=url.password,
        )
    for sender, events in conversations().items():
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))
    store.engine.dispose()


def fill_bot_store(url: str) -> None:
    eng = bot_db.engine(url)
    portal_calls.create(eng, checkfirst=True)
    utc = lambda moment: moment.astimezone(timezone.utc).replace(tzinfo=None)  # noqa: E731
    with eng.begin() as conn:
        conn.execute(
            insert(audit_log),
            [
                dict(
                    at=at(DAY1, 9, 3),
                    mobile="919800000001",
                    channel="whatsapp",
                    service="payslip",
                    record_ref="r1",
                    outcome="delivered",
                ),
                dict(
                    at=at(DAY2, 23, 59),
                    mobile="919800000001",
                    channel="whatsapp",
                    service="payslip",
                    record_ref="r2",
                    outcome="delivered",
                ),
                dict(
                    at=at(DAY2, 10),
                    mobile="919800000002",
                    channel="whatsapp",
                    service="trade_noc",
                    record_ref="r3",
                    outcome="not_yours",
                ),
                dict(
                    at=at(DAY1, 12),
                    mobile="919800000002",
                    channel="rest",
                    service="building_plan",
                    record_ref="r4",
                    outcome="unavailable",
                ),
                dict(
                    at=at(DAY2, 11),
                    mobile="919800000003",
                    channel="whatsapp",
                    service="trade_noc",
                    record_ref="r5",
                    outcome="refused_recipient",
                ),
                dict(
                    at=BEFORE,
                    mobile="919800000002",
                    channel="rest",
                    service="payslip",
                    record_ref="r5",
                    outcome="not_found",
                ),
            ],
        )
        conn.execute(
            insert(deferred_deliveries),
            [
                dict(
                    mobile="919800000001",
                    channel="whatsapp",
                    service="payslip",
                    request='{"a":1}',
                    state="delivered",
                    created_at=utc(at(DAY1, 12)),
                    due_by=utc(at(DAY2, 12)),
                    delivered_at=utc(at(DAY1, 13)),
                ),
                dict(
                    mobile="919800000002",
                    channel="whatsapp",
                    service="payslip",
                    request='{"a":2}',
                    state="waiting",
                    created_at=utc(at(DAY2, 12)),
                    due_by=utc(at(DAY2, 23)),
                    delivered_at=None,
                ),
                dict(
                    mobile="919800000002",
                    channel="whatsapp",
                    service="payslip",
                    request='{"a":3}',
                    state="waiting",
                    created_at=utc(BEFORE),
                    due_by=utc(at(DAY2, 23)),
                    delivered_at=None,
                ),
            ],
        )
        conn.execute(
            insert(feedback),
            [
                dict(
                    mobile="919800000001",
                    service="payslip",
                    language="bn",
                    helpful=1,
                    at=at(DAY1, 9, 4),
                ),
                dict(
                    mobile="919800000002",
                    service="payslip",
                    language="en",
                    helpful=0,
                    at=at(DAY2, 9),
                ),
                dict(
                    mobile="919800000002",
                    service="trade_noc",
                    language="en",
                    helpful=1,
                    at=at(DAY2, 9),
                ),
                dict(
                    mobile="919800000003", service="trade_noc", language="en", helpful=0, at=BEFORE
                ),
            ],
        )
        conn.execute(
            insert(preferences),
            [
                dict(
                    mobile="919800000001",
                    language="bn",
                    opted_out=1,
                    privacy_notice_shown=1,
                    updated_at=at(DAY2, 10),
                ),
                dict(
                    mobile="919800000002",
                    language="en",
                    opted_out=0,
                    privacy_notice_shown=1,
                    updated_at=at(DAY2, 10),
                ),
            ],
        )
        conn.execute(
            insert(portal_calls),
            [
                *[
                    dict(
                        at=at(DAY1, 10, i),
                        kind="call",
                        operation="payslip_pdf",
                        ms=float(ms),
                        outcome="ok",
                    )
                    for i, ms in enumerate([10, 20, 30, 40, 50, 60, 70, 80, 90, 1000])
                ],
                dict(
                    at=at(DAY1, 11),
                    kind="call",
                    operation="payslip_pdf",
                    ms=0.1,
                    outcome="circuit_open",
                ),
                dict(
                    at=at(DAY1, 11),
                    kind="breaker_open",
                    operation="payroll",
                    ms=None,
                    outcome="open",
                ),
                dict(at=BEFORE, kind="call", operation="payslip_pdf", ms=5000.0, outcome="ok"),
            ],
        )


def check(report: metrics.Report) -> None:
    for key, value in EXPECTED.items():
        assert getattr(report, key) == value, key
    assert report.days == [DAY1.isoformat(), DAY2.isoformat()]
    assert report.outcomes["delivered"] == 2 and report.outcomes["not_yours"] == 1
    assert report.outcomes["unavailable"] == 1 and report.outcomes["not_found"] == 0
    assert report.outcomes["deferred"] == 2 and report.outcomes["deferred_then_delivered"] == 1
    assert report.outcomes["refused_recipient"] == 1 and report.outcomes["not_delivered"] == 0
    assert report.feedback == {"payslip": {"up": 1, "down": 1}, "trade_noc": {"up": 1, "down": 0}}
    assert report.portal["payslip_pdf"] == {
        "calls": 10,
        "p50_ms": 50.0,
        "p95_ms": 1000.0,
        "failed_fast": 1,
    }
    assert report.portal["all"]["calls"] == 10
    assert report.breaker_openings == {"payroll": 1}
    assert report.deferred_queue == 2  # now, whatever the range
    assert report.opted_out_now == 1
    flat = metrics.csv_rows(report)
    assert ("outcomes", "delivered", "", 2) in flat
    assert ("requests_per_day", DAY1.isoformat(), "wage_status", 1) in flat
    text = repr(report.as_dict())
    for secret in ("919800000001", "919800000002", "মজুরি", "WBP-1002300", "r1"):
        assert secret not in text, f"{secret} leaked into the aggregates"


def test_metrics_on_sqlite(tmp_path):
    bot_url, tracker_url = f"sqlite:///{tmp_path}/bot.db", f"sqlite:///{tmp_path}/tracker.db"
    save_trackers(tracker_url)
    fill_bot_store(bot_url)
    check(metrics.collect(DAY1, DAY2, bot_store_url=bot_url, tracker_url=tracker_url))
    # an empty store: zeros, and a note, not an error
    empty = metrics.collect(
        DAY1,
        DAY2,
        bot_store_url=f"sqlite:///{tmp_path}/empty.db",
        tracker_url=f"sqlite:///{tmp_path}/none.db",
    )
    assert empty.user_messages == 0 and empty.notes


@pytest.fixture
def postgres_urls():
    from tests.production.conftest import POSTGRES_URL, _drop, _postgres_or_skip

    admin = _postgres_or_skip()
    names = [f"sathi_metrics_{uuid.uuid4().hex[:10]}_{role}" for role in ("bot", "tracker")]
    with admin.cursor() as cur:
        for name in names:
            cur.execute(f'CREATE DATABASE "{name}"')
    base = make_url(POSTGRES_URL)
    urls = [base.set(database=name).render_as_string(hide_password=False) for name in names]
    try:
        yield urls
    finally:
        bot_db.reset_for_tests()
        metrics._tracker_engines.clear()
        for name in names:
            _drop(admin, name)
        admin.close()


def test_metrics_on_postgresql(postgres_urls):
    bot_url, tracker_url = postgres_urls
    save_trackers(tracker_url)
    fill_bot_store(bot_url)
    check(metrics.collect(DAY1, DAY2, bot_store_url=bot_url, tracker_url=tracker_url))


def test_percentile_is_nearest_rank():
    assert metrics.percentile([], 50) == 0
    assert metrics.percentile([5], 95) == 5
    assert metrics.percentile(list(range(1, 101)), 95) == 95
    assert metrics.percentile([3, 1, 2], 50) == 2


def test_every_audit_outcome_has_a_row_and_a_bilingual_label():
    from bot_store import audit
    from operator_console.dashboard import page

    for outcome in audit.OUTCOMES:
        assert outcome in metrics.OUTCOMES, outcome
        label = page.OUTCOMES.get(outcome, "")
        assert " · " in label and any("\u0980" <= ch <= "\u09ff" for ch in label), (outcome, label)
