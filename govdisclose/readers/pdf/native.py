"""PDFium's functions called the fast way, and the page's coordinate transform.

pypdfium2's bindings convert every argument through its declared ctypes type; for functions
called once per character or path segment that costs more than PDFium's own work. :func:`native`
gives the same library function without the per-argument conversion.

>>> import pypdfium2.raw as raw
>>> count = native(raw.FPDF_GetPageCount, ctypes.c_int)
>>> count.argtypes is None, count.restype is ctypes.c_int
(True, True)
>>> Transform((0.0, 0.0, 200.0, 100.0), 0).point(10.0, 70.0)
(10.0, 30.0)
"""

from __future__ import annotations

import ctypes
from typing import Any

__all__ = ["Pointer", "native", "Transform", "UNMAPPED"]

#: The text of a character whose font gives no Unicode value.
UNMAPPED = "\ufffd"


class Pointer(ctypes.c_void_p):
    """A PDFium handle returned by a :func:`native` function (passed back as is)."""


def native(function: Any, restype: Any) -> Any:
    """``function`` of the PDFium library called without per-argument conversion.

    pypdfium2's bindings convert every argument through its declared type, which costs more
    than PDFium's work for a call made once per character; the same function called with ready
    ctypes values (handles as :class:`Pointer`, plain ``int`` indices, ``byref`` structures)
    costs less than half. Only for arguments that are ints, handles or ``byref`` pointers.
    """
    fast = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    fast.restype = restype
    return fast


class Transform:
    """User space -> the displayed page, y down: ``X = a x + c y + e``, ``Y = b x + d y + f``."""

    __slots__ = ("a", "b", "c", "d", "e", "f")

    def __init__(self, box: tuple[float, float, float, float], rotation: int) -> None:
        left, bottom, right, top = box
        self.a, self.b, self.c, self.d, self.e, self.f = {
            0: (1.0, 0.0, 0.0, -1.0, -left, top),
            90: (0.0, 1.0, 1.0, 0.0, -bottom, -left),
            180: (-1.0, 0.0, 0.0, 1.0, right, -bottom),
            270: (0.0, -1.0, -1.0, 0.0, top, right),
        }[rotation]

    def point(self, x: float, y: float) -> tuple[float, float]:
        return self.a * x + self.c * y + self.e, self.b * x + self.d * y + self.f

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        x0, y0 = self.point(left, bottom)
        x1, y1 = self.point(right, top)
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
