"""The Karmashree work demand form (demand_work_form): how each of its slots is read from the
user's message and checked — the job card (looked up like the status questions), the member,
the days (1-14), the start day and the confirmation. The questions, the filing and the
receipt are in actions/demand_work.py.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.base import language, portal
from actions.forms import SathiFormValidation
from actions.my_job_cards import use_sole_job_card
from actions.record_lookup import KARMASHREE as KARMASHREE_KIND
from actions.record_lookup import PORTAL_DOWN, TOO_MANY, UNAVAILABLE, UNVERIFIED, look_up
from sathi import clock, formatting
from sathi.dates import parse_days, parse_start_date
from sathi.identifiers import parse_job_card
from sathi.text import normalize

MIN_DAYS, MAX_DAYS = 1, 14
MAX_DAYS_AHEAD = 90  # the portal refuses a start further ahead


def entity_value(tracker: Tracker, entity: str) -> str | None:
    for found in tracker.latest_message.get("entities") or []:
        if found.get("entity") == entity and found.get("value") not in (None, ""):
            return str(found["value"])
    return None


def find_member(members: list[dict[str, str]], value: str) -> dict[str, str] | None:
    """A member by worker id, serial number ("2", "২") or (part of) the name."""
    text = normalize(value).strip().lower()
    if not text:
        return None
    for member in members:
        if member["id"].lower() == text:
            return member
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits and len(digits) <= 2 and len(text) <= 12:
        for member in members:
            if int(member["id"].rsplit("-", 1)[-1]) == int(digits):
                return member
    matches = [
        m
        for m in members
        if any(
            text in name or name.split()[0] in text.split()
            for name in (normalize(m.get(key) or "").lower() for key in ("name", "name_bn"))
            if name
        )
    ]
    return matches[0] if len(matches) == 1 else None


class ValidateDemandWorkForm(SathiFormValidation):
    own_intents = frozenset({"demand_work"})

    def name(self) -> str:
        return "validate_demand_work_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        if tracker.get_slot("demand_blocked"):
            # nothing more to ask: action_demand_work explains
            return [s for s in slots if s == "job_card"]
        return slots

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if tracker.get_slot("requested_slot") == "demand_confirmed":
            # "yes" here is the confirmation, not "try again" (SathiFormValidation.run)
            return await FormValidationAction.run(self, dispatcher, tracker, domain)
        return await super().run(dispatcher, tracker, domain)

    # --- extraction ----------------------------------------------------------------
    async def extract_job_card(self, dispatcher, tracker, domain) -> dict[str, Any]:
        raw = self.raw_value_for("job_card", tracker)
        if raw or "job_card" in tracker.slots_to_validate():
            return raw
        if (
            tracker.get_slot("job_card") is None
            and tracker.get_slot("requested_slot") is None
            and not self.is_breakout(tracker)
        ):
            return await use_sole_job_card(dispatcher, tracker)  # the number's only card
        return {}

    async def extract_demand_worker(self, dispatcher, tracker, domain) -> dict[str, Any]:
        chosen = entity_value(tracker, "demand_worker")
        if chosen and tracker.get_slot("requested_slot") == "demand_worker":
            return {"demand_worker": chosen}
        return self.raw_value_for("demand_worker", tracker)

    async def extract_demand_days(self, dispatcher, tracker, domain) -> dict[str, Any]:
        said = entity_value(tracker, "days")
        if said and not self.is_breakout(tracker):
            return {"demand_days": said}
        return self.raw_value_for("demand_days", tracker)

    async def extract_demand_start(self, dispatcher, tracker, domain) -> dict[str, Any]:
        said = entity_value(tracker, "start_date")
        if said and not self.is_breakout(tracker):
            return {"demand_start": said}
        return self.raw_value_for("demand_start", tracker)

    async def extract_demand_confirmed(self, dispatcher, tracker, domain) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "demand_confirmed":
            return {}
        intent = self.latest_intent(tracker)
        if intent in ("affirm", "deny"):
            return {"demand_confirmed": intent == "affirm"}
        return {}

    # --- validation ----------------------------------------------------------------
    async def validate_job_card(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        card = parse_job_card(str(value or ""))
        if card is None:
            return self.reject("job_card", dispatcher, tracker, "utter_invalid_job_card")
        # The same lookup, limit and one answer for "not found" and "not yours" as the status
        # questions (actions/record_lookup.py); the job card counts under the same limit.
        outcome, details = await look_up(tracker, KARMASHREE_KIND, card.nrega, portal().job_card)
        if outcome == UNAVAILABLE:
            return self.reject(
                "job_card", dispatcher, tracker, "utter_job_card_not_found", job_card=card.nrega
            )
        if outcome == TOO_MANY:
            return self.accept("job_card", card.nrega, demand_blocked="too_many")
        if outcome == PORTAL_DOWN:
            return self.accept("job_card", card.nrega, demand_blocked="portal_down")
        if outcome == UNVERIFIED:
            return self.accept("job_card", card.nrega)
        assert details is not None  # FOUND carries the portal's answer
        members = [
            {"id": m.worker_id, "name": m.name, "name_bn": m.name_bn} for m in details.members
        ]
        more: dict[str, Any] = {"demand_members": members, "demand_blocked": None}
        chosen = tracker.get_slot("demand_worker")
        if len(members) == 1:
            more["demand_worker"] = members[0]["id"]
        elif chosen and chosen not in {m["id"] for m in members}:
            more["demand_worker"] = None
        return self.accept("job_card", card.nrega, **more)

    async def validate_demand_worker(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        members = tracker.get_slot("demand_members") or []
        if not members:  # the card was not looked up (no verified mobile)
            return {"demand_worker": str(value)[:40]}
        member = find_member(members, str(value or ""))
        if member is None:
            return self.reject("demand_worker", dispatcher, tracker, "utter_demand_worker_unknown")
        return self.accept("demand_worker", member["id"])

    async def validate_demand_days(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        days = value if isinstance(value, (int, float)) else parse_days(str(value or ""))
        if days is None:
            return self.reject("demand_days", dispatcher, tracker, "utter_demand_days_invalid")
        if not MIN_DAYS <= int(days) <= MAX_DAYS:
            return self.reject("demand_days", dispatcher, tracker, "utter_demand_days_range")
        return self.accept("demand_days", float(int(days)), demand_confirmed=None)

    async def validate_demand_start(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        today = clock.today()
        start = parse_start_date(str(value or ""), today)
        if start is None:
            return self.reject("demand_start", dispatcher, tracker, "utter_demand_start_invalid")
        if start < today:
            return self.reject("demand_start", dispatcher, tracker, "utter_demand_start_past")
        if start > today + timedelta(days=MAX_DAYS_AHEAD):
            return self.reject(
                "demand_start",
                dispatcher,
                tracker,
                "utter_demand_start_too_far",
                days=formatting.number(MAX_DAYS_AHEAD, language(tracker)),
            )
        return self.accept("demand_start", start.isoformat(), demand_confirmed=None)

    async def validate_demand_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"demand_confirmed": bool(value)}
