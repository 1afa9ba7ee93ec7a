"""channels/tracker_store.py with its per-process event cache: a cached turn gives the same
tracker as a cold load, on SQLite (trainers) and on PostgreSQL (production; skipped, with the
reason, when PostgreSQL does not answer)."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from sqlalchemy.engine import make_url

from channels.tracker_event_cache import TrackerEventCache
from channels.tracker_store import SathiSQLTrackerStore
from tests.production.conftest import POSTGRES_URL, _drop, _postgres_or_skip

DOMAIN = Domain.from_dict(
    {
        "intents": ["greet", "ask"],
        "slots": {"language": {"type": "text", "mappings": [{"type": "custom"}]}},
        "responses": {"utter_greet": [{"text": "নমস্কার / Hello"}]},
        "actions": ["action_x"],
    }
)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_kwargs(request, tmp_path):
    if request.param == "sqlite":
        yield {"dialect": "sqlite", "db": str(tmp_path / "trackers.db")}
        return
    admin = _postgres_or_skip()  # skipped with the reason when PostgreSQL does not answer
    url = make_url(POSTGRES_URL)
    name = f"sathi_test_cache_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    yield {
        "dialect": "postgresql",
        "host": url.host or "127.0.0.1",
        "port": url.port or 5432,
        "username": url.username or "postgres",
        "password": url.password or None,
        "db": name,
    }
    _drop(admin, name)
    admin.close()


def make_store(kwargs: dict, capacity: int = 1000) -> SathiSQLTrackerStore:
    store = SathiSQLTrackerStore(domain=DOMAIN, **kwargs)
    store.event_cache = TrackerEventCache(capacity)
    return store


def run(coroutine):
    return asyncio.run(coroutine)


def turn(store: SathiSQLTrackerStore, sender: str, *events: Event) -> DialogueStateTracker:
    tracker = run(store.get_or_create_tracker(sender))
    tracker.update_with_events(list(events), DOMAIN)
    run(store.save(tracker))
    return tracker


def user_turn(store, sender, text: str, language: str = "bn") -> DialogueStateTracker:
    return turn(
        store,
        sender,
        UserUttered(text, {"name": "greet", "confidence": 0.9}, message_id=uuid.uuid4().hex),
        SlotSet("language", language),
        ActionExecuted("utter_greet"),
        BotUttered("নমস্কার / Hello", metadata={"utter_action": "utter_greet"}),
        ActionExecuted("action_listen"),
    )


def new_session(store, sender) -> DialogueStateTracker:
    return turn(
        store,
        sender,
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
    )


def state(store: SathiSQLTrackerStore, sender: str) -> tuple[dict, list]:
    tracker = run(store.retrieve(sender))
    assert tracker is not None
    return tracker.current_state(EventVerbosity.ALL), [e.as_dict() for e in tracker.events]


def cold(kwargs: dict, sender: str) -> tuple[dict, list]:
    return state(make_store(kwargs, capacity=0), sender)


def rows_of(store: SathiSQLTrackerStore, sender: str, from_id: int = 0) -> int:
    events = store.SQLEvent.__table__
    with store.engine.connect() as connection:
        return connection.execute(
            sa.select(sa.func.count()).where(events.c.sender_id == sender, events.c.id >= from_id)
        ).scalar()


def test_cached_turns_give_the_cold_load_tracker_and_keep_event_objects(store_kwargs):
    store = make_store(store_kwargs)
    new_session(store, "c1")
    for i in range(4):
        user_turn(store, "c1", f"hello {i}", "bn" if i % 2 else "en")
        assert state(store, "c1") == cold(store_kwargs, "c1")
    first = run(store.retrieve("c1"))
    user_turn(store, "c1", "one more")
    second = run(store.retrieve("c1"))
    assert len(second.events) == len(first.events) + 5
    assert all(a is b for a, b in zip(first.events, second.events))  # same objects
    assert second.get_slot("language") == "bn"
    assert state(store, "c1") == cold(store_kwargs, "c1")
    assert "c1" in store.event_cache


def test_the_events_a_turn_saved_come_back_as_the_same_objects(store_kwargs):
    """The next turn's tracker holds the very events this process saved (so caches keyed on
    identity, sathi_dialogue's prediction states, see the whole conversation as known),
    unless another writer's row came between them."""
    store = make_store(store_kwargs)
    new_session(store, "c9")
    saved = user_turn(store, "c9", "first")
    loaded = run(store.retrieve("c9"))
    assert len(loaded.events) == len(saved.events)
    assert all(a is b for a, b in zip(saved.events, loaded.events))
    assert state(store, "c9") == cold(store_kwargs, "c9")
    theirs = make_store(store_kwargs)
    ours = user_turn(store, "c9", "second")
    user_turn(theirs, "c9", "from the other replica")
    after = run(store.retrieve("c9"))
    assert all(a is b for a, b in zip(ours.events, after.events))
    assert [e.as_dict() for e in after.events] == cold(store_kwargs, "c9")[1]


