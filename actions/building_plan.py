"""Building plan approval letter (intent `building_plan`): the application number, then the
Gram Panchayat's approval letter PDF — only to the applicant's registered mobile."""
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
from sathi.identifiers import parse_building_plan_number
from sathi.wording import pick, reason, status_label

SERVICE = "building_plan"
SLOT = "building_plan_no"
CAPTION = {"en": "Approval letter of your building plan, application {number}.",
           "bn": "আপনার বাড়ির প্ল্যান অনুমোদনের চিঠি, আবেদন নম্বর {number}।"}
STATUS_RESPONSES = {"submitted": "utter_building_plan_submitted",
                    "site_inspection": "utter_building_plan_site_inspection",
                    "rejected": "utter_building_plan_rejected"}


class ValidateBuildingPlanForm(RecordNumberForm):
    own_intents = frozenset({"building_plan", "inform"})
    slot = SLOT
    records_field = "building_plans"
    status_call = "building_plan"
    lookup_kind = "building_plan"
    invalid_response = "utter_invalid_building_plan_no"
    not_found_response = "utter_building_plan_not_found"
    parse = staticmethod(parse_building_plan_number)

    def name(self) -> Text:
        return "validate_building_plan_form"

    async def extract_building_plan_no(self, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return await self.extract_record(tracker, dispatcher)

    async def validate_building_plan_no(self, value: Any, dispatcher: CollectingDispatcher,
                                        tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return await self.validate_record(value, dispatcher, tracker)


class ActionAskBuildingPlanNo(AskForRecordNumber):
    slot = SLOT
    records_field = "building_plans"

    def name(self) -> Text:
        return "action_ask_building_plan_no"


async def explain_status(dispatcher: CollectingDispatcher, tracker: Tracker,
                         not_ready: NotReady) -> Optional[str]:
    """Not approved yet: where the application stands and which office to ask."""
    number = tracker.get_slot(SLOT)
    lang = language(tracker)
    try:
        plan = await call_portal(portal().building_plan, number,
                                 mobile=requester_mobile(tracker))
    except PortalError:
        plan = None
    status = plan.status if plan else not_ready.status
    response = STATUS_RESPONSES.get(status or "")
    if plan is None or response is None:
        dispatcher.utter_message(response="utter_document_not_ready",
                                 status=status_label(status, lang))
        return f"status={status}"
    gp = pick(lang, plan.gp_name_en, plan.gp_name_bn) or ("আপনার" if lang == "bn" else "your")
    dispatcher.utter_message(response=response, number=plan.application_no, gp=gp,
                             remarks=reason(pick(lang, plan.remarks, plan.remarks_bn)))
    return f"status={status}"


class ActionDeliverBuildingPlan(Action):
    def name(self) -> Text:
        return "action_deliver_building_plan"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        number = tracker.get_slot(SLOT)
        delivery = await deliver_document(
            dispatcher, tracker, service=SERVICE, record_ref=number,
            fetch=portal().building_plan_pdf, fetch_args=(number,),
            filename=f"building-plan-approval-{number}.pdf",
            caption=CAPTION[language(tracker)].format(number=number),
            not_yours_response="utter_building_plan_not_yours",
            not_found_response="utter_building_plan_not_found",
            response_kwargs={"number": number}, on_not_ready=explain_status)
        return finish_request(tracker, delivery, [SLOT], dispatcher=dispatcher)
