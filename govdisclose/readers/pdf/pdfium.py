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
            glyphs, unmapped = _glyphs(page, transform, max_chars)
            shapes, images, lost = _shapes(self.path, page, transform, index + 1)
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


def _glyphs(page: Any, t: _Transform, max_chars: int) -> tuple[list[Glyph], int]:
    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        count = raw.FPDFText_CountChars(tp)
        if count > 2 * max_chars:  # generated spaces and breaks are a fraction of the real ones
            raise TooManyCharacters(count)
        text = _page_text(tp, count) if count else ""
        out: list[Glyph] = []
        unmapped = 0
        rect, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
        rect_p, matrix_p = ctypes.pointer(rect), ctypes.pointer(matrix)
        ox, oy = ctypes.c_double(), ctypes.c_double()
        get_unicode, is_generated, loose_box = raw.FPDFText_GetUnicode, raw.FPDFText_IsGenerated, raw.FPDFText_GetLooseCharBox
        font_size, get_matrix, map_error = raw.FPDFText_GetFontSize, raw.FPDFText_GetMatrix, raw.FPDFText_HasUnicodeMapError
        ta, tb, tc, td, te, tf = t.a, t.b, t.c, t.d, t.e, t.f
        for i in range(count):
            ch = text[i] if text is not None else None
            if ch is None:
                code = get_unicode(tp, i)
                ch = chr(code) if 0 < code < 0x110000 else "\0"
            if ch in " \r\n\t\x00\u3000\xa0" and is_generated(tp, i) == 1:  # PDFium's inferred spaces and breaks
                continue
            if map_error(tp, i) == 1 or ch == "\0":
                ch = UNMAPPED
                unmapped += 1
            elif ch in "\ufffe\uffff":
                continue
            if not loose_box(tp, i, rect_p) or not get_matrix(tp, i, matrix_p):
                continue
            left, low, right, high = rect.left, rect.bottom, rect.right, rect.top
            em = font_size(tp, i)
            ma, mb, mc, md = matrix.a, matrix.b, matrix.c, matrix.d
            scale = math.sqrt(abs(ma * md - mb * mc))
            if high - low > 3 * em * scale and scale < 0.3 and raw.FPDFText_GetCharOrigin(tp, i, ox, oy):
                # PDFium left the text matrix out of this box (seen on characters stacked one per
                # line): scale it about the character's origin
                x, y = ox.value, oy.value
                left, low, right, high = x + (left - x) * scale, y + (low - y) * scale, x + (right - x) * scale, y + (high - y) * scale
            xa, ya = ta * left + tc * low + te, tb * left + td * low + tf
            xb, yb = ta * right + tc * high + te, tb * right + td * high + tf
            x0, x1 = (xa, xb) if xa <= xb else (xb, xa)
            top, bottom = (ya, yb) if ya <= yb else (yb, ya)
            # upright on the displayed page: pdfminer's test on the display's y-up axes
            a, b = ma * ta + mb * tc, -(ma * tb + mb * td)
            c, d = mc * ta + md * tc, -(mc * tb + md * td)
            if a * d > 0 and b * c <= 0:  # pdfminer's box: from the descent up one type size
                size = em * math.hypot(mc, md)
                out.append(Glyph(ch, x0, bottom - size, x1, bottom, size, True))
            else:
                out.append(Glyph(ch, x0, top, x1, bottom, bottom - top, False))
            if len(out) > max_chars:
                raise TooManyCharacters(len(out))
        return out, unmapped
    finally:
        textpage.close()


def _color(getter: Any, obj: Any) -> RGBA | None:
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not getter(obj, r, g, b, a):
        return None
    return (r.value, g.value, b.value, a.value)


