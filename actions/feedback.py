""" "Was this helpful?" after a status answer or a document.

- A finishing action calls `ask_feedback(dispatcher, service)` last and returns its events:
  the question with 👍 / 👎 (payloads `/affirm`, `/deny`) and the slot `feedback_for`; after
  `renew_session(tracker)` use `with_feedback(dispatcher, service, renew_session(tracker))`,
  which keeps the FollowupAction last.
- The next message is read by the global slot mapping (actions/slot_mappings.py, before the
  policies run) with `read_feedback_answer`: 👍 / 👎 is stored in the bot store `feedback`
  table and the slot `answer` tells the rules to thank (or to ask one line of why); a 👎's
  next message is stored as its comment unless it is clearly a new request. Anything else
  drops the pending question and proceeds as if it had not been asked: never blocking.
- `action_feedback_reply` answers and clears `answer`.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy import insert, update

from actions.base import own_conversation_id, requester_mobile
from bot_store.db import engine
from bot_store.schema import feedback
from sathi import clock

logger = logging.getLogger(__name__)
MAX_COMMENT_CHARS = 500
# Intents that mean "a new request" rather than the one line of why after a 👎.
NEW_REQUEST_INTENTS = {
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
    "cancel",
    "help",
    "human_handoff",
    "opt_out",
    "opt_in",
    "set_language",
    "greet",
    "erase_data",
    "restart",
    "session_start",
}
# Intents a free-text comment is usually classified as; only these are taken as the comment.
COMMENT_INTENTS = {
    "nlu_fallback",
    "out_of_scope",
    "inform",
    "affirm",
    "deny",
    "thank",
    "bot_challenge",
    "goodbye",
}


def ask_feedback(dispatcher: CollectingDispatcher, service: str) -> list[EventType]:
    """Ask "was this helpful?" about `service` (an intent name such as `work_status`).
    Append the returned events after the finishing action's own (after renew_session)."""
    dispatcher.utter_message(response="utter_ask_feedback")
    return [
        SlotSet("feedback_for", service),
        SlotSet("feedback_id", None),
        SlotSet("awaiting_confirmation", None),
    ]


def with_feedback(
    dispatcher: CollectingDispatcher, service: str, session_events: list[EventType]
) -> list[EventType]:
    """`renew_session(...)` events with the feedback question's slots placed before the final
    FollowupAction(action_listen): what a finishing action returns last."""
    asked = ask_feedback(dispatcher, service)
    if session_events and session_events[-1].get("event") == "followup":
        return session_events[:-1] + asked + session_events[-1:]
    return session_events + asked


def record(mobile: str, service: str, language: str, helpful: bool) -> int:
    """Store one answer; returns the row id (to attach the comment of a 👎)."""
    with engine().begin() as conn:
        result = conn.execute(
            insert(feedback).values(
                mobile=mobile,
                service=service[:32],
                language=language or "bn",
                helpful=int(helpful),
                at=clock.now(),
            )
        )
        return int(result.inserted_primary_key[0])


def add_comment(row_id: int, comment: str) -> None:
    with engine().begin() as conn:
        conn.execute(
            update(feedback)
            .where(feedback.c.id == row_id)
            .values(comment=comment.strip()[:MAX_COMMENT_CHARS])
        )


def read_feedback_answer(tracker: Tracker) -> dict[str, Any]:
    """Slot values for this turn when a feedback question or a 👎's why is pending, else {}.
    Called once per user message by the global slot mapping."""
    service = tracker.get_slot("feedback_for")
    row_id = tracker.get_slot("feedback_id")
    if not service and not row_id:
        return {}
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    text = (tracker.latest_message.get("text") or "").strip()
    language = tracker.get_slot("language") or "bn"
    if service:
        if intent in ("affirm", "deny"):
            helpful = intent == "affirm"
            who = (requester_mobile(tracker) or own_conversation_id(tracker) or "unverified")[:16]
            new_id = record(who, service, language, helpful)
            logger.info("feedback on %s: %s", service, "helpful" if helpful else "not helpful")
            return {
                "feedback_for": None,
                "feedback_id": None if helpful else float(new_id),
                "answer": "feedback_yes" if helpful else "feedback_no",
            }
        return {"feedback_for": None}  # something else: the question is dropped
    if intent in COMMENT_INTENTS and text and not text.startswith("/"):
        add_comment(int(row_id), text)
        return {"feedback_id": None, "answer": "feedback_comment"}
    return {"feedback_id": None}


class ActionFeedbackReply(Action):
    def name(self) -> str:
        return "action_feedback_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        answer: str | None = tracker.get_slot("answer")
        if answer == "feedback_yes":
            dispatcher.utter_message(response="utter_feedback_thanks")
        elif answer == "feedback_no":
            dispatcher.utter_message(response="utter_feedback_ask_why")
        elif answer == "feedback_comment":
            dispatcher.utter_message(response="utter_feedback_comment_thanks")
        return [SlotSet("answer", None)]
