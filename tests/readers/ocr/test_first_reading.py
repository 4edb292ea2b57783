"""A cell's first reading: what the engine's text becomes before the arithmetic sees it (``build.py``)."""

from __future__ import annotations

import numpy as np
import pytest

from govdisclose.readers.ocr import build
from govdisclose.readers.ocr.engine import Reading


def test_digits_followed_by_a_point_are_the_digits_left_to_the_arithmetic():
    # a fax's 0 with a speck after it reads '0.' (淮安 2024 without rulings, fax): not a number as
    # printed, so the digits are kept with confidence 0 (only the equations can confirm them)
    got = build._as_value(Reading("0.", 0.53, ("9.",)))
    assert got == Reading("0", 0.0, ("0.", "9."))
    assert build._as_value(Reading("[1", 0.6, ("11",))) == Reading("11", 0.0, ("[1",))
    assert build._as_value(Reading("12", 0.99, ())) == Reading("12", 0.99, ())
    assert build._as_value(Reading("自然人", 0.99, ())) == Reading("自然人", 0.99, ())
    assert build._as_value(Reading(".", 0.5, ())).text == "."  # no digit: no value made up


class _Blank:
    """An engine that reads every crop as nothing (the re-reading with room of a faint '0.')."""

    def recognise(self, crops: list[np.ndarray]) -> list[Reading]:
        return [Reading("", 0.0) for _ in crops]


def test_a_rereading_of_nothing_never_blanks_a_line_of_ink(monkeypatch: pytest.MonkeyPatch):
    # before: the re-reading '' (a value text: blank) replaced '0.', the slot read blank with
    # confidence 0 and the rows around it could not be proved (33 cells flagged, a row lost)
    monkeypatch.setattr(build, "engine", lambda: _Blank())
    page = np.full((40, 60, 3), 255, np.uint8)
    first = Reading("0.", 0.53, ("9.",))
    assert build._roomier([first], [(page, (20, 10, 37, 26))]) == [first]
