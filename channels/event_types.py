"""Rasa event type names -> event classes in O(1), instead of Rasa's walk of the class tree.

Rasa 3.6 `Event.resolve_by_type` calls `rasa.shared.utils.common.all_subclasses(Event)` for
every event it deserialises: it walks every Event subclass and calls `inspect.isabstract` on
each, for every event of every tracker load (22% of the rasa process's CPU in the production
profile, docs/performance.md). `resolve_by_type` here answers from a dictionary built by that
same walk, in that same order (the first class with a type name wins, as in Rasa's loop), so
it returns the same class for every name. The dictionary is rebuilt when a new Event subclass
is defined (`__init_subclass__`) and on a miss, so classes registered later still resolve.

`install()` (idempotent; called when channels/tracker_store.py is imported) makes
`Event.resolve_by_type` this function for every caller (`Event.from_parameters`,
`deserialise_events`, `Event.from_story_string`...). `uninstall()` restores Rasa's.
"""

from __future__ import annotations

from typing import Any

import rasa.shared.utils.common
from rasa.shared.core.events import Event

_rasa_resolve_by_type = Event.__dict__["resolve_by_type"]  # the staticmethod object
_classes: dict[str, type[Event]] = {}


def event_classes() -> dict[str, type[Event]]:
    """{type name: class}, as Rasa's `resolve_by_type` loop would pick (first one wins)."""
    if not _classes:
        found: dict[str, type[Event]] = {}
        for cls in rasa.shared.utils.common.all_subclasses(Event):
            found.setdefault(cls.type_name, cls)
        _classes.update(found)
    return _classes


def forget() -> None:
    """Rebuild the dictionary on next use (a new Event subclass was defined)."""
    _classes.clear()


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Same contract as Rasa's `Event.resolve_by_type`."""
    cls = _classes.get(type_name) or event_classes().get(type_name)
    if cls is None:  # a miss: maybe a class defined since the last build
        forget()
        cls = event_classes().get(type_name)
    if cls is not None:
        return cls
    if type_name == "topic":
        return None  # as Rasa: backwards compatibility with the old TopicSet events
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


def _on_new_subclass(cls: Any, **kwargs: Any) -> None:
    forget()
    super(Event, cls).__init_subclass__(**kwargs)


def installed() -> bool:
    return Event.__dict__["resolve_by_type"].__func__ is resolve_by_type


def install() -> None:
    """Idempotent."""
    if not installed():
        Event.resolve_by_type = staticmethod(resolve_by_type)
        Event.__init_subclass__ = classmethod(_on_new_subclass)
        forget()


def uninstall() -> None:
    Event.resolve_by_type = _rasa_resolve_by_type
    if "__init_subclass__" in Event.__dict__:
        del Event.__init_subclass__
    forget()


__all__ = ["event_classes", "forget", "install", "installed", "resolve_by_type", "uninstall"]
