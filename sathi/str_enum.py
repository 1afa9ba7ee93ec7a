"""`StrEnum` for Python 3.10 (enum.StrEnum arrives with 3.11): members are strings, so they
compare equal to, hash like and store as their values ("sent" == OutboxState.SENT), and
`str()` / `%s` / f-strings give the value, not "OutboxState.SENT"."""

from __future__ import annotations

from enum import Enum


class StrEnum(str, Enum):
    def __str__(self) -> str:
        return str(self.value)
