"""A page's painted paths (rulings, boxes, curves) as :class:`Shape`, from PDFium's page objects.

The page's objects are walked once, form XObjects included: every path becomes its subpaths
(a ``line``, an axis-aligned ``rect`` or any other ``curve``, with stroke and fill colours),
images are counted, and a text object PDFium could not place (a font not embedded whose
characters no font on the machine draws) gets a placeholder glyph reading ``\\ufffd``.

A path that does not show on white paper (white or transparent: Word paints every paragraph and
cell on a white box) matters only where it can close a ruled table: its points are read only
when it lies near the paths that show; the others are left out.
"""

from __future__ import annotations

import ctypes
import math
from pathlib import Path
from typing import Any, NamedTuple

import pypdfium2.raw as raw

from govdisclose.exceptions import DocumentTooLargeError
from govdisclose.readers.pdf.glyphs import Glyph
from govdisclose.readers.pdf.native import UNMAPPED, Pointer, Transform, native

__all__ = ["Shape", "RGBA", "MAX_PATHS_PER_PAGE", "page_shapes", "is_white"]

#: Painted paths on one page at most (a report page has under a hundred).
MAX_PATHS_PER_PAGE = 50_000

_FORM_DEPTH = 12

RGBA = tuple[int, int, int, int]

_INT = ctypes.c_int

class Shape(NamedTuple):
    """One painted subpath, in points from the page's top left: its box, its points, how it is painted.

    ``kind`` is ``line`` (two points), ``rect`` (a closed axis-aligned four-sided path) or
    ``curve`` (anything else; Bézier control points are among its points).
    """

    kind: str
    x0: float
    top: float
    x1: float
    bottom: float
    pts: tuple[tuple[float, float], ...]
    stroke: bool
    fill: bool
    stroke_color: RGBA | None  # None when PDFium cannot say (a pattern)
    fill_color: RGBA | None
    line_width: float


_FLOAT, _UINT = ctypes.c_float, ctypes.c_uint
_COUNT_OBJECTS = native(raw.FPDFPage_CountObjects, _INT)
_GET_OBJECT = native(raw.FPDFPage_GetObject, ctypes.c_void_p)  # an int (None for none), made a Pointer to pass back
_FORM_COUNT = native(raw.FPDFFormObj_CountObjects, _INT)
_FORM_OBJECT = native(raw.FPDFFormObj_GetObject, ctypes.c_void_p)  # its index is an unsigned long: pass a c_ulong
_OBJECT_TYPE = native(raw.FPDFPageObj_GetType, _INT)
_BOUNDS = native(raw.FPDFPageObj_GetBounds, _INT)
_OBJECT_MATRIX = native(raw.FPDFPageObj_GetMatrix, _INT)
_DRAW_MODE = native(raw.FPDFPath_GetDrawMode, _INT)
_STROKE_WIDTH = native(raw.FPDFPageObj_GetStrokeWidth, _INT)
_STROKE_COLOR = native(raw.FPDFPageObj_GetStrokeColor, _INT)
_FILL_COLOR = native(raw.FPDFPageObj_GetFillColor, _INT)
_COUNT_SEGMENTS = native(raw.FPDFPath_CountSegments, _INT)
_SEGMENT = native(raw.FPDFPath_GetPathSegment, Pointer)
_SEGMENT_POINT = native(raw.FPDFPathSegment_GetPoint, _INT)
_SEGMENT_TYPE = native(raw.FPDFPathSegment_GetType, _INT)
_SEGMENT_CLOSE = native(raw.FPDFPathSegment_GetClose, _INT)


class _Scratch:
    """The out-parameters of the path calls, allocated once per page."""

    def __init__(self) -> None:
        self.values = [_UINT() for _ in range(4)]
        self.rgba = [ctypes.byref(v) for v in self.values]
        self.floats = [_FLOAT() for _ in range(4)]
        self.float_refs = [ctypes.byref(v) for v in self.floats]
        self.modes = (_INT(), _INT())
        self.mode_refs = tuple(ctypes.byref(v) for v in self.modes)
        self.matrix = raw.FS_MATRIX()
        self.matrix_ref = ctypes.byref(self.matrix)

    def color(self, getter: Any, obj: Any) -> RGBA | None:
        if not getter(obj, *self.rgba):
            return None
        r, g, b, a = self.values
        return (r.value, g.value, b.value, a.value)