def test_unknown_conversation_and_full_history(store_kwargs):
    store = make_store(store_kwargs)
    assert run(store.retrieve("nobody")) is None
    new_session(store, "c2")
    user_turn(store, "c2", "first session")
    time.sleep(0.01)
    new_session(store, "c2")
    full = run(store.retrieve_full_tracker("c2"))
    assert sum(isinstance(e, SessionStarted) for e in full.events) == 2


def test_another_writers_rows_are_seen(store_kwargs):
    ours, theirs = make_store(store_kwargs), make_store(store_kwargs)
    new_session(ours, "c3")
    user_turn(ours, "c3", "from replica one", "bn")
    before = run(ours.retrieve("c3"))
    user_turn(theirs, "c3", "from replica two", "en")
    after = run(ours.retrieve("c3"))
    assert [e.as_dict() for e in after.events] == cold(store_kwargs, "c3")[1]
    assert after.get_slot("language") == "en"
    assert all(a is b for a, b in zip(before.events, after.events))
    user_turn(ours, "c3", "back on replica one")  # no duplicate rows from either
    assert state(ours, "c3") == cold(store_kwargs, "c3")
    assert rows_of(ours, "c3") == 1 + 3 + 3 * 5  # action_listen of a new tracker, session, turns


def test_a_new_session_keeps_only_its_events(store_kwargs):
    store = make_store(store_kwargs)
    new_session(store, "c4")
    user_turn(store, "c4", "old session")
    run(store.retrieve("c4"))
    time.sleep(0.01)
    new_session(store, "c4")
    user_turn(store, "c4", "new session", "en")
    tracker = run(store.retrieve("c4"))
    assert [e.as_dict() for e in tracker.events] == cold(store_kwargs, "c4")[1]
    assert sum(isinstance(e, SessionStarted) for e in tracker.events) == 1
    assert all(getattr(e, "text", None) != "old session" for e in tracker.events)


def test_deleted_rows_mean_a_full_reload(store_kwargs):
    store = make_store(store_kwargs)
    new_session(store, "c5")
    user_turn(store, "c5", "one")
    user_turn(store, "c5", "two")
    run(store.retrieve("c5"))
    events = store.SQLEvent.__table__
    with store.engine.begin() as connection:  # retention: the oldest rows go
        oldest = connection.execute(
            sa.select(sa.func.min(events.c.id)).where(events.c.sender_id == "c5")
        ).scalar()
        connection.execute(events.delete().where(events.c.id <= oldest + 2))
    assert state(store, "c5") == cold(store_kwargs, "c5")
    with store.engine.begin() as connection:  # erasure, then the citizen writes again
        connection.execute(events.delete().where(events.c.sender_id == "c5"))
    assert run(store.retrieve("c5")) is None
    user_turn(make_store(store_kwargs), "c5", "again")
    assert state(store, "c5") == cold(store_kwargs, "c5")
    assert rows_of(store, "c5") == len(cold(store_kwargs, "c5")[1])


def test_least_recently_used_conversations_are_evicted(store_kwargs):
    store = make_store(store_kwargs, capacity=10)
    new_session(store, "c6")
    user_turn(store, "c6", "six")
    new_session(store, "c7")
    user_turn(store, "c7", "seven")
    run(store.retrieve("c6"))
    run(store.retrieve("c7"))
    assert "c7" in store.event_cache and "c6" not in store.event_cache
    assert store.event_cache.total == 7 <= 10
    assert state(store, "c6") == cold(store_kwargs, "c6")
    user_turn(store, "c6", "too long for the cache now")
    assert len(run(store.retrieve("c6")).events) == 12 > 10
    assert "c6" not in store.event_cache  # one conversation above the bound is not kept
    assert state(store, "c6") == cold(store_kwargs, "c6")


def test_disabled_cache_keeps_nothing(store_kwargs):
    store = make_store(store_kwargs, capacity=0)
    new_session(store, "c8")
    user_turn(store, "c8", "eight")
    first = run(store.retrieve("c8"))
    second = run(store.retrieve("c8"))
    assert len(store.event_cache) == 0
    assert first.events[0] is not second.events[0]
    assert len(first.events) == len(second.events) >= 7


def test_the_cache_size_comes_from_the_settings(store_kwargs, monkeypatch):
    from sathi.settings import reset_settings

    monkeypatch.setenv("SATHI_TRACKER_CACHE_EVENTS", "7")
    reset_settings()
    try:
        assert SathiSQLTrackerStore(domain=DOMAIN, **store_kwargs).event_cache.capacity == 7
    finally:
        monkeypatch.delenv("SATHI_TRACKER_CACHE_EVENTS")
        reset_settings()


