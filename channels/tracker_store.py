"""Rasa's SQL tracker store with a lighter turn (endpoints*.yml:
`type: channels.tracker_store.SathiSQLTrackerStore`, same settings as `type: SQL`).

Same table (`events`), same rows, same session rule (only the latest session is loaded);
what changes is how (docs/performance.md has the figures):
- the blocking SQL runs in a worker thread, not on the rasa server's event loop (Rasa 3.6
  runs it on the loop: every other conversation waits for each database round trip);
- loading reads only the `data` column as plain rows instead of building an ORM object per
  event (most of the load's CPU on a long session);
- saving inserts the new events in one multi-row INSERT instead of one ORM object each;
- the statements are built once, with bound parameters (`TrackerQueries`): building a
  statement and its cache key on every call cost more CPU than running it; a load and a save
  run on a plain connection, not an ORM session;
- event type names resolve from a dictionary (channels/event_types.py), not a class-tree walk;
- each process keeps the deserialized events of the latest session per conversation
  (channels/tracker_event_cache.py, SATHI_TRACKER_CACHE_EVENTS): a turn reads and parses only
  the rows added since it last looked (by row id; any other change in the rows: full reload),
  and a tracker it handed out knows how many of its events are stored, so saving it needs no
  count query;
- the tracker itself is built from the state it had at the last load plus the new events
  (channels/tracker_snapshot.py), not by replaying the whole session.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot_store.db import rows_in_one_statement, statements_commit_themselves
from channels import event_types
from channels.tracker_event_cache import ConversationEvents, SaveMark, TrackerEventCache
from channels.tracker_snapshot import tracker_from_events
from sathi.settings import settings

logger = logging.getLogger(__name__)
event_types.install()  # O(1) event type lookup for every deserialisation in this process
SAVE_MARK = "_sathi_save_mark"  # tracker attribute: channels.tracker_event_cache.SaveMark


@dataclass
class LoadedRows:
    """What one load read: only new rows (`fresh` False) or the whole latest session."""

    fresh: bool
    rows: list  # (id, timestamp, type_name, data), by id
    row_count: int = 0  # rows with an id from `rows_from` to `rows_through`
    rows_through: int = 0
    session_start: float | None = None
    rows_from: int = 0


class TrackerQueries:
    """The load and save statements of the `events` table, built once."""

    def __init__(self, t: sa.Table) -> None:
        sender = t.c.sender_id == sa.bindparam("sender")
        through = t.c.id <= sa.bindparam("through")
        columns = (t.c.id, t.c.timestamp, t.c.type_name, t.c.data)
        self.count = sa.select(sa.func.count(), sa.func.max(t.c.id)).where(sender)
        # the freshness check of a cached session: its rows only, not the whole history
        self.count_window = self.count.where(t.c.id >= sa.bindparam("floor"), through)
        self.rows_after = (
            sa.select(*columns).where(sender, t.c.id > sa.bindparam("through")).order_by(t.c.id)
        )
        self.session_start = sa.select(sa.func.max(t.c.timestamp)).where(
            sender, through, t.c.type_name == SessionStarted.type_name
        )
        self.rows_through = sa.select(*columns).where(sender, through).order_by(t.c.id)
        self.session_rows_through = (
            sa.select(*columns)
            .where(sender, through, t.c.timestamp >= sa.bindparam("start"))
            .order_by(t.c.id)
        )
        self.insert = t.insert()


# Rasa indexes `events` on sender_id alone: a turn's two queries (the rows after the cached
# ones, the count of the cached session's rows) then read every row the conversation ever had,
# or every conversation's rows in the id range. On (sender_id, id) both read only the rows
# they return or count (docs/performance.md, round 12).
SENDER_ROW_INDEX = "ix_events_sender_id_id"
_INDEX_LOCK = 0x5A7_1D1E  # PostgreSQL advisory lock: one process builds the index at a time


def ensure_sender_row_index(engine: sa.engine.Engine) -> threading.Thread | None:
    """Creates the (sender_id, id) index of `events` if it is missing. SQLite: at once. On
    PostgreSQL in a thread of its own, `CONCURRENTLY` (writes go on, and the server starts
    answering, while a large table is indexed); one process builds at a time; an index left
    invalid by a build that was interrupted is dropped and built again. Returns that thread.
    A failure costs speed, not correctness: logged."""
    dialect = engine.dialect.name
    if dialect == "sqlite":
        _build_sender_row_index(engine)
        return None
    if dialect != "postgresql":
        logger.warning("events table on %s: no (sender_id, id) index created", dialect)
        return None
    thread = threading.Thread(
        target=_build_sender_row_index, args=(engine,), name="events-index", daemon=True
    )
    thread.start()
    return thread


@contextmanager
def _not_pooled_again(connection: sa.engine.Connection) -> Iterator[None]:
    """Closes the connection instead of pooling it again. SQLAlchemy puts an isolation level
    option back by setting the level explicitly; psycopg2 then sent `SET
    default_transaction_isolation TO DEFAULT` at each autocommit switch on that connection and
    `BEGIN ISOLATION LEVEL READ COMMITTED` for `BEGIN`, one round trip more on most of a
    turn's tracker statements at low load (round 14)."""
    try:
        yield
    finally:
        connection.invalidate()


