"""The PDF backend on PDFium (``pypdfium2``): per page its characters, its painted paths, its size.

Everything the reader needs from a PDF comes from here, in points from the top left corner of the
page as displayed (the page's ``/Rotate`` applied):

* :meth:`PdfFile.page` gives a :class:`PageContent`: the characters as
  :class:`~govdisclose.readers.pdf.glyphs.Glyph` in content order (characters PDFium *generates*,
  the spaces and line breaks it infers, are left out; a character without a Unicode value reads
  ``\\ufffd`` and is counted, never guessed; so does a text object PDFium cannot place, a font
  not embedded whose character no font on the machine draws), every painted path split into subpaths as a
  :class:`Shape` (a ``line``, an axis-aligned ``rect`` or any other ``curve``, with its stroke
  and fill colours), and how many images the page draws;
* :meth:`PdfFile.render` rasterises a page (for OCR).

A character's box is placed the way the type sets it: from the left of its advance to the right,
from its baseline's descent up one type size (``size`` is that height in points), so boxes on
one line share their top and bottom whatever the glyph's shape.

>>> import pathlib
>>> pdf = PdfFile(pathlib.Path("mini.pdf"), _MINI)
>>> page = pdf.page(0)
>>> "".join(g.text for g in page.glyphs), page.width, page.height, page.rotation
('Hi 7', 200.0, 100.0, 0)
>>> [(s.kind, round(s.x0), round(s.top), round(s.x1), round(s.bottom), s.stroke) for s in page.shapes]
[('line', 10, 50, 190, 50, True), ('rect', 10, 60, 60, 90, False)]
>>> pdf.render(0, 0.5).shape
(50, 100, 3)
>>> pdf.close()
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from govdisclose.exceptions import CorruptDocumentError, DocumentTooLargeError, EmptyDocumentError
from govdisclose.readers.pdf.glyphs import Glyph

__all__ = ["PdfFile", "PageContent", "Shape", "RGBA", "MAX_PATHS_PER_PAGE", "MAX_RENDER_PIXELS", "UNMAPPED"]

#: Painted paths on one page at most (a report page has under a hundred).
MAX_PATHS_PER_PAGE = 50_000

#: Pixels one rendered page may have at most (an A4 page at 300 dpi has 8.7 million).
MAX_RENDER_PIXELS = 40_000_000

#: The text of a character whose font gives no Unicode value.
UNMAPPED = "\ufffd"

_FORM_DEPTH = 12

RGBA = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Shape:
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


class PageContent(NamedTuple):
    """What one page holds: size as displayed, rotation, glyphs, painted subpaths, images."""

    number: int  # 1-based
    width: float
    height: float
    rotation: int
    glyphs: list[Glyph]
    unmapped: int  # glyphs whose font gives no Unicode value
    shapes: list[Shape]
    images: int
    lost: int = 0  # text objects PDFium could not place (a font without the glyph): read as UNMAPPED


class TooManyCharacters(Exception):
    """A page holds more characters than the reader takes."""


_LOAD_ERRORS = {
    raw.FPDF_ERR_FORMAT: "it is not a PDF or is damaged beyond repair",
    raw.FPDF_ERR_FILE: "it cannot be read",
    raw.FPDF_ERR_PAGE: "its page tree is damaged",
}


def _load(path: Path, data: bytes) -> Any:
    """The PDFium document for ``data``; our errors (naming ``path``) when it cannot be opened."""
    doc = raw.FPDF_LoadMemDocument64(data, len(data), None)
    if not doc:
        code = raw.FPDF_GetLastError()
        if code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
            raise CorruptDocumentError(path, "is encrypted (password protected); save an unprotected copy to read it")
        raise CorruptDocumentError(path, f"cannot be opened as a PDF: {_LOAD_ERRORS.get(code, 'the file looks damaged')} (PDFium error {code})")
    if raw.FPDF_GetPageCount(doc) < 1:
        raw.FPDF_CloseDocument(doc)
        raise EmptyDocumentError(path, "the PDF has no pages")
    return doc


class _Transform:
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


class PdfFile:
    """One open PDF. ``PdfFile(path, data)`` raises :class:`~govdisclose.exceptions.CorruptDocumentError`
    (naming ``path``) for an encrypted or unreadable file, :class:`~govdisclose.exceptions.EmptyDocumentError`
    for one without pages; :meth:`close` when done."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        self._data = data  # PDFium reads from this buffer while the document is open
        self._pdf = pdfium.PdfDocument(_load(path, data))

    def __len__(self) -> int:
        return len(self._pdf)

    def close(self) -> None:
        self._pdf.close()

    def __enter__(self) -> PdfFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def page(self, index: int, max_chars: int = 1_000_000) -> PageContent:
        """Page ``index`` (0-based). Raises :class:`TooManyCharacters` past ``max_chars`` glyphs and
        :class:`~govdisclose.exceptions.DocumentTooLargeError` past :data:`MAX_PATHS_PER_PAGE` paths."""
        page = self._pdf[index]
        try:
            rotation = page.get_rotation() % 360
            box = page.get_mediabox()
            transform = _Transform(box, rotation)
            width, height = box[2] - box[0], box[3] - box[1]
            if rotation in (90, 270):
                width, height = height, width
            placed: set[int] = set()
            glyphs, unmapped = _glyphs(page, transform, max_chars, placed)
            shapes, images, lost = _shapes(self.path, page, transform, index + 1, placed)
            return PageContent(index + 1, width, height, rotation, glyphs + lost, unmapped + len(lost), shapes, images, len(lost))
        finally:
            page.close()

    def render(self, index: int, scale: float = 1.0) -> Any:
        """Page ``index`` as an RGB ``numpy`` array (``scale`` pixels per point); refuses a bitmap
        over :data:`MAX_RENDER_PIXELS` with :class:`~govdisclose.exceptions.DocumentTooLargeError`."""
        page = self._pdf[index]
        try:
            w, h = page.get_size()
            pixels = w * scale * h * scale
            if not 0 < pixels <= MAX_RENDER_PIXELS:
                raise DocumentTooLargeError(self.path, f"page {index + 1} would render to {pixels:,.0f} pixels (over {MAX_RENDER_PIXELS:,})")
            bitmap = page.render(scale=scale, rev_byteorder=True)
            try:
                return bitmap.to_numpy()[:, :, :3].copy()
            finally:
                bitmap.close()
        finally:
            page.close()


