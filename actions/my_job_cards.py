"""The job cards the verified number holds (`GET /me/records`), so a citizen need not carry
the number: exactly one is used and named ("job card WB-…/270, head of household …");
several are offered as a list, by number with the head of household as the description;
none (or an unverified sender, or the portal not answering) means the bot asks as before.
A typed card still goes through the owner check of the form that asked.

Used by the Karmashree form (work days, wages) and the work demand form; who the requester
is comes only from `actions.base.requester_mobile`."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import call_portal, language, portal, requester_mobile
from actions.document_delivery import MAX_CHOICES, my_record_ids
from portal_client import PortalError
from sathi.wording import pick

logger = logging.getLogger(__name__)


async def my_job_cards(tracker: Tracker) -> list[Any]:
    """The requester's job cards with their households (portal_client JobCard), at most 10;
    [] when none, unverified, or the portal does not answer."""
    ids = await my_record_ids(tracker, "job_cards") or []
    mobile = requester_mobile(tracker)
    cards = []
    for number in ids[:MAX_CHOICES]:
        try:
            cards.append(await call_portal(portal().job_card, number, mobile=mobile))
        except PortalError as error:
            logger.info("job card details unavailable: %s", type(error).__name__)
            return []
    return cards


def head_of(card, lang: str) -> str:
    name = pick(lang, card.head_of_household, getattr(card, "head_of_household_bn", None))
    return name or "—"


async def use_sole_job_card(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    """`{"job_card": <the only card>}` and a line saying which card it is; {} otherwise."""
    cards = await my_job_cards(tracker)
    if len(cards) != 1:
        return {}
    card = cards[0]
    dispatcher.utter_message(
        response="utter_using_job_card",
        job_card=card.job_card,
        name=head_of(card, language(tracker)),
    )
    return {"job_card": card.job_card}


class ActionAskJobCard(Action):
    """`action_ask_job_card` (every form that needs a card): the number's cards as a list,
    else the plain question."""

    def name(self) -> str:
        return "action_ask_job_card"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        cards = await my_job_cards(tracker)
        if len(cards) < 2:  # one card is used without asking; none: the question
            dispatcher.utter_message(response="utter_ask_job_card")
            return []
        lang = language(tracker)
        label = "পরিবারের প্রধান" if lang == "bn" else "Head of household"
        buttons = [
            {
                "title": card.job_card,
                "description": f"{label}: {head_of(card, lang)}",
                "payload": f'/inform{{"job_card":"{card.job_card}"}}',
            }
            for card in cards
        ]
        dispatcher.utter_message(response="utter_choose_job_card", buttons=buttons)
        return []