def _compose(m: Any, outer: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix ``m`` (an FS_MATRIX) followed by ``outer`` (a, b, c, d, e, f)."""
    a, b, c, d, e, f = outer
    return (m.a * a + m.b * c, m.a * b + m.b * d, m.c * a + m.d * c, m.c * b + m.d * d, m.e * a + m.f * c + e, m.e * b + m.f * d + f)


def _font_missing(obj: Any) -> bool:
    """A text object PDFium gave no width may hold characters its font cannot draw: only a font
    that is not embedded lacks glyphs (an empty or blank text object in an embedded font is just that)."""
    font = raw.FPDFTextObj_GetFont(ctypes.cast(obj, raw.FPDF_PAGEOBJECT))
    return bool(font) and raw.FPDFFont_GetIsEmbedded(font) == 0


def _lost_glyph(obj: Any, outer: tuple[float, ...], t: Transform, x: float, y: float) -> Glyph:
    """A placeholder for a text object PDFium gave no width (its font has no glyph to draw)."""
    size = ctypes.c_float()
    em = float(size.value) if raw.FPDFTextObj_GetFontSize(ctypes.cast(obj, raw.FPDF_PAGEOBJECT), size) else 10.0
    a, b, c, d, e, f = outer
    x, y = a * x + c * y + e, b * x + d * y + f
    px, py = t.point(x, y)
    em = max(em * math.sqrt(abs(a * d - b * c)), 1.0)
    return Glyph(UNMAPPED, px, py - em, px + em, py, em, True)


def page_shapes(path: Path, page: Any, t: Transform, number: int, placed: set[int]) -> tuple[list[Shape], int, list[Glyph]]:
    """Every painted subpath of ``page`` (PDFium's page handle; form XObjects included), the
    number of images, and a placeholder glyph for each text object that PDFium could not place
    (of the text objects none of whose characters are in ``placed``, PDFium's text page)."""
    shapes: list[Shape] = []
    lost: list[Glyph] = []
    scratch = _Scratch()
    left, low, right, high = scratch.floats
    images = 0
    seen = 0
    matrix, matrix_ref = scratch.matrix, scratch.matrix_ref
    unseen: list[tuple[Any, tuple[float, ...], _Paint, tuple[float, float, float, float]]] = []  # paths that do not show
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    text_kind, image_kind, form_kind, path_kind = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_PATH
    todo: list[tuple[Any, bool, tuple[float, ...], int]] = [(ctypes.cast(page, Pointer), True, identity, 0)]
    while todo:
        parent, is_page, outer, depth = todo.pop()
        n = _COUNT_OBJECTS(parent) if is_page else _FORM_COUNT(parent)
        for k in range(max(n, 0)):
            value = _GET_OBJECT(parent, k) if is_page else _FORM_OBJECT(parent, ctypes.c_ulong(k))
            if not value or value in placed:  # nothing, or a text object whose characters PDFium placed
                continue
            obj = Pointer(value)
            kind = _OBJECT_TYPE(obj)
            if kind == text_kind:
                if _BOUNDS(obj, *scratch.float_refs) and right.value - left.value < 1e-3 and _font_missing(obj):
                    lost.append(_lost_glyph(obj, outer, t, left.value, low.value))
            elif kind == image_kind:
                images += 1
            elif kind == form_kind and depth < _FORM_DEPTH:
                if _OBJECT_MATRIX(obj, matrix_ref):
                    todo.append((obj, False, _compose(matrix, outer), depth + 1))
            elif kind == path_kind:
                seen += 1
                if seen > MAX_PATHS_PER_PAGE:
                    raise DocumentTooLargeError(path, f"page {number} draws over {MAX_PATHS_PER_PAGE:,} paths")
                if _OBJECT_MATRIX(obj, matrix_ref):
                    m = _compose(matrix, outer)
                    paint = _paint(obj, scratch)
                    if paint is None:
                        continue
                    if not paint.shows and is_page and _BOUNDS(obj, *scratch.float_refs):
                        unseen.append((obj, m, paint, t.box(left.value, low.value, right.value, high.value)))
                    else:
                        shapes.extend(_path_shapes(obj, m, t, scratch, paint))
    shapes += _unseen_near_shown(unseen, shapes, t, scratch)
    return shapes, images, lost


def _unseen_near_shown(unseen: list[tuple[Any, tuple[float, ...], _Paint, tuple[float, float, float, float]]],
                       shapes: list[Shape], t: Transform, scratch: _Scratch) -> list[Shape]:
    """The subpaths of paths that do not show on white paper (Word's white paragraph and cell
    boxes) lying within :data:`_NEAR` points of the box around the shown ones: only there can
    they close a ruled table (:func:`~.rulings.cell_boxes`); the others are not worked out."""
    shown = [s for s in shapes if s.kind != "curve" or s.stroke]
    if not unseen or not shown:
        return []
    x0, top = min(s.x0 for s in shown) - _NEAR, min(s.top for s in shown) - _NEAR
    x1, bottom = max(s.x1 for s in shown) + _NEAR, max(s.bottom for s in shown) + _NEAR
    out: list[Shape] = []
    for obj, m, paint, (bx0, btop, bx1, bbottom) in unseen:
        if bx0 <= x1 and x0 <= bx1 and btop <= bottom and top <= bbottom:
            out.extend(_path_shapes(obj, m, t, scratch, paint))
    return out


class _Paint(NamedTuple):
    """How a path is painted, and whether that shows on white paper (as :func:`~.rulings.visible` tells)."""

    stroked: bool
    filled: bool
    stroke_color: RGBA | None
    fill_color: RGBA | None
    line_width: float

    @property
    def shows(self) -> bool:
        return (self.stroked and not is_white(self.stroke_color)) or (self.filled and not is_white(self.fill_color))


def is_white(color: RGBA | None) -> bool:
    """White or fully transparent (a colour PDFium cannot name, a pattern, is taken to show)."""
    return color is not None and (color[3] == 0 or min(color[:3]) >= 242)


#: Points around the shown rulings within which a path that does not show is still worked out.
_NEAR = 6.0


def _paint(obj: Any, scratch: _Scratch) -> _Paint | None:
    """How path ``obj`` is painted; None when it is neither stroked nor filled."""
    fill_mode, stroke = scratch.modes
    if not _DRAW_MODE(obj, *scratch.mode_refs):
        return None
    filled, stroked = fill_mode.value != 0, bool(stroke.value)
    if not (filled or stroked):
        return None
    width = scratch.floats[0]
    line_width = float(width.value) if _STROKE_WIDTH(obj, scratch.float_refs[0]) else 0.0
    return _Paint(stroked, filled, scratch.color(_STROKE_COLOR, obj), scratch.color(_FILL_COLOR, obj), line_width)


def _path_shapes(obj: Any, m: tuple[float, ...], t: Transform, scratch: _Scratch, paint: _Paint) -> list[Shape]:
    stroked, filled, stroke_color, fill_color, line_width = paint
    a, b, c, d, e, f = m
    ta, tb, tc, td, te, tf = t.a, t.b, t.c, t.d, t.e, t.f
    points: list[list[tuple[float, float]]] = []  # per subpath its points,
    closes: list[bool] = []  # whether it is closed
    curves: list[bool] = []  # and whether it has curves
    x, y = scratch.floats[1], scratch.floats[2]
    x_ref, y_ref = scratch.float_refs[1], scratch.float_refs[2]
    moveto, bezierto = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_BEZIERTO
    segment, segment_point, segment_type, segment_close = _SEGMENT, _SEGMENT_POINT, _SEGMENT_TYPE, _SEGMENT_CLOSE
    current: list[tuple[float, float]] = []
    for k in range(max(_COUNT_SEGMENTS(obj), 0)):
        seg = segment(obj, k)
        if not seg.value or not segment_point(seg, x_ref, y_ref):
            continue
        kind = segment_type(seg)
        px, py = x.value, y.value
        ux, uy = a * px + c * py + e, b * px + d * py + f
        point = (ta * ux + tc * uy + te, tb * ux + td * uy + tf)
        if kind == moveto or not points:
            current = [point]
            points.append(current)
            closes.append(False)
            curves.append(False)
        else:
            current.append(point)
            if kind == bezierto:
                curves[-1] = True
        if segment_close(seg):
            closes[-1] = True
    subpaths = zip(points, closes, curves)
    out: list[Shape] = []
    new = tuple.__new__
    for pts, closed, curved in subpaths:
        if closed and pts[-1] != pts[0]:
            pts.append(pts[0])
        if len(pts) < 2:
            continue
        kind = "curve"
        if not curved and (len(pts) == 2 or (len(pts) == 3 and pts[2] == pts[0])):
            pts = pts[:2]
            kind = "line"
        elif not curved and len(pts) == 5 and pts[4] == pts[0] and _square(pts):
            kind = "rect"
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        out.append(new(Shape, (kind, min(xs), min(ys), max(xs), max(ys), tuple(pts), stroked, filled, stroke_color, fill_color, line_width)))
    return out


def _square(pts: list[tuple[float, float]]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[:4]
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)


