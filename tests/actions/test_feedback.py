""" "Was this helpful?": asked after a status answer, answered before the policies run (global
slot mapping), stored in the bot store, and never blocking the next request."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.feedback import ActionFeedbackReply, ask_feedback, with_feedback
from actions.karmashree import ActionKarmashreeStatus
from actions.slot_mappings import GlobalSlotMappings
from bot_store.db import engine
from bot_store.schema import feedback
from tests.support.trackers import run, slot_events, tracker


def rows():
    with engine().connect() as conn:
        return [dict(r) for r in conn.execute(select(feedback)).mappings()]


def answer(text, intent, **slots):
    slots.setdefault("language", "en")
    slots.setdefault("privacy_notice_shown", True)  # a conversation past its first message
    _, events, _ = run(GlobalSlotMappings(), tracker(text, intent=intent, slots=slots))
    return slot_events(events)


def test_ask_feedback_utters_the_question_and_remembers_the_service():
    dispatcher = CollectingDispatcher()
    events = ask_feedback(dispatcher, "payslip")
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_feedback"]
    assert slot_events(events)["feedback_for"] == "payslip"
    ordered = with_feedback(
        CollectingDispatcher(),
        "payslip",
        [{"event": "session_started"}, {"event": "followup", "name": "action_listen"}],
    )
    assert ordered[-1]["event"] == "followup" and ordered[0]["event"] == "session_started"


def test_status_answer_ends_with_the_question(portal):
    record = portal.demo_ids["job_cards"][0]
    t = tracker(
        "",
        slots={"job_card": record["job_card"], "language": "en", "karmashree_topic": "wage"},
        sender=record["mobile"],
    )
    names, events, _ = run(ActionKarmashreeStatus(), t)
    assert names[-1] == "utter_ask_feedback"
    assert slot_events(events)["feedback_for"] == "wage_status"
    assert events[-1]["event"] == "followup"


def test_thumbs_up_is_stored_and_thanked():
    values = answer("/affirm", "affirm", feedback_for="work_status")
    assert values["answer"] == "feedback_yes" and values["feedback_for"] is None
    assert [(r["service"], r["helpful"], r["language"]) for r in rows()] == [
        ("work_status", 1, "en")
    ]
    names, events, _ = run(
        ActionFeedbackReply(), tracker("/affirm", intent="affirm", slots={"answer": "feedback_yes"})
    )
    assert names == ["utter_feedback_thanks"] and slot_events(events)["answer"] is None


def test_thumbs_down_then_one_line_of_why():
    values = answer("/deny", "deny", feedback_for="work_status", language="bn")
    assert values["answer"] == "feedback_no" and values["feedback_id"]
    names, _, _ = run(
        ActionFeedbackReply(), tracker("/deny", intent="deny", slots={"answer": "feedback_no"})
    )
    assert names == ["utter_feedback_ask_why"]
    values = answer(
        "mojurir hisab ta bhul dekhacche", "nlu_fallback", feedback_id=values["feedback_id"]
    )
    assert values["answer"] == "feedback_comment" and values["feedback_id"] is None
    stored = rows()
    assert len(stored) == 1 and stored[0]["helpful"] == 0 and stored[0]["language"] == "bn"
    assert stored[0]["comment"] == "mojurir hisab ta bhul dekhacche"


def test_a_new_request_after_thumbs_down_proceeds_and_is_not_a_comment():
    values = answer("/deny", "deny", feedback_for="work_status")
    values = answer("amar payslip chai", "payslip", feedback_id=values["feedback_id"])
    assert values == {"feedback_id": None}
    assert rows()[0]["comment"] is None


def test_asking_something_else_drops_the_question():
    values = answer("kaj chai", "demand_work", feedback_for="work_status")
    assert values == {"feedback_for": None}
    assert rows() == []


def test_nothing_pending_nothing_happens():
    values = answer("/affirm", "affirm")
    assert "answer" not in values and rows() == []
