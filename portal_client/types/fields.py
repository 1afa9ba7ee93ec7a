"""Parsers for the portal's JSON fields: ISO dates, amounts, optional texts."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional, Tuple

Number = int | float


def parse_date(value: Any) -> Optional[date]:
    """`2026-11-28` or an ISO datetime -> date; None/"" -> None; anything else -> ValueError."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if len(text) == 10:
        return date.fromisoformat(text)
    return parse_datetime(text).date()  # type: ignore[union-attr]


def parse_datetime(value: Any) -> Optional[datetime]:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    text = str(value).strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text)


def as_number(value: Any) -> Optional[Number]:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("a boolean is not an amount")
    if isinstance(value, (int, float)):
        return value
    as_float = float(value)
    return int(as_float) if as_float.is_integer() else as_float


def as_int(value: Any) -> Optional[int]:
    number = as_number(value)
    return None if number is None else int(number)


def as_text(value: Any) -> Optional[str]:
    return None if value is None else str(value)


def as_strings(values: Any) -> Tuple[str, ...]:
    return tuple(str(v) for v in (values or ()))


def as_list(values: Any) -> list:
    if values is None:
        return []
    if not isinstance(values, list):
        raise TypeError("expected a JSON list")
    return values
