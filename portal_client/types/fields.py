"""Parsers for the portal's JSON fields (ISO dates, amounts, optional texts) and `from_json`,
which builds a return type from a JSON object by field name."""

from __future__ import annotations

import dataclasses
import functools
import types
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import (
    Any,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

Number = int | float


def parse_date(value: Any) -> date | None:
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


def parse_datetime(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    text = str(value).strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text)


def as_number(value: Any) -> Number | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("a boolean is not an amount")
    if isinstance(value, (int, float)):
        return value
    as_float = float(value)
    return int(as_float) if as_float.is_integer() else as_float


def as_int(value: Any) -> int | None:
    number = as_number(value)
    return None if number is None else int(number)


def required_int(value: Any) -> int:
    number = as_int(value)
    if number is None:
        raise TypeError("expected a JSON number")
    return number


def as_text(value: Any) -> str | None:
    return None if value is None else str(value)


def as_strings(values: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in (values or ()))


def as_list(values: Any) -> list:
    if values is None:
        return []
    if not isinstance(values, list):
        raise TypeError("expected a JSON list")
    return values


# --- dataclasses from the portal's JSON, by field name ----------------------------------------
def strict_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("expected a JSON boolean")
    return value


def json_field(*keys: str, parse: Callable[[Any], Any] | None = None, **field_args: Any) -> Any:
    """A dataclass field read from another JSON key (the first of `keys` present) and/or with
    its own parser (`parse(value)`, value None when no key is present)."""
    return dataclasses.field(metadata={"json_keys": keys, "json_parse": parse}, **field_args)


def _parser_for(tp: Any) -> tuple[Callable[[Any], Any], bool]:
    """(parser, required) for a field type: required fields raise KeyError when absent."""
    if tp is str:
        return str, True
    if tp is bool:
        return strict_bool, True
    if tp is int:
        return required_int, True
    origin, args = get_origin(tp), get_args(tp)
    # `Optional[X]` and `X | None` (PEP 604, what the linter writes) are both optional fields
    if origin in (Union, types.UnionType) and type(None) in args:
        inner = {a for a in args if a is not type(None)}
        for wanted, parser in (
            ({str}, as_text),
            ({int}, as_int),
            ({int, float}, as_number),
            ({date}, parse_date),
            ({datetime}, parse_datetime),
            ({bool}, lambda v: None if v is None else strict_bool(v)),
        ):
            if inner == wanted:
                return parser, False
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item: Any = args[0]
        if item is str:
            return as_strings, False
        if dataclasses.is_dataclass(item):
            element: Any = item
            return (lambda values: tuple(element.from_json(v) for v in as_list(values))), False
    if dataclasses.is_dataclass(tp):
        nested: Any = tp
        return (lambda value: nested.from_json(value or {})), False
    raise TypeError(f"no JSON parser for {tp!r}")


@functools.cache
def _readers(cls: type) -> tuple[tuple[str, tuple[str, ...], Callable[[Any], Any], bool], ...]:
    hints = get_type_hints(cls)
    readers = []
    for f in dataclasses.fields(cls):
        keys = f.metadata.get("json_keys") or (f.name,)
        parse = f.metadata.get("json_parse")
        required = False
        if parse is None:
            parse, required = _parser_for(hints[f.name])
        readers.append((f.name, keys, parse, required))
    return tuple(readers)


T = TypeVar("T")


def from_json(cls: type[T], data: Mapping[str, Any], **given: Any) -> T:
    """An instance of the dataclass `cls` from the portal's JSON object, every field by its
    NAME (reordering fields cannot swap values): required `str` / `bool` fields must be
    present; `Optional[...]`, tuples and nested dataclasses are parsed by type (fields.py
    parsers); `json_field` gives another key or parser; `given` sets fields outright."""
    values: dict[str, Any] = {}
    for name, keys, parse, required in _readers(cls):  # type: ignore[arg-type]
        if name in given:
            values[name] = given[name]
            continue
        present = next((k for k in keys if k in data), None)
        if present is None and required:
            raise KeyError(keys[0])
        values[name] = parse(data[present] if present is not None else None)
    return cls(**values)


class FromJson:
    """Mixin of the portal client's return types: `Type.from_json(data)` (see `from_json`)."""

    @classmethod
    def from_json(cls: type[T], data: Mapping[str, Any], **given: Any) -> T:
        return from_json(cls, data, **given)
