"""`Domain.is_empty()` computed once per loaded domain (docs/performance.md, round 4).

Rasa 3.6 checks every parsed message against the domain (`MessageProcessor.
_check_for_unseen_features`), and starts with `domain.is_empty()`, which builds the whole
domain as a dictionary (167 kB of JSON, most of it the responses) and an empty domain to
compare it with: 0.3 ms of CPU per message, for an answer that cannot change while the model
is loaded (a reload brings a new Domain object). Installed by `install()`
(channels/document_nlg.py, loaded by every rasa process at run time, not by training).
"""

from __future__ import annotations

from rasa.shared.core.domain import Domain

_original = Domain.is_empty
_MEMO = "_sathi_is_empty"


def _is_empty(self: Domain) -> bool:
    known = self.__dict__.get(_MEMO)
    if known is None:
        known = self.__dict__[_MEMO] = _original(self)
    return known


def installed() -> bool:
    return Domain.is_empty is _is_empty


def install() -> None:
    """Idempotent."""
    Domain.is_empty = _is_empty


def uninstall() -> None:
    Domain.is_empty = _original
