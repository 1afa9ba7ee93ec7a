"""The contract of a slot mixin (actions/identity.py, actions/staff_slots.py): it is only ever
mixed into a `SathiFormValidation` (actions/forms.py), whose helpers it calls on `self`.

The attributes are annotations only — nothing exists at run time, so the mixin never shadows
the real methods in the method resolution order; a type checker sees what the mixin relies on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.types import DomainDict


class FormMixin:
    """Base of the slot mixins: declares what they use of SathiFormValidation."""

    name: Callable[[], str]
    domain_slots: Callable[[DomainDict], list[str]]
    raw_value_for: Callable[[str, Tracker], dict[str, Any]]
    accept: Callable[..., dict[str, Any]]
    reject: Callable[..., dict[str, Any]]
