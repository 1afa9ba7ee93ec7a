"""Trade NOC / trade licence certificate (intent `trade_noc`): the application or certificate
number, then the certificate PDF — only to the applicant's registered mobile."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import call_portal, language, portal, requester_mobile
from actions.document_delivery import deliver_document, finish_request
from actions.record_forms import AskForRecordNumber, RecordNumberForm
from portal_client import NotReady, PortalError
from sathi import formatting
from sathi.identifiers import parse_trade_noc_number
from sathi.wording import pick, reason, status_label

SERVICE = "trade_noc"
SLOT = "trade_noc_no"
CAPTION = {"en": "Your Trade NOC (trade licence), {number}. Keep it at your place of business.",
           "bn": "আপনার ট্রেড লাইসেন্স (ট্রেড এনওসি), {number}। ব্যবসার জায়গায় রেখে দেবেন।"}
STATUS_RESPONSES = {"submitted": "utter_trade_noc_submitted",
                    "under_verification": "utter_trade_noc_under_verification",
                    "rejected": "utter_trade_noc_rejected"}


class ValidateTradeNocForm(RecordNumberForm):
    own_intents = frozenset({"trade_noc", "inform"})
    slot = SLOT
    records_field = "trade_nocs"
    status_call = "trade_noc"
    lookup_kind = "trade_noc"
    invalid_response = "utter_invalid_trade_noc_no"
    not_found_response = "utter_trade_noc_not_found"
    parse = staticmethod(parse_trade_noc_number)

    def name(self) -> Text:
        return "validate_trade_noc_form"

    async def extract_trade_noc_no(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Dict[Text, Any]:
        return await self.extract_record(tracker, dispatcher)

    async def validate_trade_noc_no(self, value: Any, dispatcher: CollectingDispatcher,
                                    tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return await self.validate_record(value, dispatcher, tracker)


class ActionAskTradeNocNo(AskForRecordNumber):
    slot = SLOT
    records_field = "trade_nocs"

    def name(self) -> Text:
        return "action_ask_trade_noc_no"


async def explain_status(dispatcher: CollectingDispatcher, tracker: Tracker,
                         not_ready: NotReady) -> Optional[str]:
    """Not issued yet: where the application stands and which office to ask."""
    number = tracker.get_slot(SLOT)
    lang = language(tracker)
    try:
        noc = await call_portal(portal().trade_noc, number, mobile=requester_mobile(tracker))
    except PortalError:
        noc = None
    status = noc.status if noc else not_ready.status
    response = STATUS_RESPONSES.get(status or "")
    if noc is None or response is None:
        dispatcher.utter_message(response="utter_document_not_ready",
                                 status=status_label(status, lang))
        return f"status={status}"
    gp = pick(lang, noc.gp_name_en, noc.gp_name_bn) or ("আপনার" if lang == "bn" else "your")
    applied_on = formatting.day(noc.applied_on, lang) if noc.applied_on else "—"
    dispatcher.utter_message(response=response, number=noc.application_no, gp=gp,
                             applied_on=applied_on,
                             remarks=reason(pick(lang, noc.remarks, noc.remarks_bn)))
    return f"status={status}"


class ActionDeliverTradeNoc(Action):
    def name(self) -> Text:
        return "action_deliver_trade_noc"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        number = tracker.get_slot(SLOT)
        delivery = await deliver_document(
            dispatcher, tracker, service=SERVICE, record_ref=number,
            fetch=portal().trade_noc_pdf, fetch_args=(number,),
            filename=f"trade-noc-{number}.pdf",
            caption=CAPTION[language(tracker)].format(number=number),
            not_yours_response="utter_trade_noc_not_yours",
            not_found_response="utter_trade_noc_not_found", response_kwargs={"number": number},
            on_not_ready=explain_status)
        return finish_request(tracker, delivery, [SLOT], dispatcher=dispatcher)