def _compose(m: Any, outer: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix ``m`` (an FS_MATRIX) followed by ``outer`` (a, b, c, d, e, f)."""
    a, b, c, d, e, f = outer
    return (m.a * a + m.b * c, m.a * b + m.b * d, m.c * a + m.d * c, m.c * b + m.d * d, m.e * a + m.f * c + e, m.e * b + m.f * d + f)


def _font_missing(obj: Any) -> bool:
    """A text object PDFium gave no width may hold characters its font cannot draw: only a font
    that is not embedded lacks glyphs (an empty or blank text object in an embedded font is just that)."""
    font = raw.FPDFTextObj_GetFont(obj)
    return bool(font) and raw.FPDFFont_GetIsEmbedded(font) == 0


def _lost_glyph(obj: Any, outer: tuple[float, ...], t: _Transform, x: float, y: float) -> Glyph:
    """A placeholder for a text object PDFium gave no width (its font has no glyph to draw)."""
    size = ctypes.c_float()
    em = float(size.value) if raw.FPDFTextObj_GetFontSize(obj, size) else 10.0
    a, b, c, d, e, f = outer
    x, y = a * x + c * y + e, b * x + d * y + f
    px, py = t.point(x, y)
    em = max(em * math.sqrt(abs(a * d - b * c)), 1.0)
    return Glyph(UNMAPPED, px, py - em, px + em, py, em, True)


def _shapes(path: Path, page: Any, t: _Transform, number: int) -> tuple[list[Shape], int, list[Glyph]]:
    """Every painted subpath of the page (form XObjects included), the number of images, and a
    placeholder glyph for each text object that PDFium could not place."""
    shapes: list[Shape] = []
    lost: list[Glyph] = []
    left, low, right, high = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    images = 0
    seen = 0
    matrix = raw.FS_MATRIX()
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    todo: list[tuple[Any, bool, tuple[float, ...], int]] = [(page.raw, True, identity, 0)]
    while todo:
        parent, is_page, outer, depth = todo.pop()
        n = raw.FPDFPage_CountObjects(parent) if is_page else raw.FPDFFormObj_CountObjects(parent)
        for k in range(max(n, 0)):
            obj = raw.FPDFPage_GetObject(parent, k) if is_page else raw.FPDFFormObj_GetObject(parent, k)
            if not obj:
                continue
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_TEXT:
                if raw.FPDFPageObj_GetBounds(obj, left, low, right, high) and right.value - left.value < 1e-3 and _font_missing(obj):
                    lost.append(_lost_glyph(obj, outer, t, left.value, low.value))
            elif kind == raw.FPDF_PAGEOBJ_IMAGE:
                images += 1
            elif kind == raw.FPDF_PAGEOBJ_FORM and depth < _FORM_DEPTH:
                if raw.FPDFPageObj_GetMatrix(obj, matrix):
                    todo.append((obj, False, _compose(matrix, outer), depth + 1))
            elif kind == raw.FPDF_PAGEOBJ_PATH:
                seen += 1
                if seen > MAX_PATHS_PER_PAGE:
                    raise DocumentTooLargeError(path, f"page {number} draws over {MAX_PATHS_PER_PAGE:,} paths")
                if raw.FPDFPageObj_GetMatrix(obj, matrix):
                    shapes.extend(_path_shapes(obj, _compose(matrix, outer), t))
    return shapes, images, lost


def _path_shapes(obj: Any, m: tuple[float, ...], t: _Transform) -> list[Shape]:
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
        return []
    filled, stroked = fill_mode.value != 0, bool(stroke.value)
    if not (filled or stroked):
        return []
    width = ctypes.c_float()
    line_width = float(width.value) if raw.FPDFPageObj_GetStrokeWidth(obj, width) else 0.0
    stroke_color = _color(raw.FPDFPageObj_GetStrokeColor, obj)
    fill_color = _color(raw.FPDFPageObj_GetFillColor, obj)
    a, b, c, d, e, f = m
    subpaths: list[tuple[list[tuple[float, float]], bool, bool]] = []  # points, closed, has curves
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(max(raw.FPDFPath_CountSegments(obj), 0)):
        seg = raw.FPDFPath_GetPathSegment(obj, k)
        if not seg or not raw.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        kind = raw.FPDFPathSegment_GetType(seg)
        px, py = t.point(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if kind == raw.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append(([(px, py)], False, False))
        else:
            pts, closed, curved = subpaths[-1]
            pts.append((px, py))
            subpaths[-1] = (pts, closed, curved or kind == raw.FPDF_SEGMENT_BEZIERTO)
        if raw.FPDFPathSegment_GetClose(seg):
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
