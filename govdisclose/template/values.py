"""Reading one printed cell: number, blank, placeholder or unreadable — never a guess.

>>> parse_value("5270.6597万元", unit="万元")
CellValue(state='number', value=Decimal('5270.6597'), note='')
>>> parse_value("251000元", unit="万元").value
Decimal('25.1')
>>> parse_value("", unit="件").state, parse_value("/", unit="件").state, parse_value("—", unit="件").state
('blank', 'na', 'na')
>>> parse_value("+1036", unit="项").value
Decimal('1036')
>>> parse_value("12- 5 -", unit="件").state
'unreadable'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from govdisclose.template.normalize import fold_width, to_simplified

__all__ = ["CellValue", "parse_value", "is_value_text", "STATES"]

#: The four states of a cell (spec §3).
STATES: tuple[str, ...] = ("number", "blank", "na", "unreadable")

# Placeholders for "not applicable / nothing": compared after width folding and space removal.
_PLACEHOLDERS = frozenset({"/", "//", "\\", "-", "--", "—", "——", "―", "―――", "─", "无", "/-", "N/A", "NA", "×"})
_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?P<unit>亿元|万元|元|件|项|個|个|条|次|宗)?$"
)
_BLANKISH = re.compile(r"^[\s\u200b\ufeff]*$")
#: Money units in 元.
_YUAN = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}


@dataclass(frozen=True, slots=True)
class CellValue:
    """A cell's state, its value (``None`` unless ``state == 'number'``) and why, if unreadable."""

    state: str
    value: Decimal | None = None
    note: str = ""


def _compact(text: str) -> str:
    """Drop white space except between two digits (``1 2`` may be two numbers: not a number)."""
    return re.sub(r"(?<=\D)\s+|\s+(?=\D)", "", to_simplified(fold_width(text)).strip())


@lru_cache(maxsize=8192)
def is_value_text(text: str) -> bool:
    """True for cell text that is a value slot: a number, a placeholder or blank.

    >>> is_value_text("18"), is_value_text(" "), is_value_text("—"), is_value_text("自然人")
    (True, True, True, False)
    """
    compact = _compact(text)
    return not compact or compact in _PLACEHOLDERS or bool(_NUMBER.match(compact))


@lru_cache(maxsize=16384)
def parse_value(text: str, unit: str | None = None, header_unit: str | None = None) -> CellValue:
    """Parse one cell as printed; money is converted to ``unit`` (元 / 万元) exactly.

    A unit printed in the cell wins; else a money unit printed in the column's header
    (``本年收费金额（单位：元）``) says what the bare number counts (spec §4a).

    >>> parse_value("52706597", unit="万元", header_unit="元")
    CellValue(state='number', value=Decimal('5270.6597'), note="converted from 元 (the header's unit) to 万元")
    >>> parse_value("0.5", unit="万元", header_unit="亿元").value, parse_value("25.1", unit="元", header_unit="万元").value
    (Decimal('5000'), Decimal('251000'))
    """
    if _BLANKISH.match(text):
        return CellValue("blank")
    compact = _compact(text)
    if not compact:
        return CellValue("blank")
    if compact in _PLACEHOLDERS:
        return CellValue("na")
    match = _NUMBER.match(compact)
    if not match:
        return CellValue("unreadable", note=f"not a number: {text.strip()!r}")
    try:
        number = Decimal(match["int"].replace(",", "") + (match["frac"] or ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        return CellValue("unreadable", note=f"not a number: {text.strip()!r}")
    if match["sign"] == "-":
        number = -number
    printed_unit, source = match["unit"], ""
    if printed_unit is None and header_unit in _YUAN and unit in _YUAN:
        printed_unit, source = header_unit, " (the header's unit)"
    if printed_unit in _YUAN and unit in _YUAN:
        if printed_unit == unit:
            return CellValue("number", number)
        number = (number * _YUAN[printed_unit] / _YUAN[unit]).normalize()
        if number == number.to_integral():
            number = number.quantize(Decimal(1))
        return CellValue("number", number, f"converted from {printed_unit}{source} to {unit}")
    if printed_unit in _YUAN:
        return CellValue("unreadable", note=f"money {text.strip()!r} in a {unit} cell")
    return CellValue("number", number)