def _build_sender_row_index(engine: sa.engine.Engine) -> None:
    create = f"CREATE INDEX {{}}IF NOT EXISTS {SENDER_ROW_INDEX} ON events (sender_id, id)"
    try:
        with engine.connect() as pooled, _not_pooled_again(pooled):
            connection = pooled.execution_options(isolation_level="AUTOCOMMIT")
            if engine.dialect.name != "postgresql":
                connection.execute(sa.text(create.format("")))
                return
            if not connection.execute(
                sa.text(f"SELECT pg_try_advisory_lock({_INDEX_LOCK})")
            ).scalar():
                return  # another process is building it
            try:
                valid = connection.execute(
                    sa.text(
                        "SELECT i.indisvalid FROM pg_class c "
                        "JOIN pg_index i ON i.indexrelid = c.oid WHERE c.relname = :name"
                    ),
                    {"name": SENDER_ROW_INDEX},
                ).scalar()
                if valid:
                    return
                if valid is False:  # a build that was interrupted left it: not used, only kept
                    logger.warning("events (sender_id, id) index invalid: building it again")
                    connection.execute(
                        sa.text(f"DROP INDEX CONCURRENTLY IF EXISTS {SENDER_ROW_INDEX}")
                    )
                started = time.monotonic()
                connection.execute(sa.text(create.format("CONCURRENTLY ")))
                logger.info(
                    "events (sender_id, id) index built in %.1f s", time.monotonic() - started
                )
            finally:
                connection.execute(sa.text(f"SELECT pg_advisory_unlock({_INDEX_LOCK})"))
    except sa.exc.SQLAlchemyError as error:
        logger.warning("events (sender_id, id) index not created: %s", type(error).__name__)


class SathiSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event_cache = TrackerEventCache(settings().tracker_cache_events)
        self.queries = TrackerQueries(self.SQLEvent.__table__)
        self.index_build = ensure_sender_row_index(self.engine)  # a thread on PostgreSQL

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        if fetch_events_from_all_sessions or not self.event_cache.enabled:
            return await self._retrieve_uncached(sender_id, fetch_events_from_all_sessions)
        if not self.domain:
            return None
        for _ in range(3):  # again if another coroutine moved the entry on during the load
            entry = self.event_cache.get(sender_id)
            base = (entry.rows_from, entry.rows_through, entry.row_count) if entry else None
            loaded = await asyncio.to_thread(self._load_rows, sender_id, base)
            if self.event_cache.get(sender_id) is not entry or (
                entry and (entry.rows_from, entry.rows_through, entry.row_count) != base
            ):
                continue
            if loaded is None:
                self.event_cache.drop(sender_id)
                return None
            if loaded.fresh or entry is None:  # (not fresh: there was an entry to extend)
                entry = ConversationEvents.loaded(
                    loaded.row_count,
                    loaded.rows_through,
                    loaded.session_start,
                    loaded.rows,
                    loaded.rows_from,
                )
            else:
                entry.add_rows(loaded.rows)
            self.event_cache.put(sender_id, entry)
            return self._tracker_from(sender_id, entry)
        return await self._retrieve_uncached(sender_id, False)

    def _tracker_from(
        self, sender_id: str, entry: ConversationEvents
    ) -> DialogueStateTracker | None:
        if not (self.domain and entry.session_rows):
            return None
        tracker, entry.snapshot = tracker_from_events(
            sender_id, list(entry.events), self.domain, entry.snapshot
        )
        entry.save_mark = SaveMark(stored=len(tracker.events))
        setattr(tracker, SAVE_MARK, entry.save_mark)
        return tracker

    def _load_rows(self, sender_id: str, base: tuple[int, int, int] | None) -> LoadedRows | None:
        """The rows above the cached ones if the cached ones are still all there (same count
        and highest id from `rows_from` to `rows_through`: the cached session's rows, so the
        check does not grow with the conversation's history), otherwise the whole latest
        session again."""
        q = self.queries
        # no ORM session per load; on PostgreSQL no transaction either (reads only: psycopg2's
        # BEGIN and ROLLBACK were two round trips of four, round 13)
        with statements_commit_themselves(self.engine) as connection:
            if base is not None:
                floor, through, count = base
                at = {"sender": sender_id, "through": through}
                window = {**at, "floor": floor}
                if tuple(connection.execute(q.count_window, window).one()) == (count, through):
                    return LoadedRows(fresh=False, rows=connection.execute(q.rows_after, at).all())
                logger.info("cached conversation events changed in the database: full reload")
            count, through = connection.execute(q.count, {"sender": sender_id}).one()
            if not count:
                return None
            at = {"sender": sender_id, "through": through}
            start = connection.execute(q.session_start, at).scalar()
            if start is None:  # every row is the session: the window is the whole count
                rows = connection.execute(q.rows_through, at).all()
            else:
                rows = connection.execute(q.session_rows_through, {**at, "start": start}).all()
            floor = rows[0][0] if rows else through
            if start is not None:
                count = connection.execute(q.count_window, {**at, "floor": floor}).one()[0]
            return LoadedRows(True, rows, count, through, start, floor)

    async def _retrieve_uncached(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        rows = await asyncio.to_thread(
            self._load_event_data, sender_id, fetch_events_from_all_sessions
        )
        if not (self.domain and rows):
            return None
        events = [json.loads(data) for data in rows]
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    def _load_event_data(self, sender_id: str, all_sessions: bool) -> list:
        with self.session_scope() as session:
            query = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=all_sessions
            )
            return [data for (data,) in query.with_entities(self.SQLEvent.data).all()]

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        mark = getattr(tracker, SAVE_MARK, None)
        entry = self.event_cache.get(tracker.sender_id)
        if not (mark is not None and entry is not None and entry.save_mark is mark):
            mark = None  # not the latest tracker handed out for it: count the stored rows
        stored, saved = await asyncio.to_thread(
            self._store_new_events, tracker, mark.stored if mark else None
        )
        if mark is not None and entry is not None:
            mark.stored = stored
            entry.saved = saved  # the next load keeps these objects (same identity)
        logger.debug("Tracker with sender_id '%s' stored to database", tracker.sender_id)

    def _store_new_events(
        self, tracker: DialogueStateTracker, stored: int | None
    ) -> tuple[int, list[tuple[str, Event]]]:
        """Inserts the events after the first `stored` (None: as many as the latest session
        has rows); returns how many of the tracker's events are rows now, and the inserted
        (row data, event) pairs."""
        events = list(tracker.events)
        if stored is None:
            with self.session_scope() as session:
                stored = self._event_query(
                    session, tracker.sender_id, fetch_events_from_all_sessions=False
                ).count()
        rows, saved = [], []
        for event in events[stored:]:
            data = event.as_dict()
            text = json.dumps(data)
            saved.append((text, event))
            rows.append(
                {
                    "sender_id": tracker.sender_id,
                    "type_name": event.type_name,
                    "timestamp": data.get("timestamp"),
                    "intent_name": data.get("parse_data", {})
                    .get("intent", {})
                    .get(INTENT_NAME_KEY),
                    "action_name": data.get("name"),
                    "data": text,
                }
            )
        if rows:
            self._insert_rows(rows)
        return len(events), saved

    def _insert_rows(self, rows: list[dict]) -> None:
        """One multi-row INSERT, committed: a turn's events are all stored or none. On
        psycopg2 up to its page of rows is one statement, atomic on its own, so it commits
        itself (round 14: no BEGIN and COMMIT round trips); a save larger than a page would
        be several statements, so it keeps its transaction."""
        if len(rows) <= rows_in_one_statement(self.engine.dialect):
            with statements_commit_themselves(self.engine) as conn:
                with conn.begin():  # SQLAlchemy's commit: in autocommit psycopg2 sends nothing
                    conn.execute(self.queries.insert, rows)
            return
        with self.engine.begin() as connection:
            connection.execute(self.queries.insert, rows)
