"""Rasa's SQL tracker store with a lighter turn (endpoints*.yml:
`type: channels.tracker_store.SathiSQLTrackerStore`, same settings as `type: SQL`).

Same table (`events`), same rows, same session rule (only the latest session is loaded);
what changes is how (docs/performance.md has the figures):
- the blocking SQL runs in a worker thread, not on the rasa server's event loop (Rasa 3.6
  runs it on the loop: every other conversation waits for each database round trip);
- loading reads only the `data` column as plain rows instead of building an ORM object per
  event (most of the load's CPU on a long session);
- saving inserts the new events in one multi-row INSERT instead of one ORM object each;
- event type names resolve from a dictionary (channels/event_types.py), not a class-tree walk.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from channels import event_types

logger = logging.getLogger(__name__)
event_types.install()  # O(1) event type lookup for every deserialisation in this process


class SathiSQLTrackerStore(SQLTrackerStore):
    async def _retrieve(
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
        await asyncio.to_thread(self._store_new_events, tracker)
        logger.debug("Tracker with sender_id '%s' stored to database", tracker.sender_id)

    def _store_new_events(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            stored = self._event_query(
                session, tracker.sender_id, fetch_events_from_all_sessions=False
            ).count()
            rows = []
            for event in itertools.islice(tracker.events, stored, len(tracker.events)):
                data = event.as_dict()
                rows.append(
                    {
                        "sender_id": tracker.sender_id,
                        "type_name": event.type_name,
                        "timestamp": data.get("timestamp"),
                        "intent_name": data.get("parse_data", {})
                        .get("intent", {})
                        .get(INTENT_NAME_KEY),
                        "action_name": data.get("name"),
                        "data": json.dumps(data),
                    }
                )
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()
