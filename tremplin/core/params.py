"""Numbers from a request, parsed one checked way.

``"²".isdigit()`` is true and ``int("²")`` fails; ``int()`` accepts Arabic-Indic digits and
refuses more than 4,300 of them; ``Decimal("1e30")`` and ``float("nan")`` are numbers no field
holds. Every number a view reads from a query string or a form outside a Django form goes
through here: ASCII digits only, a bounded length, a range, and ``None`` (or the default)
for anything else, never an exception. A parameter a page cannot do without raises
``BadRequest`` (400). Forms bound their own fields (``min_value``, ``max_value``,
``max_digits``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, overload

from django.core.exceptions import BadRequest

# A primary key or a count: at most 18 digits always fits a 64-bit integer column.
MAX_INTEGER_DIGITS = 18
_INTEGER = re.compile(rf"[+-]?[0-9]{{1,{MAX_INTEGER_DIGITS}}}", re.ASCII)
# A decimal as staff type it: digits, one point or comma, no exponent.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,30}(?:[.,][0-9]{0,30})?|[.,][0-9]{1,30})", re.ASCII)


class _MultiValued(Protocol):
    def get(self, key: str, default: Any = ...) -> Any: ...
    def getlist(self, key: str) -> list[Any]: ...


def int_parse(
    text: object, *, min_value: int | None = None, max_value: int | None = None
) -> int | None:
    """The whole number ``text`` writes in ASCII digits (an optional sign, spaces around), within
    ``min_value`` and ``max_value``; None for anything else (empty, ``²``, ``٣``, ``1e3``, 19
    digits or more, out of range, not a string)."""
    if not isinstance(text, str) or not _INTEGER.fullmatch(text := text.strip()):
        return None
    number = int(text)
    if (min_value is not None and number < min_value) or (
        max_value is not None and number > max_value
    ):
        return None
    return number


def id_parse(text: object) -> int | None:
    """A primary key (1 or more) from ``text``; None when it is not one."""
    return int_parse(text, min_value=1)


@overload
def int_param(
    data: Mapping[str, Any],
    name: str,
    *,
    default: int,
    min_value: int | None = None,
    max_value: int | None = None,
) -> int: ...


@overload
def int_param(
    data: Mapping[str, Any],
    name: str,
    *,
    default: None = None,
    min_value: int | None = None,
    max_value: int | None = None,
) -> int | None: ...


def int_param(
    data: Mapping[str, Any],
    name: str,
    *,
    default: int | None = None,
    min_value: int | None = None,
    max_value: int | None = None,
) -> int | None:
    """``data[name]`` (a query string or a form) as a checked whole number; ``default`` when it
    is missing or not one."""
    found = int_parse(data.get(name), min_value=min_value, max_value=max_value)
    return default if found is None else found


def id_param(data: Mapping[str, Any], name: str) -> int | None:
    """``data[name]`` as a primary key, or None."""
    return id_parse(data.get(name))


def id_list_param(data: _MultiValued, name: str) -> list[int]:
    """Every value of ``name`` that is a primary key, in order, each once; the rest ignored."""
    found = (id_parse(value) for value in data.getlist(name))
    return list(dict.fromkeys(number for number in found if number is not None))


def id_param_required(data: Mapping[str, Any], name: str) -> int:
    """``data[name]`` as a primary key; a 400 answer when it is missing or not one."""
    found = id_param(data, name)
    if found is None:
        raise BadRequest(f"{name} must be a record number.")
    return found


def decimal_parse(
    text: object,
    *,
    min_value: Decimal | int | None = None,
    max_value: Decimal | int | None = None,
    decimal_places: int | None = None,
) -> Decimal | None:
    """The decimal ``text`` writes (ASCII digits, a point or a comma, no exponent), within
    ``min_value`` and ``max_value`` and with at most ``decimal_places`` decimals; None for
    anything else (``1e30``, ``NaN``, ``inf``, ``-0`` stays 0)."""
    if not isinstance(text, str) or not _DECIMAL.fullmatch(text := text.strip()):
        return None
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern only lets decimals through
        return None
    if decimal_places is not None and -number.as_tuple().exponent > decimal_places:  # type: ignore[operator]
        return None
    if (min_value is not None and number < min_value) or (
        max_value is not None and number > max_value
    ):
        return None
    return number + 0  # -0 → 0
