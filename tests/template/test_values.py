"""One printed cell → state and value; blank, 0 and '/' stay different."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govdisclose.template.values import is_value_text, parse_value


@pytest.mark.parametrize(
    "text,unit,state,value",
    [
        ("18", "件", "number", Decimal(18)),
        ("0", "件", "number", Decimal(0)),
        ("", "件", "blank", None),
        ("\u00a0", "件", "blank", None),
        ("   ", "件", "blank", None),
        ("/", "件", "na", None),
        ("／", "件", "na", None),
        ("-", "件", "na", None),
        ("—", "件", "na", None),
        ("——", "件", "na", None),
        ("无", "件", "na", None),
        ("１２３", "件", "number", Decimal(123)),
        ("3,985,758", "件", "number", Decimal(3985758)),
        ("+1036", "项", "number", Decimal(1036)),
        ("-5", "项", "number", Decimal(-5)),
        ("5270.6597万元", "万元", "number", Decimal("5270.6597")),
        ("7730.28", "万元", "number", Decimal("7730.28")),
        ("251000元", "万元", "number", Decimal("25.1")),
        ("75394432.52元", "元", "number", Decimal("75394432.52")),
        ("7539.443252万元", "元", "number", Decimal("75394432.52")),
        ("12件", "件", "number", Decimal(12)),
        ("769- 5 -", "件", "unreadable", None),
        ("1 2", "件", "unreadable", None),
        ("约20", "件", "unreadable", None),
        ("5万元", "件", "unreadable", None),
    ],
)
def test_parse_value(text, unit, state, value):
    parsed = parse_value(text, unit)
    assert parsed.state == state
    assert parsed.value == value
    if state == "unreadable":
        assert parsed.note  # the reason is kept


def test_conversion_is_exact_and_noted():
    parsed = parse_value("251000元", "万元")
    assert str(parsed.value) == "25.1" and "converted" in parsed.note


@pytest.mark.parametrize("text,expected", [("18", True), ("", True), ("/", True), ("自然人", False), ("1.属于国家秘密", False), ("1.", False)])
def test_is_value_text(text, expected):
    assert is_value_text(text) is expected