def _page_text(textpage: Any, count: int) -> str | None:
    """The text page's characters in one call, one per index (None when they do not line up)."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(textpage, 0, count, buffer)
    text = bytes(buffer)[: max(written - 1, 0) * 2].decode("utf-16-le", errors="surrogatepass")
    if len(text) != count or any("\ud800" <= ch <= "\udfff" for ch in text):
        return None  # characters beyond U+FFFF take two units: ask per character instead
    return text


class _Pointer(ctypes.c_void_p):
    """A PDFium handle returned by a :func:`_native` function (passed back as is)."""


def _native(function: Any, restype: Any) -> Any:
    """``function`` of the PDFium library called without per-argument conversion.

    pypdfium2's bindings convert every argument through its declared type, which costs more
    than PDFium's work for a call made once per character; the same function called with ready
    ctypes values (handles as :class:`_Pointer`, plain ``int`` indices, ``byref`` structures)
    costs less than half. Only for arguments that are ints, handles or ``byref`` pointers.
    """
    fast = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    fast.restype = restype
    return fast


_INT, _DOUBLE = ctypes.c_int, ctypes.c_double
_TEXT_OBJECT = _native(raw.FPDFText_GetTextObject, _Pointer)
_LOOSE_BOX = _native(raw.FPDFText_GetLooseCharBox, _INT)
_MAP_ERROR = _native(raw.FPDFText_HasUnicodeMapError, _INT)
_IS_GENERATED = _native(raw.FPDFText_IsGenerated, _INT)
_CHAR_MATRIX = _native(raw.FPDFText_GetMatrix, _INT)
_FONT_SIZE = _native(raw.FPDFText_GetFontSize, _DOUBLE)


#: How the characters of one text object are placed: its type size, its matrix's area scale,
#: whether it is upright on the displayed page and its type size as drawn (PDFium gives the size
#: and the matrix, the form's included, per text object).
_Placing = tuple[float, float, bool, float]


def _placing(matrix: Any, em: float, t: _Transform) -> _Placing:
    ma, mb, mc, md = matrix.a, matrix.b, matrix.c, matrix.d
    # upright on the displayed page: pdfminer's test on the display's y-up axes
    a, b = ma * t.a + mb * t.c, -(ma * t.b + mb * t.d)
    c, d = mc * t.a + md * t.c, -(mc * t.b + md * t.d)
    return (em, math.sqrt(abs(ma * md - mb * mc)), a * d > 0 and b * c <= 0, em * math.hypot(mc, md))


def _glyphs(page: Any, t: _Transform, max_chars: int, placed: set[int]) -> tuple[list[Glyph], int]:
    """The page's characters and how many have no Unicode value; the text objects they come
    from are added to ``placed``."""
    textpage = page.get_textpage()
    try:
        count = raw.FPDFText_CountChars(textpage.raw)
        if count > 2 * max_chars:  # generated spaces and breaks are a fraction of the real ones
            raise TooManyCharacters(count)
        text = _page_text(textpage.raw, count) if count else ""
        tp = ctypes.cast(textpage.raw, _Pointer)
        out: list[Glyph] = []
        add = out.append
        unmapped = 0
        rect, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
        rect_p, matrix_p = ctypes.byref(rect), ctypes.byref(matrix)
        ox, oy = ctypes.c_double(), ctypes.c_double()
        by_object: dict[int | None, _Placing | None] = {}  # text object -> its placing
        by_matrix: dict[tuple[float, ...], _Placing] = {}  # (em, a, b, c, d) -> its placing
        ta, tb, tc, td, te, tf = t.a, t.b, t.c, t.d, t.e, t.f
        text_object, loose_box, map_error, is_generated = _TEXT_OBJECT, _LOOSE_BOX, _MAP_ERROR, _IS_GENERATED
        char_matrix, font_size = _CHAR_MATRIX, _FONT_SIZE
        blank, noncharacters = " \r\n\t\x00\u3000\xa0", "\ufffe\uffff"
        for i in range(count):
            if text is not None:
                ch = text[i]
            else:
                code = raw.FPDFText_GetUnicode(textpage.raw, i)
                ch = chr(code) if 0 < code < 0x110000 else "\0"
            if ch in blank and is_generated(tp, i) == 1:  # PDFium's inferred spaces and breaks
                continue
            obj = text_object(tp, i).value
            placed.add(obj)
            if map_error(tp, i) == 1 or ch == "\0":
                ch = UNMAPPED
                unmapped += 1
            elif ch in noncharacters:
                continue
            if not loose_box(tp, i, rect_p):
                continue
            placing: _Placing | None
            if obj is not None and obj in by_object:
                placing = by_object[obj]
            else:
                placing = None
                if char_matrix(tp, i, matrix_p):
                    em = font_size(tp, i)
                    key = (em, matrix.a, matrix.b, matrix.c, matrix.d)
                    placing = by_matrix.get(key)
                    if placing is None:
                        placing = by_matrix[key] = _placing(matrix, em, t)
                if obj is not None:
                    by_object[obj] = placing
            if placing is None:
                continue
            em, scale, upright, size = placing
            left, low, right, high = rect.left, rect.bottom, rect.right, rect.top
            if high - low > 3 * em * scale and scale < 0.3 and raw.FPDFText_GetCharOrigin(textpage.raw, i, ox, oy):
                # PDFium left the text matrix out of this box (seen on characters stacked one per
                # line): scale it about the character's origin
                x, y = ox.value, oy.value
                left, low, right, high = x + (left - x) * scale, y + (low - y) * scale, x + (right - x) * scale, y + (high - y) * scale
            xa, ya = ta * left + tc * low + te, tb * left + td * low + tf
            xb, yb = ta * right + tc * high + te, tb * right + td * high + tf
            x0, x1 = (xa, xb) if xa <= xb else (xb, xa)
            top, bottom = (ya, yb) if ya <= yb else (yb, ya)
            if upright:  # pdfminer's box: from the descent up one type size
                add(Glyph(ch, x0, bottom - size, x1, bottom, size, True))
            else:
                add(Glyph(ch, x0, top, x1, bottom, bottom - top, False))
            if len(out) > max_chars:
                raise TooManyCharacters(len(out))
        return out, unmapped
    finally:
        textpage.close()


_FLOAT, _UINT = ctypes.c_float, ctypes.c_uint
_COUNT_OBJECTS = _native(raw.FPDFPage_CountObjects, _INT)
_GET_OBJECT = _native(raw.FPDFPage_GetObject, _Pointer)
_FORM_COUNT = _native(raw.FPDFFormObj_CountObjects, _INT)
_FORM_OBJECT = _native(raw.FPDFFormObj_GetObject, _Pointer)  # its index is an unsigned long: pass a c_ulong
_OBJECT_TYPE = _native(raw.FPDFPageObj_GetType, _INT)
_BOUNDS = _native(raw.FPDFPageObj_GetBounds, _INT)
_OBJECT_MATRIX = _native(raw.FPDFPageObj_GetMatrix, _INT)
_DRAW_MODE = _native(raw.FPDFPath_GetDrawMode, _INT)
_STROKE_WIDTH = _native(raw.FPDFPageObj_GetStrokeWidth, _INT)
_STROKE_COLOR = _native(raw.FPDFPageObj_GetStrokeColor, _INT)
_FILL_COLOR = _native(raw.FPDFPageObj_GetFillColor, _INT)
_COUNT_SEGMENTS = _native(raw.FPDFPath_CountSegments, _INT)
_SEGMENT = _native(raw.FPDFPath_GetPathSegment, _Pointer)
_SEGMENT_POINT = _native(raw.FPDFPathSegment_GetPoint, _INT)
_SEGMENT_TYPE = _native(raw.FPDFPathSegment_GetType, _INT)
_SEGMENT_CLOSE = _native(raw.FPDFPathSegment_GetClose, _INT)


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


def _lost_glyph(obj: Any, outer: tuple[float, ...], t: _Transform, x: float, y: float) -> Glyph:
    """A placeholder for a text object PDFium gave no width (its font has no glyph to draw)."""
    size = ctypes.c_float()
    em = float(size.value) if raw.FPDFTextObj_GetFontSize(ctypes.cast(obj, raw.FPDF_PAGEOBJECT), size) else 10.0
    a, b, c, d, e, f = outer
    x, y = a * x + c * y + e, b * x + d * y + f
    px, py = t.point(x, y)
    em = max(em * math.sqrt(abs(a * d - b * c)), 1.0)
    return Glyph(UNMAPPED, px, py - em, px + em, py, em, True)


def _shapes(path: Path, page: Any, t: _Transform, number: int, placed: set[int]) -> tuple[list[Shape], int, list[Glyph]]:
    """Every painted subpath of the page (form XObjects included), the number of images, and a
    placeholder glyph for each text object that PDFium could not place (of the text objects
    none of whose characters are in ``placed``, PDFium's text page)."""
    shapes: list[Shape] = []
    lost: list[Glyph] = []
    scratch = _Scratch()
    left, low, right, high = scratch.floats
    images = 0
    seen = 0
    matrix, matrix_ref = scratch.matrix, scratch.matrix_ref
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    text_kind, image_kind, form_kind, path_kind = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_PATH
    todo: list[tuple[Any, bool, tuple[float, ...], int]] = [(ctypes.cast(page.raw, _Pointer), True, identity, 0)]
    while todo:
        parent, is_page, outer, depth = todo.pop()
        n = _COUNT_OBJECTS(parent) if is_page else _FORM_COUNT(parent)
        for k in range(max(n, 0)):
            obj = _GET_OBJECT(parent, k) if is_page else _FORM_OBJECT(parent, ctypes.c_ulong(k))
            if not obj.value:
                continue
            kind = _OBJECT_TYPE(obj)
            if kind == text_kind:
                if obj.value not in placed and _BOUNDS(obj, *scratch.float_refs) and right.value - left.value < 1e-3 and _font_missing(obj):
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
                    shapes.extend(_path_shapes(obj, _compose(matrix, outer), t, scratch))
    return shapes, images, lost


def _path_shapes(obj: Any, m: tuple[float, ...], t: _Transform, scratch: _Scratch) -> list[Shape]:
    fill_mode, stroke = scratch.modes
    if not _DRAW_MODE(obj, *scratch.mode_refs):
        return []
    filled, stroked = fill_mode.value != 0, bool(stroke.value)
    if not (filled or stroked):
        return []
    width = scratch.floats[0]
    line_width = float(width.value) if _STROKE_WIDTH(obj, scratch.float_refs[0]) else 0.0
    stroke_color = scratch.color(_STROKE_COLOR, obj)
    fill_color = scratch.color(_FILL_COLOR, obj)
    a, b, c, d, e, f = m
    ta, tb, tc, td, te, tf = t.a, t.b, t.c, t.d, t.e, t.f
    subpaths: list[tuple[list[tuple[float, float]], bool, bool]] = []  # points, closed, has curves
    x, y = scratch.floats[1], scratch.floats[2]
    x_ref, y_ref = scratch.float_refs[1], scratch.float_refs[2]
    moveto, bezierto = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_BEZIERTO
    for k in range(max(_COUNT_SEGMENTS(obj), 0)):
        seg = _SEGMENT(obj, k)
        if not seg.value or not _SEGMENT_POINT(seg, x_ref, y_ref):
            continue
        kind = _SEGMENT_TYPE(seg)
        ux, uy = a * x.value + c * y.value + e, b * x.value + d * y.value + f
        px, py = ta * ux + tc * uy + te, tb * ux + td * uy + tf
        if kind == moveto or not subpaths:
            subpaths.append(([(px, py)], False, False))
        else:
            pts, closed, curved = subpaths[-1]
            pts.append((px, py))
            subpaths[-1] = (pts, closed, curved or kind == bezierto)
        if _SEGMENT_CLOSE(seg):
            pts, _, curved = subpaths[-1]
            subpaths[-1] = (pts, True, curved)
    out = []
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
        out.append(Shape(kind, min(xs), min(ys), max(xs), max(ys), tuple(pts), stroked, filled, stroke_color, fill_color, line_width))
    return out


def _square(pts: list[tuple[float, float]]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[:4]
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)


# a one-page PDF for the examples: "Hi 7", a stroked line and a filled box
_MINI = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 80>>stream\nBT /F1 12 Tf 10 70 Td (Hi 7) Tj ET\n10 50 m 190 50 l S\n10 10 50 30 re f\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
