"""The officials' dashboard numbers: the ONE query module over the bot store and the tracker
store (SQLite or PostgreSQL, any SQLAlchemy URL). Aggregates only: nothing it returns carries
a phone number, a name, an id or a message text.

    report = metrics.collect(date(2026, 11, 1), date(2026, 11, 30))
    metrics.csv_rows(report)        # the same numbers, flat, for the CSV export

Every figure, its source and its exact definition (what the test compares with a direct count):

| figure | source | definition |
|---|---|---|
| requests per service per day | tracker `events` | user messages whose intent is a service intent (SERVICE_INTENTS), by Asia/Kolkata day of their timestamp |
| outcomes | bot store `audit_log` | answers to record requests by `outcome`, `at` in the range |
| deferred / deferred then delivered | `deferred_deliveries` | rows created in the range / of those, state `delivered` |
| language share | tracker `events` | conversations with a user message in the range, by the last `language` slot set before the range ends (`none` if never set) |
| register share | tracker `events` | user messages in the range by sathi.language.detect_register; button payloads (`/...`) are `button` |
| fallback rate, top not understood | tracker `events` | `nlu_fallback` user messages / all user messages; for those, the classifier's best real intent, counted |
| feedback | `feedback` | 👍 (helpful=1) / 👎 (helpful=0) per service, `at` in the range |
| portal latency, breaker openings | `portal_calls` | p50/p95 (nearest rank) of `ms` of calls that reached the portal (outcome not circuit_open), per operation and all; `breaker_open` rows |
| deferred queue | `deferred_deliveries` | rows waiting or being delivered, now |
| opt-outs | `preferences` / tracker | numbers opted out now; `opt_out` user messages in the range |

Days are Asia/Kolkata. Bot-store times are the project clock's (`sathi.clock`, stored as
Asia/Kolkata; `deferred_deliveries` as UTC); tracker timestamps are epoch seconds.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import and_, create_engine, func, inspect, select, text
from sqlalchemy.engine import Engine

from bot_store import audit
from bot_store import deferred as deferred_store
from bot_store.db import engine as bot_store_engine
from bot_store.portal_calls import BREAKER_OPEN, CALL, CIRCUIT_OPEN, portal_calls
from bot_store.schema import audit_log, deferred_deliveries, feedback, preferences
from sathi import clock
from sathi.language import detect_register
from sathi.settings import settings

IST = clock.IST
SERVICE_INTENTS = (
    "trade_noc",
    "building_plan",
    "tourism_slip",
    "payslip",
    "salary_statement",
    "form26",
    "cash_analysis",
    "work_status",
    "wage_status",
    "demand_work",
    "karmashree_info",
)
OUTCOMES = audit.OUTCOMES  # one list: a new outcome shows up on the dashboard by itself
REGISTERS = ("bn", "en", "romanized", "mixed", "button", "none")
LANGUAGES = ("bn", "en", "none")
FALLBACK_INTENT = "nlu_fallback"
MAX_DAYS = 400


@dataclass
class Report:
    start: str
    end: str
    days: list[str]
    requests: dict[str, dict[str, int]]  # day -> service -> count
    requests_total: dict[str, int]  # service -> count
    outcomes: dict[str, int]
    languages: dict[str, int]
    registers: dict[str, int]
    user_messages: int
    fallbacks: int
    fallback_rate: float
    not_understood: list[tuple[str, int]]  # best real intent of fallbacks, top 10
    feedback: dict[str, dict[str, int]]  # service -> {"up", "down"}
    portal: dict[str, dict[str, float]]  # operation (and "all") -> calls/p50/p95/...
    breaker_openings: dict[str, int]  # area -> count
    deferred_queue: int
    opted_out_now: int
    opt_out_messages: int
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def tracker_store_url() -> str:
    """SATHI_TRACKER_STORE_URL (scripts/stack.sh sets it for both profiles)."""
    config = settings()
    url = config.tracker_store_url.get_secret_value().strip()
    if url:
        return url
    return "sqlite:///" + (config.tracker_db or str(config.var_dir / "data" / "tracker.db"))


_tracker_engines: dict[str, Engine] = {}


def _tracker_engine(url: str) -> Engine:
    if url not in _tracker_engines:
        kwargs = (
            {"connect_args": {"timeout": 30}}
            if url.startswith("sqlite")
            else {"pool_pre_ping": True}
        )
        _tracker_engines[url] = create_engine(url, future=True, **kwargs)
    return _tracker_engines[url]


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return float(ordered[rank - 1])


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, day after end 00:00) in Asia/Kolkata."""
    if end < start:
        start, end = end, start
    if (end - start).days > MAX_DAYS:
        start = end - timedelta(days=MAX_DAYS)
    return (
        datetime.combine(start, time(0), IST),
        datetime.combine(end + timedelta(days=1), time(0), IST),
    )


