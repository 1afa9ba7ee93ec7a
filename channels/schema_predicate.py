"""A JSON Schema compiled once into a Python predicate: does this value fit the schema?

Rasa checks every answer of the action server against its event schema with `jsonschema`,
which walks the schema anew for every answer: 3-8 ms of CPU per answer on these machines, a
tenth of the rasa process under load (docs/performance.md, round 10). The schema is a constant,
so here it becomes nested closures once, and an answer costs microseconds.

Only the keywords that schema uses are understood: `type`, `properties`, `required`, `items`,
`oneOf`, `const`, `patternProperties`. `compile_schema` refuses a schema with any other keyword
(`Unsupported`), and the caller keeps `jsonschema`. The meaning is `jsonschema`'s for Draft
2020-12, the draft it picks for a schema without `$schema` (jsonschema/_validators.py,
_types.py): a keyword applies only to the type it is about (`properties` to objects, `items` to
arrays), `integer` takes 1.0, a boolean is not a number, `const` tells `True` from 1, `oneOf`
wants exactly one match, a pattern matches anywhere in a key (`re.search`).
tests/dialogue/test_schema_predicate.py compares the two on real answers and on thousands of
altered ones.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from typing import Any

Predicate = Callable[[Any], bool]


class Unsupported(ValueError):
    """The schema uses a keyword this module does not implement."""


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, numbers.Number)


TYPES: dict[str, Predicate] = {
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "integer": _is_integer,
    "null": lambda v: v is None,
    "number": _is_number,
    "object": lambda v: isinstance(v, dict),
    "string": lambda v: isinstance(v, str),
}


def _equal(one: Any, two: Any) -> bool:
    """jsonschema's `equal` for the constants a schema holds (strings, numbers, None, bool)."""
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, (list, tuple, dict)) or isinstance(two, (list, tuple, dict)):
        raise Unsupported("a structured const")
    if isinstance(one, bool) or isinstance(two, bool):
        return type(one) is type(two) and one == two
    return one == two


def _type_check(names: Any) -> Predicate:
    names = [names] if isinstance(names, str) else list(names)
    try:
        checks = [TYPES[name] for name in names]
    except KeyError as unknown:
        raise Unsupported(f"type {unknown}") from None
    if len(checks) == 1:
        return checks[0]
    return lambda v: any(check(v) for check in checks)


def _const(expected: Any) -> Predicate:
    _equal(expected, expected)  # refuses a structured constant now, not at the first answer
    if isinstance(expected, str):
        return lambda v: isinstance(v, str) and v == expected
    return lambda v: _equal(v, expected)


def _properties(subschemas: dict) -> Predicate:
    checks = [(name, compile_schema(sub)) for name, sub in subschemas.items()]

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return True
        for name, fits in checks:
            if name in v and not fits(v[name]):
                return False
        return True

    return check


def _pattern_properties(subschemas: dict) -> Predicate:
    checks = [(re.compile(pattern), compile_schema(sub)) for pattern, sub in subschemas.items()]

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return True
        return all(
            fits(value)
            for pattern, fits in checks
            for key, value in v.items()
            if pattern.search(key)
        )

    return check


def _required(names: list) -> Predicate:
    names = list(names)
    return lambda v: not isinstance(v, dict) or all(name in v for name in names)


def _items(subschema: Any) -> Predicate:
    if isinstance(subschema, bool):  # `items: false`: no item allowed; `true`: any
        if subschema:
            return lambda v: True
        return lambda v: not isinstance(v, list) or not v
    if not isinstance(subschema, dict):
        raise Unsupported("items as a list (a draft before 2020-12)")
    each = compile_schema(subschema)
    return lambda v: not isinstance(v, list) or all(each(item) for item in v)


def _discriminator(subschemas: list) -> str | None:
    """The key whose `const` string tells the alternatives apart, if they all have one."""
    keys = None
    for sub in subschemas:
        props = sub.get("properties") if isinstance(sub, dict) else None
        if not isinstance(props, dict):
            return None
        named = {
            k for k, p in props.items() if isinstance(p, dict) and isinstance(p.get("const"), str)
        }
        keys = named if keys is None else keys & named
    for key in sorted(keys or ()):
        values = [sub["properties"][key]["const"] for sub in subschemas]
        if len(set(values)) == len(values):
            return key
    return None


def _one_of(subschemas: list) -> Predicate:
    checks = [compile_schema(sub) for sub in subschemas]

    def every(v: Any) -> bool:
        matched = 0
        for each in checks:
            if each(v):
                matched += 1
                if matched > 1:
                    return False
        return matched == 1

    key = _discriminator(subschemas)
    if key is None:
        return every
    # A discriminated union: where the value is an object holding the key, an alternative whose
    # constant differs fails on it, so at most one alternative is left to check.
    by_constant = {sub["properties"][key]["const"]: check for sub, check in zip(subschemas, checks)}

    def discriminated(v: Any) -> bool:
        if not isinstance(v, dict) or key not in v:
            return every(v)
        only = by_constant.get(v[key]) if isinstance(v[key], str) else None
        return only is not None and only(v)

    return discriminated


# the keywords understood, in the order they are checked: cheap ones first (`type` and
# `const` reject most wrong values at once)
_BUILDERS: dict[str, Callable[[Any], Predicate]] = {
    "type": _type_check,
    "const": _const,
    "required": _required,
    "properties": _properties,
    "patternProperties": _pattern_properties,
    "items": _items,
    "oneOf": _one_of,
}
KEYWORDS = frozenset(_BUILDERS)


def compile_schema(schema: Any) -> Predicate:
    """A predicate equal to `jsonschema`'s `is_valid` for this schema (Draft 2020-12)."""
    if schema is True:
        return lambda v: True
    if schema is False:
        return lambda v: False
    if not isinstance(schema, dict):
        raise Unsupported(f"a schema of type {type(schema).__name__}")
    unknown = set(schema) - KEYWORDS
    if unknown:
        raise Unsupported(", ".join(sorted(unknown)))
    checks = [build(schema[keyword]) for keyword, build in _BUILDERS.items() if keyword in schema]
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]

    def every(v: Any) -> bool:
        for check in checks:
            if not check(v):
                return False
        return True

    return every
