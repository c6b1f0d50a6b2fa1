"""Numbers written for readers, in the active language: "25,5 %" in French, "25.5 %" in
English. Never for what a machine reads back (an <input>'s value, a data attribute, an SVG
coordinate, a file): those keep the point."""

from __future__ import annotations

from decimal import Decimal, localcontext

from django.utils.formats import number_format


def number_text(value: float | Decimal | int, *, places: int = 2, fixed: bool = False) -> str:
    """``value`` rounded to ``places`` decimals with the language's decimal separator; the
    trailing zeros dropped ("4,5", "12") unless ``fixed`` ("4,50")."""
    exact = Decimal(str(value))
    if not exact.is_finite():
        return str(value)
    with localcontext() as context:
        context.prec = max(28, exact.adjusted() + places + 2)
        rounded = round(exact, places)
        if not fixed:
            places = max(0, -int(rounded.normalize().as_tuple().exponent))
    return str(number_format(rounded, decimal_pos=places))


def percent_text(percent: float | Decimal | int, *, places: int = 1) -> str:
    """A share already on 0–100 as readers write it: "33,3 %", "50 %"."""
    return f"{number_text(percent, places=places)} %"
