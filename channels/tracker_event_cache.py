"""The deserialized events of each conversation's latest session, kept between turns in one
rasa process (used by channels/tracker_store.py).

Rows of the `events` table are append-only, so a turn only needs the rows it has not seen:
an entry remembers the highest row id it has read (`rows_through`) and how many rows have an
id from the first row of its session (`rows_from`) up to it (`row_count`): if the database
later has a different count or highest id in that window (retention, erasure, a row committed
late), the store reloads the conversation from scratch. The window is the cached session, not
the conversation's whole history, so the check does not grow with the history (rows of
earlier sessions are not cached: their retention changes nothing here).

The session rule is Rasa's SQL one, on the rows' `timestamp` column: the events whose
timestamp is at least the latest `session_started` timestamp (all events if there is none).

The same Event objects stay in an entry from turn to turn (new rows are appended), so a
downstream cache may key on an event's identity. Bounded by the total number of cached events:
least recently used conversations are dropped first.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rasa.shared.core.events import Event, SessionStarted

logger = logging.getLogger(__name__)


@dataclass
class SaveMark:
    """Put on a tracker handed out by the store: how many of its events are rows already."""

    stored: int


@dataclass
class ConversationEvents:
    rows_through: int
    row_count: int  # rows with an id from rows_from to rows_through
    session_start: float | None
    timestamps: list[float | None] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    session_rows: int = 0  # rows of the latest session, parsed or not (Rasa: none -> no tracker)
    save_mark: SaveMark | None = None
    # (row data, Event) this process just saved, in order: when those rows come back on the
    # next load, the very objects are kept instead of parsing the same JSON again
    saved: list[tuple[str, Event]] = field(default_factory=list)
    # the tracker state after the events of the last load (channels/tracker_snapshot.py)
    snapshot: Any = None
    rows_from: int = 0  # the first row id the freshness check counts

    @classmethod
    def loaded(
        cls,
        row_count: int,
        rows_through: int,
        session_start: float | None,
        session_rows: Iterable[tuple[int, float | None, str, str]],
        rows_from: int = 0,
    ) -> ConversationEvents:
        """From a full load: the number of rows with an id from `rows_from` to the highest
        one, that highest id, the latest session start and that session's rows (id,
        timestamp, type_name, data), by id."""
        entry = cls(rows_through, row_count, session_start, rows_from=rows_from)
        for _, timestamp, _, data in session_rows:
            entry._append(timestamp, data)
        return entry

    def _append(self, timestamp: float | None, data: str) -> None:
        self.session_rows += 1
        if self.saved and self.saved[0][0] == data:
            event: Event | None = self.saved.pop(0)[1]
        else:
            self.saved.clear()  # another writer's row came first: parse from here on
            event = deserialise(data)
        if event is not None:
            self.timestamps.append(timestamp)
            self.events.append(event)

    def in_session(self, timestamp: float | None) -> bool:
        if self.session_start is None:
            return True
        return timestamp is not None and timestamp >= self.session_start

    def add_rows(self, rows: Iterable[tuple[int, float | None, str, str]]) -> None:
        """Rows (id, timestamp, type_name, data) with ids above `rows_through`, by id."""
        rows = list(rows)
        starts = [
            (ts, i)
            for (i, ts, kind, _) in rows
            if kind == SessionStarted.type_name and ts is not None
        ]
        latest = max(starts, default=None)  # the latest session start (timestamp, row id)
        if latest is not None and self.session_start is not None:
            if latest[0] <= self.session_start:
                latest = None  # no new session among these rows
        if latest is not None:
            self.session_start = latest[0]
            kept = [(t, e) for t, e in zip(self.timestamps, self.events) if self.in_session(t)]
            self.timestamps = [t for t, _ in kept]
            self.events = [e for _, e in kept]
            self.session_rows = len(kept)  # rows already skipped came before any session
        for row_id, timestamp, _, data in rows:
            self.rows_through = max(self.rows_through, row_id)
            self.row_count += 1
            if self.in_session(timestamp):
                self._append(timestamp, data)
        if latest is not None:
            # the check's window moves to the new session: its rows are all among these
            # (its session_started row is newer than any row read before)
            self.rows_from = latest[1]
            self.row_count = sum(1 for row in rows if row[0] >= self.rows_from)
        self.saved.clear()


def deserialise(data: str) -> Event | None:
    """One row's `data` as Rasa's `deserialise_events` reads it (None: skipped, as there)."""
    parameters: dict[str, Any] = json.loads(data)
    if "event" not in parameters:
        return None
    event = Event.from_parameters(parameters)
    if event is None:
        logger.warning("Unable to parse event '%s' while deserialising. Skipping.", parameters)
    return event


class TrackerEventCache:
    """sender id -> ConversationEvents, least recently used first; at most `capacity` events."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[str, ConversationEvents] = OrderedDict()
        self._sizes: dict[str, int] = {}
        self.total = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, sender_id: str) -> bool:
        return sender_id in self._entries

    @property
    def enabled(self) -> bool:
        return self.capacity > 0

    def get(self, sender_id: str) -> ConversationEvents | None:
        entry = self._entries.get(sender_id)
        if entry is not None:
            self._entries.move_to_end(sender_id)
        return entry

    def put(self, sender_id: str, entry: ConversationEvents) -> None:
        """Adds or re-measures an entry (after its events changed), then evicts to capacity."""
        self.drop(sender_id)
        if not self.enabled or len(entry.events) > self.capacity:
            return
        self._entries[sender_id] = entry
        self._sizes[sender_id] = len(entry.events)
        self.total += len(entry.events)
        while self.total > self.capacity:
            oldest = next(iter(self._entries))
            logger.debug("tracker event cache full: dropping a conversation")
            self.drop(oldest)

    def drop(self, sender_id: str) -> None:
        if self._entries.pop(sender_id, None) is not None:
            self.total -= self._sizes.pop(sender_id)


__all__ = ["ConversationEvents", "SaveMark", "TrackerEventCache", "deserialise"]
