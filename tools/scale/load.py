"""Load on the production topology: half the workers are WhatsApp users (signed webhooks
through nginx; a turn ends when the inbox row is `done`, i.e. its replies were handed to
Graph), half are REST users (a turn ends with the HTTP answer). Every worker runs the
60-turn script of `make bench` (three completed services: portal calls, a PDF) with its own
demo number, turn after turn, for a bounded time.

The production profile does not trust a REST sender id (docs/contracts.md): a REST user
proves the number with a one-time code, as a person on an untrusted channel must, so the
REST script has two more turns after the first service question: the 10-digit number, then
the code (read from the reference portal's outbox table, where its "SMS" is written).
Without them the REST half never got past the number check (round 9, docs/performance.md).

Loopback only; bounded in time (`seconds`) and count (`max_turns`).
"""

from __future__ import annotations

import re
import statistics
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import requests

from tools import webhook_client as wc
from tools.bench import script
from tools.scale.stores import pg_connect


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


@dataclass
class Result:
    concurrency: int
    seconds: float
    # (channel, position, ms, started: seconds after the users started)
    turns: list[tuple[str, int, float, float]] = field(default_factory=list)
    errors: int = 0
    timeouts: int = 0
    cpu_ms_per_turn: float = float("nan")
    cpu_ms_at_reference: float | None = None  # as at yardstick.REFERENCE_MS (tools/yardstick.py)
    origin: float = 0.0  # time.monotonic() when the users started

    def latencies(self, channel: str | None = None) -> list[float]:
        return [ms for ch, _, ms, _ in self.turns if channel in (None, ch)]

    def since(self) -> float:
        """Seconds since the users started (a turn's `started`)."""
        return time.monotonic() - self.origin

    def sustained(self, ramp: float) -> Result:
        """Only the turns started `ramp` s or more after the users started together: the
        load once the start (every user at turn 1, all services at once) has spread out.
        Errors and timeouts stay those of the whole run."""
        kept = [t for t in self.turns if t[3] >= ramp]
        return replace(self, seconds=max(0.0, self.seconds - ramp), turns=kept)

    @property
    def rate(self) -> float:
        return len(self.turns) / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        every = self.latencies()
        parts = [
            f"c={self.concurrency:<3d} turns={len(every):5d} turns/s={self.rate:6.1f} "
            f"p50={percentile(every, 0.5):6.0f} ms p95={percentile(every, 0.95):6.0f} ms"
        ]
        for ch in ("whatsapp", "rest"):
            lat = self.latencies(ch)
            if lat:
                parts.append(
                    f"{ch}: p50 {percentile(lat, 0.5):.0f} p95 {percentile(lat, 0.95):.0f}"
                )
        parts.append(f"errors={self.errors} timeouts={self.timeouts}")
        return "  ".join(parts)


class InboxWatcher:
    """One thread asks the bot store, every `interval` s, which of the outstanding WhatsApp
    messages are finished (one query for all of them, not one per worker)."""

    def __init__(self, bot_store_url: str, interval: float = 0.02) -> None:
        self.conn = pg_connect(bot_store_url)
        self.conn.autocommit = True
        with self.conn.cursor() as cur:
            # this session only: the table grows from nothing during a step, faster than
            # autovacuum's statistics, and the planner then scans all of it on every poll
            cur.execute("SET enable_seqscan = off")
        self.interval = interval
        self.waiting: dict[str, threading.Event] = {}
        self.states: dict[str, str] = {}
        self.lock = threading.Lock()
        self.stopping = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def wait(self, wamid: str, timeout: float) -> str | None:
        event = threading.Event()
        with self.lock:
            self.waiting[wamid] = event
        event.wait(timeout)
        with self.lock:
            self.waiting.pop(wamid, None)
            return self.states.pop(wamid, None)

    def _run(self) -> None:
        while not self.stopping:
            with self.lock:
                ids = list(self.waiting)
            if ids:
                try:
                    with self.conn.cursor() as cur:
                        # by wamid alone (its unique index): with the state in the WHERE too,
                        # PostgreSQL's planner chose the (state, wa_id, id) index and read every
                        # finished row on each poll, about 700 rows per turn of the bench's
                        # own load on the database (docs/performance.md, round 12)
                        cur.execute(
                            "SELECT wamid, state FROM wa_inbox WHERE wamid = ANY(%s)", (ids,)
                        )
                        finished = [r for r in cur.fetchall() if r[1] in ("done", "failed")]
                except Exception:  # the table appears with the first webhook
                    finished = []
                with self.lock:
                    for wamid, state in finished:
                        event = self.waiting.get(wamid)
                        if event is not None:
                            self.states[wamid] = state
                            event.set()
            time.sleep(self.interval)

    def close(self) -> None:
        self.stopping = True
        self.thread.join(timeout=2)
        self.conn.close()


