"""The rasa server's side of calls to the action server, made lighter (docs/performance.md).

Rasa 3.6, on every remote action call:
- opens a new aiohttp session, so a new TCP connection, and closes it after the answer
  (`EndpointConfig.request` -> `async with self.session()`); here each endpoint keeps one
  session (one connection pool) per event loop, reused by every call;
- checks the answer with `jsonschema.validate(answer, schema)`, which first checks the schema
  itself against the JSON-Schema meta-schema and builds a new validator: most of the CPU the
  call costs the rasa process. Here one validator is built once and checks every answer
  against the same schema, with the same error (a `ValidationError`) when it does not fit.

Nothing else changes: same URL, headers, timeouts, body, errors. Installed by `install()`
(channels/document_nlg.py, loaded by every rasa process through endpoints.yml).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

_original_session = EndpointConfig.session
_original_validate = RemoteAction._validate_action_result
_SHARED = "_sathi_shared_session"
_validator = None


class _Borrowed:
    """`async with` over a shared session that does not close it on exit."""

    def __init__(self, session) -> None:
        self.session = session

    async def __aenter__(self):
        return self.session

    async def __aexit__(self, *_exc) -> bool:
        return False


def _shared_session(self: EndpointConfig):
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # not inside a loop: the caller gets a session of its own
        return _original_session(self)
    held = self.__dict__.get(_SHARED)
    if held is None or held[0] is not loop or held[1].closed:
        held = (loop, _original_session(self))
        self.__dict__[_SHARED] = held
    return _Borrowed(held[1])


def _validate_action_result(self, result: dict[str, Any]) -> bool:
    global _validator
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for

    if _validator is None:
        schema = RemoteAction.action_response_format_spec()
        cls = validator_for(schema)
        cls.check_schema(schema)
        _validator = cls(schema)
    try:
        _validator.validate(result)
        return True
    except ValidationError as e:  # the same message Rasa adds
        e.message += (
            ". Failed to validate Action server response from API, make sure your "
            "response from the Action endpoint is valid."
        )
        raise e


def install() -> None:
    """Idempotent."""
    EndpointConfig.session = _shared_session
    RemoteAction._validate_action_result = _validate_action_result


def uninstall() -> None:
    EndpointConfig.session = _original_session
    RemoteAction._validate_action_result = _original_validate
