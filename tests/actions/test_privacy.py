"""The privacy notice on first contact (once per number, in the user's language) and erasure
on request: the conversation in the tracker store and the number's bot-store rows go, the
audit log stays."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text

from actions.feedback import record
from actions.privacy import ActionAskEraseData, ActionEraseMyData
from actions.slot_mappings import GlobalSlotMappings
from bot_store import audit, erasure, preferences
from bot_store.documents import store_document
from tests.support.trackers import run, slot_events, tracker

NUMBER, OTHER = "919800000055", "919800000056"


def notice_of(text, intent, sender=NUMBER, **slots):
    _, _, dispatcher = run(
        GlobalSlotMappings(), tracker(text, intent=intent, sender=sender, slots=slots)
    )
    return [m.get("text") for m in dispatcher.messages if m.get("text")]


def test_notice_once_per_number_in_the_language_of_the_first_message():
    first = notice_of("how many days of work did I get", "work_status")
    assert len(first) == 1 and "delete my data" in first[0]
    assert notice_of("and my wages?", "wage_status", language="en") == []
    bengali = notice_of("আমার মজুরি কবে ঢুকবে", "wage_status", sender=OTHER)
    assert len(bengali) == 1 and "আমার তথ্য মুছে দিন" in bengali[0]
    assert preferences.get(OTHER).privacy_notice_shown


def notice_events(text, intent, sender=NUMBER, **slots):
    _, events, dispatcher = run(
        GlobalSlotMappings(), tracker(text, intent=intent, sender=sender, slots=slots)
    )
    return slot_events(events).get("privacy_notice_shown"), len(dispatcher.messages)


def test_the_conversation_remembers_the_notice_and_stops_asking_the_store(monkeypatch):
    assert notice_events("hello", "greet") == (True, 1)  # shown: the slot is set
    assert notice_events("hello again", "greet") == (True, 0)  # a conversation without the
    # slot (an older one) reads the stored flag once and sets it too
    reads = []
    monkeypatch.setattr(preferences, "claim_privacy_notice", lambda mobile: reads.append(mobile))
    assert notice_events("and now?", "greet", privacy_notice_shown=True) == (None, 0)
    assert reads == [], "no store read once the conversation has the slot"


def test_after_erasure_the_notice_comes_again():
    assert notice_events("hello", "greet") == (True, 1)
    erasure.erase_bot_store([NUMBER])
    # erasure restarts the conversation: its slots are reset, the stored flag is gone
    assert notice_events("hello", "greet") == (True, 1)


def test_a_failing_store_neither_shows_nor_remembers_the_notice(monkeypatch):
    def broken(mobile):
        raise RuntimeError("database down")

    monkeypatch.setattr(preferences, "claim_privacy_notice", broken)
    assert notice_events("hello", "greet") == (None, 0)


def test_restart_payload_does_not_use_up_the_notice():
    assert notice_events("/restart", "restart") == (None, 0)
    assert notice_of("/restart", "restart") == []
    assert len(notice_of("hello", "greet")) == 1


def test_erase_asks_first_and_no_keeps_everything():
    names, events, _ = run(ActionAskEraseData(), tracker("delete my data", intent="erase_data"))
    assert names == ["utter_confirm_erase"]
    assert slot_events(events)["awaiting_confirmation"] == "erase_data"
    _, events, _ = run(
        GlobalSlotMappings(),
        tracker(
            "/deny", intent="deny", slots={"awaiting_confirmation": "erase_data", "language": "en"}
        ),
    )
    assert slot_events(events)["answer"] == "erase_no"
    names, _, _ = run(
        ActionEraseMyData(), tracker("/deny", intent="deny", slots={"answer": "erase_no"})
    )
    assert names == ["utter_erase_cancelled"]


def test_another_message_drops_the_pending_confirmation():
    _, events, _ = run(
        GlobalSlotMappings(),
        tracker(
            "hello", intent="greet", slots={"awaiting_confirmation": "erase_data", "language": "en"}
        ),
    )
    values = slot_events(events)
    assert values["awaiting_confirmation"] is None and "answer" not in values


@pytest.fixture()
def tracker_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/tracker.db"
    monkeypatch.setenv("SATHI_TRACKER_STORE_URL", url)
    eng = create_engine(url, future=True)
    with eng.begin() as conn:  # the columns of Rasa's SQLTrackerStore `events` table
        conn.execute(
            text(
                "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), "
                "type_name VARCHAR(255), timestamp FLOAT, intent_name VARCHAR(255), "
                "action_name VARCHAR(255), data TEXT)"
            )
        )
        now = time.time()
        for sender in (NUMBER, NUMBER, OTHER):
            conn.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) "
                    "VALUES (:s, 'user', :t, '{}')"
                ),
                {"s": sender, "t": now - 5},
            )
    return eng


def count(eng, sender):
    with eng.connect() as conn:
        return conn.execute(
            text("SELECT COUNT(*) FROM events WHERE sender_id = :s"), {"s": sender}
        ).scalar()


def test_yes_erases_conversation_and_bot_store_rows_but_keeps_audit(tracker_db, monkeypatch):
    monkeypatch.setattr(erasure, "SECOND_PASS_DELAYS", (0.2,))
    for number in (NUMBER, OTHER):
        preferences.save(number, language="en")
        record(number, "work_status", "en", True)
        store_document(
            owner_mobile=number,
            service="payslip",
            record_ref="WBP-1/2026-10",
            filename="p.pdf",
            content=b"%PDF-1.4 test",
            pages=1,
        )
        audit.record(
            mobile=number,
            channel="rest",
            service="payslip",
            record_ref="WBP-1/2026-10",
            outcome=audit.DELIVERED,
        )
    t = tracker(
        "/affirm", intent="affirm", sender=NUMBER, slots={"answer": "erase_yes", "language": "en"}
    )
    names, events, _ = run(ActionEraseMyData(), t)
    assert names == ["utter_erased"]
    assert [e["event"] for e in events] == ["restart", "followup"]
    assert count(tracker_db, NUMBER) == 0 and count(tracker_db, OTHER) == 1
    assert preferences.get(NUMBER).language is None
    assert preferences.get(OTHER).language == "en"
    assert audit.entries(mobile=NUMBER)  # kept: the retention says one year
    # Rasa writes the running turn back after the action: the second pass removes it
    with tracker_db.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO events (sender_id, type_name, timestamp, data) "
                "VALUES (:s, 'user', :t, '{}')"
            ),
            {"s": NUMBER, "t": time.time() - 1},
        )
    time.sleep(0.6)
    assert count(tracker_db, NUMBER) == 0 and count(tracker_db, OTHER) == 1
