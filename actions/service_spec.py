"""What the declarative service shapes share (actions/record_documents.py for citizens'
record documents, actions/staff_documents.py for staff documents): portal calls given as
plain functions, and action classes built from a spec with the names hand-written ones
would have."""

from __future__ import annotations

from collections.abc import Callable
from types import MethodType
from typing import Any

from actions.base import portal

# A portal call: a function taking the client first, e.g. `PortalClient.trade_noc`
# (client, *record ids, mobile=...) -> the portal's answer.
PortalCall = Callable[..., Any]


def bound(call: PortalCall) -> Callable[..., Any]:
    """`call` bound to the process-wide client. It keeps its name, which deferred delivery
    stores to fetch again later (actions/deferred.py)."""
    return MethodType(call, portal())


def camel(name: str) -> str:
    """`trade_noc_no` -> `TradeNocNo` (class names)."""
    return "".join(part.capitalize() for part in name.split("_"))


def action_class(
    class_name: str, bases: tuple, module: str, action_name: str, **namespace: Any
) -> Any:
    """A concrete action class named `class_name` whose `name()` is `action_name`, defined
    in `module` (the service module: rasa_sdk and the tests find it there)."""

    def name(self: Any) -> str:
        return action_name

    return type(bases[-1])(class_name, bases, {"__module__": module, "name": name, **namespace})