def test_saving_a_handed_out_tracker_needs_no_count(store_kwargs, monkeypatch):
    store = make_store(store_kwargs)
    new_session(store, "c9")
    tracker = run(store.retrieve("c9"))

    def no_count(*args, **kwargs):
        raise AssertionError("count query on the fast path")

    monkeypatch.setattr(store, "_event_query", no_count)
    tracker.update(UserUttered("hi", {"name": "greet", "confidence": 1.0}))
    run(store.save(tracker))
    tracker.update(ActionExecuted("action_listen"))
    run(store.save(tracker))  # saved twice: only the new event goes in
    monkeypatch.undo()
    stale = run(store.retrieve("c9"))
    run(store.retrieve("c9"))  # a newer tracker was handed out: the stale one counts rows
    stale.update(SlotSet("language", "en"))
    run(store.save(stale))
    assert rows_of(store, "c9") == 1 + 3 + 2 + 1  # nothing stored twice
    assert [e["event"] for e in cold(store_kwargs, "c9")[1]] == [
        "session_started",
        "action",
        "user",
        "action",
        "slot",
    ]


def test_concurrent_loads_of_one_conversation_agree(store_kwargs):
    store = make_store(store_kwargs)
    new_session(store, "c10")
    user_turn(store, "c10", "ten")
    run(store.retrieve("c10"))
    user_turn(make_store(store_kwargs), "c10", "from elsewhere", "en")

    async def together():
        return await asyncio.gather(*(store.retrieve("c10") for _ in range(4)))

    trackers = run(together())
    expected = cold(store_kwargs, "c10")
    assert all(
        (t.current_state(EventVerbosity.ALL), [e.as_dict() for e in t.events]) == expected
        for t in trackers
    )
    entry = store.event_cache.get("c10")
    assert entry.row_count == rows_of(store, "c10", from_id=entry.rows_from)


def test_the_freshness_check_counts_the_cached_session_not_the_history(store_kwargs):
    """Earlier sessions' rows are not cached: the check neither reads them (it would grow with
    the history) nor reloads when they go (retention); a change inside the session still
    means a full reload."""
    store = make_store(store_kwargs)
    for n in range(3):  # a history of three sessions
        new_session(store, "c11")
        user_turn(store, "c11", f"session {n}")
        time.sleep(0.01)
    run(store.retrieve("c11"))
    entry = store.event_cache.get("c11")
    events = store.SQLEvent.__table__
    with store.engine.connect() as connection:
        first_of_session = connection.execute(
            sa.select(sa.func.max(events.c.id)).where(
                events.c.sender_id == "c11", events.c.type_name == "session_started"
            )
        ).scalar()
    assert entry.rows_from == first_of_session
    assert entry.row_count == rows_of(store, "c11", from_id=first_of_session)
    assert entry.row_count < rows_of(store, "c11")
    new_session(store, "c11")  # a fourth session, seen through the cache
    user_turn(store, "c11", "session 3")
    tracker = run(store.retrieve("c11"))
    assert store.event_cache.get("c11") is entry  # extended, not reloaded
    assert entry.rows_from > first_of_session
    assert entry.row_count == rows_of(store, "c11", from_id=entry.rows_from)
    assert [e.as_dict() for e in tracker.events] == cold(store_kwargs, "c11")[1]
    with store.engine.begin() as connection:  # retention: the older sessions' rows go
        connection.execute(
            events.delete().where(events.c.sender_id == "c11", events.c.id < entry.rows_from)
        )
    user_turn(store, "c11", "still here")
    run(store.retrieve("c11"))
    assert store.event_cache.get("c11") is entry  # nothing it holds changed: no reload
    with store.engine.begin() as connection:  # a row of the cached session goes
        connection.execute(events.delete().where(events.c.id == entry.rows_from + 1))
    assert state(store, "c11") == cold(store_kwargs, "c11")
    assert store.event_cache.get("c11") is not entry  # reloaded


def test_events_are_indexed_by_conversation_and_row(store_kwargs):
    """The turn's queries read a conversation's rows by (sender_id, id): without the index they
    read every row of the conversation's history (or of every conversation in the range)."""
    first = make_store(store_kwargs)
    store = make_store(store_kwargs)  # a second process starting finds it there
    for built in (first, store):
        if built.index_build is not None:  # PostgreSQL builds it beside the server's start
            built.index_build.join(timeout=60)
    indexes = sa.inspect(store.engine).get_indexes("events")
    assert ["sender_id", "id"] in [index["column_names"] for index in indexes]


@pytest.mark.parametrize("store_kwargs", ["postgresql"], indirect=True)
def test_an_index_left_invalid_by_an_interrupted_build_is_built_again(store_kwargs):
    store = make_store(store_kwargs)
    store.index_build.join(timeout=60)
    valid = sa.text(
        "SELECT i.indisvalid FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid "
        "WHERE c.relname = 'ix_events_sender_id_id'"
    )
    with store.engine.begin() as connection:  # as a build killed half way leaves it
        connection.execute(
            sa.text(
                "UPDATE pg_index SET indisvalid = false WHERE indexrelid = "
                "'ix_events_sender_id_id'::regclass"
            )
        )
        assert connection.execute(valid).scalar() is False
    again = make_store(store_kwargs)  # the next start
    again.index_build.join(timeout=60)
    with store.engine.connect() as connection:
        assert connection.execute(valid).scalar() is True
