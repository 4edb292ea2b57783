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

The painted paths are walked in :mod:`.paths`; the calls made per character or path segment go
through :func:`~.native.native` (PDFium without pypdfium2's per-argument conversion).

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
import re
import struct
from pathlib import Path
from typing import Any, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from govdisclose.exceptions import CorruptDocumentError, DocumentTooLargeError, EmptyDocumentError
from govdisclose.readers.pdf.glyphs import Glyph
from govdisclose.readers.pdf.native import UNMAPPED, Pointer, Transform, native
from govdisclose.readers.pdf.paths import MAX_PATHS_PER_PAGE, RGBA, Shape, page_shapes

__all__ = ["PdfFile", "PageContent", "Shape", "RGBA", "MAX_PATHS_PER_PAGE", "MAX_RENDER_PIXELS", "UNMAPPED"]

#: Pixels one rendered page may have at most (an A4 page at 300 dpi has 8.7 million).
MAX_RENDER_PIXELS = 40_000_000

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
        # PDFium's own calls, not pypdfium2's page objects: their bookkeeping (finalizers, the
        # document's list of pages) costs more than a page of glyphs, and the page is closed here
        page = raw.FPDF_LoadPage(self._pdf.raw, index)
        if not page:
            raise pdfium.PdfiumError("Failed to load page.")
        try:
            turns = raw.FPDFPage_GetRotation(page)
            if turns not in (0, 1, 2, 3):
                raise pdfium.PdfiumError("Failed to get page rotation.")
            rotation = 90 * turns
            box = _media_box(page)
            transform = Transform(box, rotation)
            width, height = box[2] - box[0], box[3] - box[1]
            if rotation in (90, 270):
                width, height = height, width
            placed: set[int] = set()
            glyphs, unmapped = _glyphs(page, transform, max_chars, placed)
            shapes, images, lost = page_shapes(self.path, page, transform, index + 1, placed)
            return PageContent(index + 1, width, height, rotation, glyphs + lost, unmapped + len(lost), shapes, images, len(lost))
        finally:
            raw.FPDF_ClosePage(page)

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


_SURROGATE = re.compile("[\ud800-\udfff]")


def _media_box(page: Any) -> tuple[float, float, float, float]:
    """The page's MediaBox (left, bottom, right, top); US Letter when it has none (as pypdfium2 gives it)."""
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not raw.FPDFPage_GetMediaBox(page, left, bottom, right, top):
        return (0, 0, 612, 792)
    return (left.value, bottom.value, right.value, top.value)


def _page_text(textpage: Any, count: int) -> str | None:
    """The text page's characters in one call, one per index (None when they do not line up)."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(textpage, 0, count, buffer)
    text = bytes(buffer)[: max(written - 1, 0) * 2].decode("utf-16-le", errors="surrogatepass")
    if len(text) != count or _SURROGATE.search(text):
        return None  # characters beyond U+FFFF take two units: ask per character instead
    return text


_INT, _DOUBLE = ctypes.c_int, ctypes.c_double
_FOUR_FLOATS = struct.Struct("4f")  # an FS_RECTF: left, top, right, bottom
_TEXT_OBJECT = native(raw.FPDFText_GetTextObject, ctypes.c_void_p)  # an int (None for no object)
_LOOSE_BOX = native(raw.FPDFText_GetLooseCharBox, _INT)
_MAP_ERROR = native(raw.FPDFText_HasUnicodeMapError, _INT)
_IS_GENERATED = native(raw.FPDFText_IsGenerated, _INT)
_CHAR_MATRIX = native(raw.FPDFText_GetMatrix, _INT)
_FONT_SIZE = native(raw.FPDFText_GetFontSize, _DOUBLE)


#: How the characters of one text object are placed: its type size, its matrix's area scale,
#: whether it is upright on the displayed page and its type size as drawn (PDFium gives the size
#: and the matrix, the form's included, per text object).
_Placing = tuple[float, float, bool, float]


def _char(code: int) -> str:
    """A character from its Unicode value (``\\0`` for none)."""
    return chr(code) if 0 < code < 0x110000 else "\0"


def _placing(matrix: Any, em: float, t: Transform) -> _Placing:
    ma, mb, mc, md = matrix.a, matrix.b, matrix.c, matrix.d
    # upright on the displayed page: pdfminer's test on the display's y-up axes
    a, b = ma * t.a + mb * t.c, -(ma * t.b + mb * t.d)
    c, d = mc * t.a + md * t.c, -(mc * t.b + md * t.d)
    return (em, math.sqrt(abs(ma * md - mb * mc)), a * d > 0 and b * c <= 0, em * math.hypot(mc, md))


def _glyphs(page: Any, t: Transform, max_chars: int, placed: set[int]) -> tuple[list[Glyph], int]:
    """The characters of ``page`` (PDFium's page handle) and how many have no Unicode value;
    the text objects they come from are added to ``placed``.

    One loop over the text page's characters with as few calls per character as PDFium allows
    (its box, its text object, whether its font maps it); what a text object shares (type size,
    matrix) is asked once per object.
    """
    textpage = raw.FPDFText_LoadPage(page)
    if not textpage:
        raise pdfium.PdfiumError("Failed to load text page.")
    try:
        count = raw.FPDFText_CountChars(textpage)
        if count > 2 * max_chars:  # generated spaces and breaks are a fraction of the real ones
            raise TooManyCharacters(count)
        text = _page_text(textpage, count) if count else ""
        chars: str | list[str] = text if text is not None else [_char(raw.FPDFText_GetUnicode(textpage, i)) for i in range(count)]
        tp = ctypes.cast(textpage, Pointer)
        out: list[Glyph] = []
        add = out.append
        unmapped = 0
        # the out-parameters read as raw bytes: one call gives the box, and a matrix's linear part
        # (a, b, c, d) is the key of its placing without making four floats
        rect, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
        rect_p, matrix_p = ctypes.byref(rect), ctypes.byref(matrix)
        box_of = _FOUR_FLOATS.unpack_from
        linear = (ctypes.c_char * 16).from_buffer(matrix)
        by_matrix: dict[tuple[float, bytes], _Placing] = {}  # (em, a b c d as bytes) -> its placing
        ta, tb, tc, td, te, tf = t.a, t.b, t.c, t.d, t.e, t.f
        text_object, loose_box, map_error, is_generated = _TEXT_OBJECT, _LOOSE_BOX, _MAP_ERROR, _IS_GENERATED
        char_matrix, font_size = _CHAR_MATRIX, _FONT_SIZE
        blank, noncharacters = " \r\n\t\x00\u3000\xa0", "\ufffe\uffff"
        new, glyph = tuple.__new__, Glyph
        last: Any = _NO_OBJECT  # the text object of the character before, and its placing
        placing: _Placing | None = None
        for i, ch in enumerate(chars):
            if ch in blank and is_generated(tp, i) == 1:  # PDFium's inferred spaces and breaks
                continue
            obj = text_object(tp, i)
            if obj != last or obj is None:
                placed.add(obj)
                last = obj
                # a new text object (each character is one in many Word PDFs): its size and matrix
                if char_matrix(tp, i, matrix_p):
                    key = (font_size(tp, i), linear.raw)
                    placing = by_matrix.get(key)
                    if placing is None:
                        placing = by_matrix[key] = _placing(matrix, key[0], t)
                else:
                    placing = None
            if map_error(tp, i) == 1 or ch == "\0":
                ch = UNMAPPED
                unmapped += 1
            elif ch in noncharacters:
                continue
            if placing is None or not loose_box(tp, i, rect_p):
                continue
            em, scale, upright, size = placing
            left, high, right, low = box_of(rect)
            if scale < 0.3 and high - low > 3 * em * scale:
                left, low, right, high = _scaled_box(textpage, i, scale, left, low, right, high)
            xa, ya = ta * left + tc * low + te, tb * left + td * low + tf
            xb, yb = ta * right + tc * high + te, tb * right + td * high + tf
            x0, x1 = (xa, xb) if xa <= xb else (xb, xa)
            if upright:  # pdfminer's box: from the descent up one type size
                bottom = yb if ya <= yb else ya
                add(new(glyph, (ch, x0, bottom - size, x1, bottom, size, True)))
            else:
                top, bottom = (ya, yb) if ya <= yb else (yb, ya)
                add(new(glyph, (ch, x0, top, x1, bottom, bottom - top, False)))
        if len(out) > max_chars:
            raise TooManyCharacters(len(out))
        return out, unmapped
    finally:
        raw.FPDFText_ClosePage(textpage)


_NO_OBJECT = object()  # before the first character


def _scaled_box(textpage: Any, i: int, scale: float, left: float, low: float, right: float, high: float) -> tuple[float, float, float, float]:
    """PDFium left the text matrix out of this box (seen on characters stacked one per line):
    scale it about the character's origin."""
    ox, oy = ctypes.c_double(), ctypes.c_double()
    if not raw.FPDFText_GetCharOrigin(textpage, i, ox, oy):
        return left, low, right, high
    x, y = ox.value, oy.value
    return x + (left - x) * scale, y + (low - y) * scale, x + (right - x) * scale, y + (high - y) * scale


# a one-page PDF for the examples: "Hi 7", a stroked line and a filled box
_MINI = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 80>>stream\nBT /F1 12 Tf 10 70 Td (Hi 7) Tj ET\n10 50 m 190 50 l S\n10 10 50 30 re f\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
