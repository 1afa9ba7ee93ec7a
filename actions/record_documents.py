"""Record-document services — a citizen's document found by one record number (Trade NOC,
building plan approval, tourism booking slip, and the next one) — as a spec plus one generic
form and two generic actions built from it.

A service module holds only what differs (docs/adding-a-service.md):

    SPEC = RecordDocumentSpec(
        service="trade_noc", slot="trade_noc_no", parse=parse_trade_noc_number,
        records_field="trade_nocs", status_call=PortalClient.trade_noc,
        pdf_call=PortalClient.trade_noc_pdf, filename="trade-noc-{number}.pdf",
        caption={"en": "...{number}...", "bn": "...{number}..."},
        status_replies={"submitted": "utter_trade_noc_submitted", ...},
        reply_details=trade_noc_details, describe_choice=trade_noc_choice,
        not_found_response="utter_trade_noc_not_found",
        not_yours_response="utter_trade_noc_not_yours")
    ValidateTradeNocForm, ActionAskTradeNocNo, ActionDeliverTradeNoc = record_document_actions(
        SPEC, module=__name__)

What the three do:
- `validate_<service>_form`: the number from the entity or the raw text (or, at activation,
  the requester's only record of that kind); the `parse` check (`utter_invalid_<slot>`);
  an existence check at the portal through `record_lookup.look_up` (not found and not yours
  are one answer, `not_found_response`, so nothing leaks);
- `action_ask_<slot>`: the requester's records as a described list (`utter_choose_<slot>`),
  else the question (`utter_ask_<slot>`);
- `action_deliver_<service>`: the PDF through `document_delivery.deliver_document`; when the
  portal says "not ready", the record's status picks a reply from `status_replies`, filled
  by `reply_details`.

Portal calls are plain functions taking the client first — `PortalClient.trade_noc` is one —
bound to the process-wide client when called.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import call_portal, language, requester_mobile
from actions.document_delivery import (
    DocumentRequest,
    Replies,
    deliver_document,
    finish_request,
    sole_record,
)
from actions.forms import SERVICE_INTENTS, SathiFormValidation
from actions.my_records import Describer, ask_for_my_record, say_using_record
from actions.record_lookup import UNAVAILABLE, look_up
from actions.service_spec import PortalCall, action_class, bound, camel
from portal_client import NotReady, PortalError
from sathi.wording import status_label

# (the record or None when the portal did not describe it, the number, language) -> the
# keyword arguments of the status reply, or None for the generic "not ready" answer
ReplyDetails = Callable[[Any | None, str, str], dict[str, Any] | None]
# (the record, language) -> a short description for the "which of your records?" list
DescribeChoice = Callable[[Any, str], str | None]


@dataclass(frozen=True)
class RecordDocumentSpec:
    service: str  # the intent; form `<service>_form`; audit and lookup kind
    slot: str  # the record-number slot, also its NLU entity
    parse: Callable[[str | None], str | None]  # sathi.identifiers parser -> canonical
    records_field: str  # portal_client MyRecords field listing the user's records
    status_call: PortalCall  # the record (with `.status`); NotFound / NotYours
    pdf_call: PortalCall  # the PdfDocument; NotReady until it exists
    filename: str  # "trade-noc-{number}.pdf"
    caption: Mapping[str, str]  # {"en": ..., "bn": ...}, may use {number}
    status_replies: Mapping[str, str]  # record status -> response when not ready
    reply_details: ReplyDetails
    not_found_response: str  # takes {number}; also the validation's "not yours"
    not_yours_response: str  # takes {number}
    describe_choice: DescribeChoice | None = None
    own_intents: frozenset = field(default=frozenset())  # besides `service` and `inform`

    @property
    def form_intents(self) -> frozenset:
        return frozenset({self.service, "inform"}) | self.own_intents

    def describer(self) -> Describer | None:
        """How a record of this kind is described to its owner (a list row, the "using this
        one" line): the status call and `describe_choice`, or None."""
        if self.describe_choice is None:
            return None
        return (bound(self.status_call), self.describe_choice)


class RecordDocumentForm(SathiFormValidation):
    """`validate_<service>_form` of a spec; `record_document_actions` gives it its spec and
    the `extract_<slot>` / `validate_<slot>` methods rasa_sdk looks up by name."""

    spec: RecordDocumentSpec

    def _may_prefill(self, tracker: Tracker) -> bool:
        """At activation only: the slot is empty, nothing was given this turn, the message
        belongs to this service."""
        slot = self.spec.slot
        return (
            tracker.get_slot(slot) is None
            and slot not in tracker.slots_to_validate()
            and tracker.get_slot("requested_slot") is None
            and self.latest_intent(tracker) in self.own_intents
            and not self.is_breakout(tracker)
        )

    async def extract_record(
        self, tracker: Tracker, dispatcher: CollectingDispatcher | None = None
    ) -> dict[str, Any]:
        typed = self.raw_value_for(self.spec.slot, tracker)
        if typed:
            return typed
        if self._may_prefill(tracker):
            only = await sole_record(tracker, self.spec.records_field)
            if only:
                if dispatcher is not None:  # say which one is used ("using this one")
                    spec = self.spec
                    await say_using_record(
                        dispatcher, tracker, spec.records_field, spec.slot, only, spec.describer()
                    )
                return {self.spec.slot: only}
        return {}

    async def validate_record(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        spec = self.spec
        if isinstance(value, list):  # two entities in one message: the first one
            value = value[0] if value else None
        number = spec.parse(str(value or ""))
        if number is None:
            return self.reject(spec.slot, dispatcher, tracker, f"utter_invalid_{spec.slot}")
        # Not found and not yours are one answer (nothing about the record leaks); too many,
        # unverified or portal down: accepted, and the deliver action says why not.
        outcome, _ = await look_up(tracker, spec.service, number, bound(spec.status_call))
        if outcome == UNAVAILABLE:
            return self.reject(
                spec.slot, dispatcher, tracker, spec.not_found_response, number=number
            )
        return self.accept(spec.slot, number)


class AskForRecordNumber(Action, ABC):
    """`action_ask_<slot>`: the user's records of this kind as a list described by
    `describe_choice` (actions/my_records.py), else the question."""

    spec: RecordDocumentSpec

    @abstractmethod
    def name(self) -> str:
        """action_ask_<slot>"""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        spec = self.spec
        describe = spec.describer()
        return await ask_for_my_record(
            dispatcher,
            tracker,
            field=spec.records_field,
            entity=spec.slot,
            ask_response=f"utter_ask_{spec.slot}",
            choose_response=f"utter_choose_{spec.slot}",
            describe=describe,
        )


class DeliverRecordDocument(Action, ABC):
    """`action_deliver_<service>`: the PDF, or why not (the status reply when not ready)."""

    spec: RecordDocumentSpec

    @abstractmethod
    def name(self) -> str:
        """action_deliver_<service>"""

    async def explain_status(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, not_ready: NotReady
    ) -> str | None:
        """Not issued yet: where the record stands and what to do (`status_replies`)."""
        spec = self.spec
        number = tracker.get_slot(spec.slot)
        lang = language(tracker)
        try:
            record = await call_portal(
                bound(spec.status_call), number, mobile=requester_mobile(tracker)
            )
        except PortalError:
            record = None
        status = record.status if record else not_ready.status
        response = spec.status_replies.get(status or "")
        details = spec.reply_details(record, number, lang) if response else None
        if response is None or details is None:
            dispatcher.utter_message(
                response="utter_document_not_ready", status=status_label(status, lang)
            )
        else:
            dispatcher.utter_message(response=response, **details)
        return f"status={status}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        spec = self.spec
        number = tracker.get_slot(spec.slot)
        request = DocumentRequest(
            service=spec.service,
            record_ref=number,
            fetch=bound(spec.pdf_call),
            fetch_args=(number,),
            filename=spec.filename.format(number=number),
            caption=spec.caption[language(tracker)].format(number=number),
            replies=Replies(
                not_yours=spec.not_yours_response,
                not_found=spec.not_found_response,
                kwargs={"number": number},
                on_not_ready=self.explain_status,
            ),
        )
        delivery = await deliver_document(dispatcher, tracker, request)
        return finish_request(tracker, delivery, [spec.slot], dispatcher=dispatcher)


def record_document_actions(
    spec: RecordDocumentSpec, *, module: str
) -> tuple[type[RecordDocumentForm], type[AskForRecordNumber], type[DeliverRecordDocument]]:
    """The form validation, ask and deliver action classes of `spec`, named like hand-written
    ones (`ValidateTradeNocForm`, `ActionAskTradeNocNo`, `ActionDeliverTradeNoc`) and
    belonging to `module` (the service module, where rasa_sdk and the tests find them)."""
    slot = spec.slot

    async def extract(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self.extract_record(tracker, dispatcher)

    async def validate(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self.validate_record(value, dispatcher, tracker)

    SERVICE_INTENTS.add(spec.service)  # another service's intent breaks out of this form
    form = action_class(
        f"Validate{camel(spec.service)}Form",
        (RecordDocumentForm,),
        module,
        f"validate_{spec.service}_form",
        spec=spec,
        own_intents=spec.form_intents,
        **{f"extract_{slot}": extract, f"validate_{slot}": validate},
    )
    ask = action_class(
        f"ActionAsk{camel(slot)}", (AskForRecordNumber,), module, f"action_ask_{slot}", spec=spec
    )
    deliver = action_class(
        f"ActionDeliver{camel(spec.service)}",
        (DeliverRecordDocument,),
        module,
        f"action_deliver_{spec.service}",
        spec=spec,
    )
    return form, ask, deliver
