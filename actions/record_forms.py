"""The shared shape of a document form that needs one record number (Trade NOC, building plan,
tourism booking): extraction from the raw text or, at activation, the requester's only record
of that kind; validation with the `sathi.identifiers` parser and an existence check at the
portal (a mistyped number gets a second chance); the question, with the user's own records
as buttons when the portal lists any."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Callable, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import portal
from actions.document_delivery import sole_record
from actions.my_records import ask_for_my_record, say_using_record
from actions.forms import SathiFormValidation
from actions.record_lookup import UNAVAILABLE, look_up


class RecordNumberForm(SathiFormValidation):
    """Subclasses set the class attributes and define `extract_<slot>` / `validate_<slot>` as
    one-line calls of `extract_record` / `validate_record` (rasa_sdk finds them by name)."""

    slot: str = ""                        # the slot, also the NLU entity's name
    records_field: str = ""               # portal_client MyRecords field (trade_nocs, ...)
    status_call: str = ""                 # PortalClient method that checks the record exists
    lookup_kind: str = ""                 # the service name: counted with its deliveries
    invalid_response: str = ""            # utter_invalid_<slot>
    not_found_response: str = ""          # takes {number}
    parse: Callable[[Optional[str]], Optional[str]] = staticmethod(lambda text: None)

    def _may_prefill(self, tracker: Tracker) -> bool:
        """At activation only: the slot is empty, nothing was given this turn, the message
        belongs to this service."""
        return (tracker.get_slot(self.slot) is None
                and self.slot not in tracker.slots_to_validate()
                and tracker.get_slot("requested_slot") is None
                and self.latest_intent(tracker) in self.own_intents
                and not self.is_breakout(tracker))

    async def extract_record(self, tracker: Tracker,
                             dispatcher: Optional[CollectingDispatcher] = None) -> Dict[Text, Any]:
        typed = self.raw_value_for(self.slot, tracker)
        if typed:
            return typed
        if self._may_prefill(tracker):
            only = await sole_record(tracker, self.records_field)
            if only:
                if dispatcher is not None:   # say which one is used ("using this one")
                    await say_using_record(dispatcher, tracker, self.records_field, self.slot, only)
                return {self.slot: only}
        return {}

    async def validate_record(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker) -> Dict[Text, Any]:
        if isinstance(value, list):  # two entities in one message: the first one
            value = value[0] if value else None
        number = type(self).parse(str(value or ""))
        if number is None:
            return self.reject(self.slot, dispatcher, tracker, self.invalid_response)
        # Not found and not yours are one answer (nothing about the record leaks); too many,
        # unverified or portal down: accepted, and the deliver action says why not.
        outcome, _ = await look_up(tracker, self.lookup_kind or self.slot, number,
                                   getattr(portal(), self.status_call))
        if outcome == UNAVAILABLE:
            return self.reject(self.slot, dispatcher, tracker, self.not_found_response,
                               number=number)
        return self.accept(self.slot, number)


class AskForRecordNumber(Action, ABC):
    """`action_ask_<slot>`: the user's records of this kind as a list described by name
    (actions/my_records.py), else the question."""

    slot: str = ""
    records_field: str = ""

    @abstractmethod
    def name(self) -> Text:
        """action_ask_<slot>"""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        return await ask_for_my_record(dispatcher, tracker, field=self.records_field,
                                       entity=self.slot, ask_response=f"utter_ask_{self.slot}",
                                       choose_response=f"utter_choose_{self.slot}")