def _whatsapp_user(
    url: str,
    secret: str,
    mobile: str,
    card: str,
    watcher: InboxWatcher,
    deadline: float,
    result: Result,
    lock: threading.Lock,
    turn_timeout: float,
    start: float = 0.0,
) -> None:
    session = requests.Session()
    turns = script(card)
    order = positions(len(turns), int(start * len(turns)), turns.index(card) + 1)
    index = next(order)
    while time.monotonic() < deadline:
        text = turns[index]
        message = (
            wc.button_reply(mobile, text, "বাংলা") if text.startswith("/") else wc.text(mobile, text)
        )
        body, headers = wc.signed_request(wc.envelope(messages=[message]), secret)
        at = result.since()
        started = time.perf_counter()
        try:
            answer = session.post(
                f"{url}/webhooks/whatsapp/webhook", data=body, timeout=30, headers=headers
            )
            answer.raise_for_status()
        except requests.RequestException:
            with lock:
                result.errors += 1
            time.sleep(0.2)
            continue  # the same turn again
        state = watcher.wait(message["id"], timeout=turn_timeout)
        ms = (time.perf_counter() - started) * 1000
        with lock:
            if state == "done" and time.monotonic() <= deadline + turn_timeout:
                result.turns.append(("whatsapp", index + 1, ms, at))
            elif state is None:
                result.timeouts += 1
            else:
                result.errors += 1
        index = next(order)


NUMBER, CODE = "<number>", "<code>"  # REST script placeholders: the 10 digits, the code


def rest_script(card: str) -> list[str]:
    """`/restart`, then the bench script with the number check after its first service
    question (the REST sender id is not trusted in the production profile)."""
    turns = script(card)
    return ["/restart"] + turns[:3] + [NUMBER, CODE] + turns[3:]


def positions(length: int, start: int, prologue: int) -> Iterator[int]:
    """A script's turn indexes from `start`, round and round. A user who would start past
    the script's first `prologue` turns (up to and including the job card, and for REST the
    number check) goes through them first: without them a service question is met without
    the card (or an unproven REST number), and the bot asks for it at every turn after that.
    A user who would start inside them starts at the beginning."""
    if 0 < start < prologue:
        start = 0
    elif start >= prologue:
        yield from range(prologue)
    while True:
        yield start % length
        start += 1


def latest_code(portal_db_url: str, mobile: str) -> str:
    """The newest one-time code the reference portal 'sent' to `mobile` ("" if none)."""
    conn = pg_connect(portal_db_url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT body FROM outbox WHERE mobile = %s ORDER BY id DESC LIMIT 1", (mobile,)
            )
            row = cur.fetchone()
    finally:
        conn.close()
    found = re.search(r"\b(\d{6})\b", row[0]) if row else None
    return found.group(1) if found else ""


def _rest_user(
    url: str,
    mobile: str,
    card: str,
    deadline: float,
    result: Result,
    lock: threading.Lock,
    start: float = 0.0,
    portal_db_url: str = "",
) -> None:
    session = requests.Session()
    turns = rest_script(card)
    for index in positions(len(turns), int(start * len(turns)), turns.index(card) + 1):
        if time.monotonic() >= deadline:
            break
        text = turns[index]
        if text == NUMBER:
            text = mobile[-10:]
        elif text == CODE:
            try:
                text = latest_code(portal_db_url, mobile) or "000000"
            except Exception:  # no code to read: a wrong one, as a person might type
                text = "000000"
        at = result.since()
        started = time.perf_counter()
        try:
            answer = session.post(
                f"{url}/webhooks/rest/webhook", json={"sender": mobile, "message": text}, timeout=30
            )
            answer.raise_for_status()
            ok = text == "/restart" or bool(answer.json())
        except (requests.RequestException, ValueError):
            ok = False
        ms = (time.perf_counter() - started) * 1000
        with lock:
            if not ok:
                result.errors += 1
            elif text != "/restart":
                result.turns.append(("rest", index, ms, at))


def drive(
    url: str,
    app_secret: str,
    bot_store_url: str,
    users: list[tuple[str, str]],
    concurrency: int,
    seconds: float,
    turn_timeout: float = 30.0,
    whatsapp_share: float = 0.5,
    stagger: bool = False,
    portal_db_url: str = "",
) -> Result:
    """`concurrency` users at once for `seconds`; users = [(mobile, job card)], one each.

    Every user starts at turn 1 ("hi"), so all of them reach the service turns at about the
    same moment, and stay close to each other afterwards (in step). `stagger`: after the
    script's opening turns up to the job card (and for REST the number check; `positions`),
    each user goes on from its own position, spread evenly over the script, so the services
    of different users no longer come together."""
    if len(users) < concurrency:
        raise ValueError(f"{concurrency} users need {concurrency} demo numbers, have {len(users)}")
    result = Result(concurrency, seconds)
    lock = threading.Lock()
    watcher = InboxWatcher(bot_store_url)
    n_whatsapp = int(round(concurrency * whatsapp_share))
    threads = []
    started = result.origin = time.monotonic()
    deadline = started + seconds
    for i, (mobile, card) in enumerate(users[:concurrency]):
        # WhatsApp and REST users each spread over the script on their own
        group, size = (
            (i, n_whatsapp) if i < n_whatsapp else (i - n_whatsapp, concurrency - n_whatsapp)
        )
        start = group / size if stagger and size else 0.0
        if i < n_whatsapp:
            target, args = (
                _whatsapp_user,
                (
                    url,
                    app_secret,
                    mobile,
                    card,
                    watcher,
                    deadline,
                    result,
                    lock,
                    turn_timeout,
                    start,
                ),
            )
        else:
            target, args = (
                _rest_user,
                (url, mobile, card, deadline, result, lock, start, portal_db_url),
            )
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(timeout=seconds + turn_timeout + 10)
    result.seconds = max(seconds, time.monotonic() - started) if result.turns else seconds
    watcher.close()
    return result


def summary(results: list[Result]) -> str:
    return "\n".join(r.line() for r in results)


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")
