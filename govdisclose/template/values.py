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

__all__ = ["CellValue", "parse_value", "is_value_text", "STATES", "STRUCK_CELL"]

#: The four states of a cell (spec §3).
STATES: tuple[str, ...] = ("number", "blank", "na", "unreadable")

# Placeholders for "not applicable / nothing": compared after width folding and space removal.
_PLACEHOLDERS = frozenset({"/", "//", "\\", "-", "--", "—", "——", "―", "―――", "─", "无", "/-", "N/A", "NA", "×"})
_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?P<unit>亿元|万元|元|件|项|個|个|条|次|宗)?$"
)
_BLANKISH = re.compile(r"^[\s\u200b\ufeff]*$")
#: A number with a footnote mark the readers kept apart: ``71^1`` (superscript), ``71_1`` (subscript).
_MARKED = re.compile(r"^(?P<number>[+-]?[\d.,]+(?:亿元|万元|元|件|项|個|个|条|次|宗)?)(?P<mark>[_^]\S{1,3})$")
#: What the readers print for a cell whose whole content is struck through (spec §4a).
STRUCK_CELL = "[struck-through]"
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

    A number with a footnote mark (``71^1``, ``71_1``) and a cell struck through whole are value
    slots too (unreadable ones: :func:`parse_value`), so one marked cell does not cost its row:

    >>> is_value_text("71^1"), is_value_text("18651.06_1"), is_value_text("[struck-through]"), is_value_text("第^1")
    (True, True, True, False)
    """
    compact = _compact(text)
    if not compact or compact in _PLACEHOLDERS or _NUMBER.match(compact):
        return True
    return compact == STRUCK_CELL or _marked(compact) is not None


def _marked(compact: str) -> str | None:
    """The mark of a number printed with a footnote mark (``71^1`` → ``^1``), else None."""
    match = _MARKED.match(compact)
    return match["mark"] if match and _NUMBER.match(match["number"]) else None


@lru_cache(maxsize=16384)
def parse_value(text: str, unit: str | None = None, header_unit: str | None = None) -> CellValue:
    """Parse one cell as printed; money is converted to ``unit`` (元 / 万元) exactly.

    A unit printed in the cell wins; else a money unit printed in the column's header
    (``本年收费金额（单位：元）``) says what the bare number counts (spec §4a).

    >>> parse_value("52706597", unit="万元", header_unit="元")
    CellValue(state='number', value=Decimal('5270.6597'), note="converted from 元 (the header's unit) to 万元")
    >>> parse_value("0.5", unit="万元", header_unit="亿元").value, parse_value("25.1", unit="元", header_unit="万元").value
    (Decimal('5000'), Decimal('251000'))
    >>> parse_value("71^1").state, parse_value("71^1").note
    ('unreadable', "a footnote mark after the number ('71^1': the mark '1' is a superscript): the value is not read past it")
    >>> parse_value("[struck-through]").state
    'unreadable'
    """
    if _BLANKISH.match(text):
        return CellValue("blank")
    compact = _compact(text)
    if not compact:
        return CellValue("blank")
    if compact in _PLACEHOLDERS:
        return CellValue("na")
    if compact == STRUCK_CELL:
        return CellValue("unreadable", note="the cell's whole content is struck through: no value is printed for it")
    mark = _marked(compact)
    if mark is not None:
        return CellValue("unreadable", note=f"a footnote mark after the number ({text.strip()!r}: the mark {mark[1:]!r} is "
                                            f"{'a superscript' if mark[0] == '^' else 'a subscript'}): the value is not read past it")
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