def _utc_naive(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _day(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, IST).date().isoformat()


def _has_table(eng: Engine, name: str) -> bool:
    try:
        return inspect(eng).has_table(name)
    except Exception:
        return False


# --- tracker store ---------------------------------------------------------------------
def _user_events(eng: Engine, lo: float, hi: float) -> list[tuple[str, float, str | None, str]]:
    """(sender_id, timestamp, intent_name, data) of user messages in [lo, hi)."""
    query = text(
        "SELECT sender_id, timestamp, intent_name, data FROM events "
        "WHERE type_name = 'user' AND timestamp >= :lo AND timestamp < :hi ORDER BY id"
    )
    with eng.connect() as conn:
        return [tuple(r) for r in conn.execute(query, {"lo": lo, "hi": hi})]


def _last_languages(eng: Engine, senders: Iterable[str], hi: float) -> dict[str, str]:
    """The last `language` slot value each sender had before `hi`."""
    wanted = set(senders)
    found: dict[str, str] = {}
    if not wanted:
        return found
    query = text(
        "SELECT sender_id, data FROM events WHERE type_name = 'slot' "
        "AND timestamp < :hi AND data LIKE :pattern ORDER BY id"
    )
    with eng.connect() as conn:
        for sender, data in conn.execute(query, {"hi": hi, "pattern": '%"language"%'}):
            if sender not in wanted:
                continue
            try:
                event = json.loads(data)
            except ValueError:
                continue
            if event.get("name") == "language":
                value = event.get("value")
                found[sender] = value if value in ("bn", "en") else "none"
    return found


def _best_real_intent(data: str) -> str:
    try:
        ranking = json.loads(data).get("parse_data", {}).get("intent_ranking") or []
    except (ValueError, AttributeError):
        return "unknown"
    for entry in ranking:
        name = (entry or {}).get("name")
        if name and name != FALLBACK_INTENT:
            return name
    return "unknown"


def _message_text(data: str) -> str:
    try:
        return str(json.loads(data).get("text") or "")
    except (ValueError, AttributeError):
        return ""


def register_of(text_: str) -> str:
    if text_.startswith("/"):
        return "button"
    return detect_register(text_) or "none"


# --- the report ------------------------------------------------------------------------
def collect(
    start: date, end: date, *, bot_store_url: str | None = None, tracker_url: str | None = None
) -> Report:
    """Every dashboard figure for the Asia/Kolkata days start..end (inclusive)."""
    lo, hi = bounds(start, end)
    days = [
        (lo.date() + timedelta(days=i)).isoformat() for i in range((hi.date() - lo.date()).days)
    ]
    notes: list[str] = []
    store = bot_store_engine(bot_store_url)
    tracker = _tracker_engine(tracker_url or tracker_store_url())

    # tracker store
    requests: dict[str, dict[str, int]] = {d: {} for d in days}
    registers: Counter = Counter(dict.fromkeys(REGISTERS, 0))
    not_understood: Counter = Counter()
    languages: Counter = Counter(dict.fromkeys(LANGUAGES, 0))
    user_messages = fallbacks = opt_out_messages = 0
    if _has_table(tracker, "events"):
        rows = _user_events(tracker, lo.timestamp(), hi.timestamp())
        senders = set()
        for sender, stamp, intent, data in rows:
            user_messages += 1
            senders.add(sender)
            if intent in SERVICE_INTENTS:
                day = requests.setdefault(_day(stamp), {})
                day[intent] = day.get(intent, 0) + 1
            if intent == FALLBACK_INTENT:
                fallbacks += 1
                not_understood[_best_real_intent(data)] += 1
            if intent == "opt_out":
                opt_out_messages += 1
            registers[register_of(_message_text(data))] += 1
        last = _last_languages(tracker, senders, hi.timestamp())
        for sender in senders:
            languages[last.get(sender, "none")] += 1
    else:
        notes.append("tracker store has no events table yet")
    totals: Counter = Counter()
    for per_day in requests.values():
        totals.update(per_day)

    # bot store
    in_range = lambda column: and_(column >= lo, column < hi)  # noqa: E731
    with store.connect() as conn:
        outcomes: dict[str, int] = dict.fromkeys(OUTCOMES, 0)
        for outcome, count in conn.execute(
            select(audit_log.c.outcome, func.count())
            .where(in_range(audit_log.c.at))
            .group_by(audit_log.c.outcome)
        ):
            outcomes[outcome] = int(count)
        created = and_(
            deferred_deliveries.c.created_at >= _utc_naive(lo),
            deferred_deliveries.c.created_at < _utc_naive(hi),
        )
        outcomes["deferred"] = int(
            conn.execute(
                select(func.count()).select_from(deferred_deliveries).where(created)
            ).scalar()
            or 0
        )
        outcomes["deferred_then_delivered"] = int(
            conn.execute(
                select(func.count())
                .select_from(deferred_deliveries)
                .where(and_(created, deferred_deliveries.c.state == deferred_store.DELIVERED))
            ).scalar()
            or 0
        )
        votes: dict[str, dict[str, int]] = defaultdict(lambda: {"up": 0, "down": 0})
        for service, helpful, count in conn.execute(
            select(feedback.c.service, feedback.c.helpful, func.count())
            .where(in_range(feedback.c.at))
            .group_by(feedback.c.service, feedback.c.helpful)
        ):
            votes[service]["up" if int(helpful) else "down"] += int(count)
        deferred_queue = int(
            conn.execute(
                select(func.count())
                .select_from(deferred_deliveries)
                .where(deferred_deliveries.c.state.in_(deferred_store.OPEN_STATES))
            ).scalar()
            or 0
        )
        opted_out_now = int(
            conn.execute(
                select(func.count()).select_from(preferences).where(preferences.c.opted_out == 1)
            ).scalar()
            or 0
        )
    portal, openings = _portal_figures(store, lo, hi)

    return Report(
        start=lo.date().isoformat(),
        end=(hi.date() - timedelta(days=1)).isoformat(),
        days=days,
        requests={d: dict(sorted(v.items())) for d, v in sorted(requests.items())},
        requests_total=dict(totals.most_common()),
        outcomes=outcomes,
        languages=dict(languages),
        registers=dict(registers),
        user_messages=user_messages,
        fallbacks=fallbacks,
        fallback_rate=round(fallbacks / user_messages, 4) if user_messages else 0.0,
        not_understood=not_understood.most_common(10),
        feedback=dict(sorted(votes.items())),
        portal=portal,
        breaker_openings=openings,
        deferred_queue=deferred_queue,
        opted_out_now=opted_out_now,
        opt_out_messages=opt_out_messages,
        notes=notes,
    )


def _portal_figures(store: Engine, lo: datetime, hi: datetime):
    if not _has_table(store, "portal_calls"):
        return {"all": _latency([], 0)}, {}
    timings: dict[str, list[float]] = defaultdict(list)
    failed_fast: Counter = Counter()
    openings: Counter = Counter()
    where = and_(portal_calls.c.at >= lo, portal_calls.c.at < hi)
    with store.connect() as conn:
        for kind, operation, ms, outcome in conn.execute(
            select(
                portal_calls.c.kind,
                portal_calls.c.operation,
                portal_calls.c.ms,
                portal_calls.c.outcome,
            ).where(where)
        ):
            if kind == BREAKER_OPEN:
                openings[operation] += 1
            elif kind == CALL and outcome == CIRCUIT_OPEN:
                failed_fast[operation] += 1
            elif kind == CALL and ms is not None:
                timings[operation].append(float(ms))
    figures = {op: _latency(values, failed_fast[op]) for op, values in sorted(timings.items())}
    for op in failed_fast:
        figures.setdefault(op, _latency([], failed_fast[op]))
    figures["all"] = _latency(
        [v for values in timings.values() for v in values], sum(failed_fast.values())
    )
    return figures, dict(openings.most_common())


def _latency(values: list[float], failed_fast: int) -> dict[str, float]:
    return {
        "calls": len(values),
        "p50_ms": round(percentile(values, 50), 1),
        "p95_ms": round(percentile(values, 95), 1),
        "failed_fast": failed_fast,
    }


def csv_rows(report: Report) -> list[tuple[str, str, str, object]]:
    """(section, key, sub-key, value) rows: every number of the report, for the CSV export."""
    rows: list[tuple[str, str, str, object]] = [
        ("range", "start", "", report.start),
        ("range", "end", "", report.end),
    ]
    for day, per_service in report.requests.items():
        for service, count in per_service.items():
            rows.append(("requests_per_day", day, service, count))
    rows += [("requests_total", s, "", n) for s, n in report.requests_total.items()]
    rows += [("outcomes", k, "", v) for k, v in report.outcomes.items()]
    rows += [("language_share", k, "", v) for k, v in report.languages.items()]
    rows += [("register_share", k, "", v) for k, v in report.registers.items()]
    rows += [
        ("messages", "user_messages", "", report.user_messages),
        ("messages", "fallbacks", "", report.fallbacks),
        ("messages", "fallback_rate", "", report.fallback_rate),
    ]
    rows += [("not_understood", intent, "", n) for intent, n in report.not_understood]
    for service, votes in report.feedback.items():
        rows += [
            ("feedback", service, "up", votes["up"]),
            ("feedback", service, "down", votes["down"]),
        ]
    for op, figures in report.portal.items():
        rows += [("portal", op, key, value) for key, value in figures.items()]
    rows += [("breaker_openings", area, "", n) for area, n in report.breaker_openings.items()]
    rows += [
        ("deferred_queue", "open", "", report.deferred_queue),
        ("opt_outs", "opted_out_now", "", report.opted_out_now),
        ("opt_outs", "opt_out_messages", "", report.opt_out_messages),
    ]
    return rows


def default_range(days: int = 7) -> tuple[date, date]:
    """The last `days` days, ending today (the later of the project clock and the wall clock,
    so a demo with a frozen clock still shows the tracker's real-time messages)."""
    end = max(clock.today(), datetime.now(IST).date())
    return end - timedelta(days=days - 1), end
