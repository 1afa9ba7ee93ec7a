"""Staff documents — pay slip, salary statement, Form 26, cash analysis: a document of one
subject (an employee, a Gram Panchayat, a Panchayat Samiti) for one period (a month, a
financial year) — as a spec plus one generic form and deliver action built from it.

A service module holds what differs: its two slots (their extraction and validation are
the mixins of actions/staff_slots.py), the portal's PDF call, the refusal replies and a
`describe` coroutine that names the document (file name, caption, the arguments of the
replies) and says which reply explains "not ready":

    SPEC = StaffDocumentSpec(
        service="payslip", slots=("employee_id", "month"),
        slot_mixins=(EmployeeIdSlot, MonthSlot), pdf_call=PortalClient.payslip_pdf,
        describe=describe, not_yours_response="utter_employee_record_not_yours",
        not_found_response="utter_employee_not_found")
    ValidatePayslipForm, ActionDeliverPayslip = staff_document_actions(SPEC, module=__name__)

The record reference in the audit log is `<subject>/<period>`; the portal (with the
requester's verified mobile) decides who may have the document.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import language
from actions.document_delivery import DocumentRequest, Replies, deliver_document, finish_request
from actions.forms import SERVICE_INTENTS, SathiFormValidation
from actions.service_spec import PortalCall, action_class, bound, camel
from portal_client import NotReady


@dataclass(frozen=True)
class StaffDocument:
    """One request's document: its file name and caption, the keyword arguments of the
    refusal replies, and `not_ready(error)` -> (response, its keyword arguments)."""

    filename: str
    caption: str
    not_ready: Callable[[NotReady], tuple[str, Mapping[str, Any]]]
    kwargs: Mapping[str, Any] = field(default_factory=dict)


# (tracker, subject, period, language) -> the document of this request
Describe = Callable[[Tracker, str, str, str], Awaitable[StaffDocument]]


@dataclass(frozen=True)
class StaffDocumentSpec:
    service: str  # the intent; form `<service>_form`; audit kind
    slots: tuple[str, str]  # (subject slot, period slot), the form's required slots
    slot_mixins: tuple[type, ...]  # their extract_/validate_ methods (staff_slots.py)
    pdf_call: PortalCall  # (client, subject, period, *, mobile) -> PdfDocument
    describe: Describe
    not_yours_response: str
    not_found_response: str


class DeliverStaffDocument(Action, ABC):
    """`action_deliver_<service>`: the PDF, or why not."""

    spec: StaffDocumentSpec

    @abstractmethod
    def name(self) -> str:
        """action_deliver_<service>"""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        spec = self.spec
        subject, period = (tracker.get_slot(slot) for slot in spec.slots)
        document = await spec.describe(tracker, subject, period, language(tracker))

        async def explain(
            dispatcher: CollectingDispatcher, tracker: Tracker, error: NotReady
        ) -> str | None:
            response, kwargs = document.not_ready(error)
            dispatcher.utter_message(response=response, **kwargs)
            return f"status={error.status}"

        request = DocumentRequest(
            service=spec.service,
            record_ref=f"{subject}/{period}",
            fetch=bound(spec.pdf_call),
            fetch_args=(subject, period),
            filename=document.filename,
            caption=document.caption,
            replies=Replies(
                not_yours=spec.not_yours_response,
                not_found=spec.not_found_response,
                kwargs=document.kwargs,
                on_not_ready=explain,
            ),
        )
        delivery = await deliver_document(dispatcher, tracker, request)
        return finish_request(tracker, delivery, spec.slots, dispatcher=dispatcher)


def staff_document_actions(
    spec: StaffDocumentSpec, *, module: str
) -> tuple[type[SathiFormValidation], type[DeliverStaffDocument]]:
    """`validate_<service>_form` (the slot mixins on the shared form base) and
    `action_deliver_<service>`, named `Validate<Service>Form` / `ActionDeliver<Service>`."""
    SERVICE_INTENTS.add(spec.service)  # another service's intent breaks out of this form
    form = action_class(
        f"Validate{camel(spec.service)}Form",
        (*spec.slot_mixins, SathiFormValidation),
        module,
        f"validate_{spec.service}_form",
        own_intents=frozenset({spec.service, "inform"}),
    )
    deliver = action_class(
        f"ActionDeliver{camel(spec.service)}",
        (DeliverStaffDocument,),
        module,
        f"action_deliver_{spec.service}",
        spec=spec,
    )
    return form, deliver
