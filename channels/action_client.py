"""The rasa server's side of calls to the action server, made lighter (docs/performance.md).

Rasa 3.6, on every remote action call:
- opens a new aiohttp session, so a new TCP connection, and closes it after the answer
  (`EndpointConfig.request` -> `async with self.session()`); here each endpoint keeps one
  session (one connection pool) per event loop, reused by every call;
- sends the whole domain with every call that needs one (every `validate_<form>` call): 167 kB
  of JSON, 160 kB of it the responses, built anew (`domain.as_dict()`) and encoded every time,
  and parsed again by the action server. Here the domain is built once per loaded model and
  sent without the responses, which the action server never renders (Rasa's NLG does), except
  the ones its code reads (`RESPONSES_READ_BY_ACTIONS`: the privacy notice). 7 kB a call;
- encodes the request body (the tracker with every event of the session) with the `json`
  module; here with ujson, 2-3 times faster, which the action server parses the same (the
  `json` module takes over for anything ujson refuses, e.g. NaN);
- checks the answer with `jsonschema.validate(answer, schema)`, which first checks the schema
  itself against the JSON-Schema meta-schema and builds a new validator: most of the CPU the
  call costs the rasa process. Here the schema is compiled once to a predicate
  (`channels/schema_predicate.py`, microseconds an answer where a jsonschema validator takes
  milliseconds); an answer it rejects goes to one jsonschema validator, built once, which
  decides and raises the same error (a `ValidationError`) when it does not fit.

Nothing else changes: same URL, headers, timeouts, the rest of the body, errors. Installed by `install()`
(channels/document_nlg.py, loaded by every rasa process through endpoints.yml).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import aiohttp
import rasa
import ujson
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.trackers import EventVerbosity
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

from actions.privacy import NOTICE_RESPONSE
from channels.schema_predicate import Unsupported, compile_schema

logger = logging.getLogger(__name__)

_original_session = EndpointConfig.session
_original_validate = RemoteAction._validate_action_result
_original_call_format = RemoteAction._action_call_format
# the responses that code of actions/ reads from the domain it is sent (a test checks this)
RESPONSES_READ_BY_ACTIONS = (NOTICE_RESPONSE,)
_SENT_DOMAIN = "_sathi_domain_for_action_server"
_SHARED = "_sathi_shared_session"
_validator = None
_fits = None


class _Borrowed:
    """`async with` over a shared session that does not close it on exit."""

    def __init__(self, session) -> None:
        self.session = session

    async def __aenter__(self):
        return self.session

    async def __aexit__(self, *_exc) -> bool:
        return False


def json_dumps(value: Any) -> str:
    """The request body's JSON: ujson, or the `json` module where ujson refuses the value."""
    try:
        return ujson.dumps(value)
    except (OverflowError, TypeError, ValueError):
        return json.dumps(value)


def _new_session(self: EndpointConfig) -> aiohttp.ClientSession:
    """Rasa's `EndpointConfig.session()`, encoding JSON bodies with `json_dumps`."""
    auth = None
    if self.basic_auth:
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
    return aiohttp.ClientSession(
        headers=self.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        json_serialize=json_dumps,
    )


def _shared_session(self: EndpointConfig):
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # not inside a loop: the caller gets a session of its own
        return _new_session(self)
    held = self.__dict__.get(_SHARED)
    if held is None or held[0] is not loop or held[1].closed:
        held = (loop, _new_session(self))
        self.__dict__[_SHARED] = held
    return _Borrowed(held[1])


def _checkers():
    """jsonschema's validator for the answer schema, built once, and the same schema compiled
    to a predicate (`channels/schema_predicate.py`), or None where it cannot be compiled."""
    global _validator, _fits
    if _validator is None:
        from jsonschema.validators import validator_for

        schema = RemoteAction.action_response_format_spec()
        cls = validator_for(schema)
        cls.check_schema(schema)
        try:
            _fits = compile_schema(schema)
        except Unsupported as why:  # _fits stays None
            logger.info("action answers are checked by jsonschema alone: %s", why)
        _validator = cls(schema)
    return _validator, _fits


def _validate_action_result(self, result: dict[str, Any]) -> bool:
    from jsonschema import ValidationError

    validator, fits = _checkers()
    if fits is not None and fits(result):
        return True
    try:  # a misfit, or no compiled check: jsonschema decides and words the error
        validator.validate(result)
        return True
    except ValidationError as e:  # the same message Rasa adds
        e.message += (
            ". Failed to validate Action server response from API, make sure your "
            "response from the Action endpoint is valid."
        )
        raise e


def domain_for_action_server(domain) -> dict[str, Any]:
    """`domain.as_dict()` without the responses the action server does not read; made once
    per loaded domain (a model reload brings a new object)."""
    sent = domain.__dict__.get(_SENT_DOMAIN)
    if sent is None:
        whole = domain.as_dict()
        responses = whole.get("responses") or {}
        kept = {name: responses[name] for name in RESPONSES_READ_BY_ACTIONS if name in responses}
        sent = domain.__dict__[_SENT_DOMAIN] = {**whole, "responses": kept}
    return sent


def _action_call_format(self: RemoteAction, tracker, domain) -> dict[str, Any]:
    """Rasa's request body, with `domain_for_action_server` as its domain."""
    result = {
        "next_action": self._name,
        "sender_id": tracker.sender_id,
        "tracker": tracker.current_state(EventVerbosity.ALL),
        "version": rasa.__version__,
    }
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(
        self.name()
    ):
        result["domain"] = domain_for_action_server(domain)
    return result


def install() -> None:
    """Idempotent."""
    EndpointConfig.session = _shared_session
    RemoteAction._validate_action_result = _validate_action_result
    RemoteAction._action_call_format = _action_call_format


def uninstall() -> None:
    EndpointConfig.session = _original_session
    RemoteAction._validate_action_result = _original_validate
    RemoteAction._action_call_format = _original_call_format
