"""Word 2007+ (.docx) reports: paragraphs and tables of ``word/document.xml`` in reading order.

The zip is opened with :mod:`zipfile` and the main part streamed through :mod:`lxml` (no
python-docx), with limits on every size that can blow up: the number of zip entries, the
declared and the actually inflated size of the XML, the table width and the number of cells.

* Paragraphs become :class:`~govdisclose.readers.model.Paragraph` blocks, located ``"paragraph 14"``:
  the 14th paragraph of the document body, empty ones counted, those inside tables not.
* Tables become :class:`~govdisclose.readers.model.Table` blocks, one slot per grid column in every row:
  ``gridSpan`` and ``vMerge`` (and the legacy ``hMerge``) are expanded, the covered slots repeat
  the span's text with ``merged=True``; slots with no printed cell (``gridBefore``/``gridAfter``,
  short rows) are empty and ``merged=True`` too, so they are never taken for a blank value.
  Cells are located ``"table 2, row 5, col 3"`` (1-based; tables counted in document order,
  nested ones included; rows as printed; columns on the table grid).
* A table holding other tables is a layout frame: its cells' paragraphs and tables are read
  as blocks in reading order (located ``"table 1, row 1, col 1, paragraph 2"``).
* Text: runs are joined as they are (no spaces added between CJK pieces); ``w:tab`` is a tab
  in paragraphs and a space in cells, ``w:br``/``w:cr`` a newline, a cell's paragraphs are
  joined with newlines. Deleted revisions, field codes and hidden (``vanish``) runs are not
  printed and are left out; text boxes are read after the paragraph that anchors them.
  Automatic list numbers (``一、``, ``（一）`` from ``numbering.xml``, set on the paragraph or
  its style) are rendered as Word prints them (:mod:`.docx_numbering`).

>>> import io, zipfile
>>> xml = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
...        '<w:body><w:p><w:r><w:t>外交部</w:t></w:r><w:r><w:t>2023年</w:t></w:r></w:p>'
...        '<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>行政许可</w:t>'
...        '</w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>')
>>> buf = io.BytesIO()
>>> with zipfile.ZipFile(buf, "w") as zf:
...     zf.writestr("[Content_Types].xml", "<Types/>")
...     zf.writestr("word/document.xml", xml)
>>> doc = read(Path("x.docx"), buf.getvalue())
>>> doc.blocks[0].text, str(doc.blocks[0].location)
('外交部2023年', 'paragraph 1')
>>> [(c.text, c.merged, str(c.location)) for c in doc.tables[0].rows[0]]
[('行政许可', False, 'table 1, row 1, col 1'), ('行政许可', True, 'table 1, row 1, col 2 (merged with row 1, col 1)')]
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from govdisclose.exceptions import (
    CorruptDocumentError,
    DocumentError,
    DocumentTooLargeError,
    EmptyDocumentError,
    UnsupportedFormatError,
)
from govdisclose.readers.docx_numbering import PUA, Numbering, format_number, int_val
from govdisclose.readers.model import Cell, Document, Location, Paragraph, Table

__all__ = ["read", "ole_error", "format_number", "MAX_XML_BYTES", "MAX_ZIP_ENTRIES", "MAX_COLUMNS", "MAX_CELLS", "MAX_BLOCKS", "MAX_BLOCK_ELEMENTS"]

#: Largest ``word/document.xml`` inflated (declared size and bytes actually read).
MAX_XML_BYTES = 50 * 2**20
#: Most entries in the zip's central directory (a report has about 15).
MAX_ZIP_ENTRIES = 5000
#: Widest table grid (the report tables have 4, 10 and 15 columns).
MAX_COLUMNS = 256
#: Most table slots in one document after spans are expanded (a report has about 400).
MAX_CELLS = 500_000
#: Most paragraphs and tables in one document (a report has a few hundred).
MAX_BLOCKS = 200_000
#: Most XML elements in one body-level paragraph or table (the template's biggest table has ~6000):
#: a table is parsed whole before it is read, so this bounds the memory one table can take.
MAX_BLOCK_ELEMENTS = 400_000

_W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",  # transitional (Word's default)
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # strict
)
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class _Tags:
    """Clark names of the WordprocessingML elements read, for one namespace."""

    def __init__(self, ns: str) -> None:
        w = "{" + ns + "}"
        self.w = w
        for name in (
            "body", "p", "r", "t", "tab", "ptab", "br", "cr", "noBreakHyphen", "softHyphen", "sym",
            "tbl", "tblGrid", "gridCol", "tr", "trPr", "tc", "tcPr", "gridSpan", "vMerge", "hMerge",
            "gridBefore", "gridAfter", "sdt", "sdtContent", "customXml", "txbxContent", "rPr",
            "vanish", "altChunk", "drawing", "pict",
        ):
            setattr(self, name, w + name)
        # Subtrees that hold no printed text (or text that is not printed).
        self.skip = frozenset(
            w + name
            for name in (
                "pPr", "rPr", "tcPr", "trPr", "tblPr", "sectPr", "del", "moveFrom", "delText",
                "instrText", "delInstrText", "fldChar", "footnoteReference", "endnoteReference",
                "commentReference", "annotationRef", "sdtPr", "sdtEndPr", "customXmlPr",
                "smartTagPr", "lastRenderedPageBreak", "bookmarkStart", "bookmarkEnd",
            )
        )
        # Containers whose children are block content (paragraphs, tables).
        self.block_wrappers = frozenset((self.sdt, self.sdtContent, self.customXml))


class _TooLarge(Exception):
    """Raised inside the streaming parse when the XML passes the size cap."""


class _CappedReader:
    """A file-like wrapper that refuses to hand out more than ``cap`` bytes."""

    def __init__(self, raw: io.BufferedIOBase, cap: int) -> None:
        self.raw = raw
        self.cap = cap
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size if size and size > 0 else 1 << 16)
        self.count += len(chunk)
        if self.count > self.cap:
            raise _TooLarge
        return chunk


def ole_error(path: object, data: bytes) -> DocumentError:
    """The error for an OLE compound file (what Office writes for encrypted and pre-2007 files).

    A password-protected .docx is an OLE file holding an ``EncryptedPackage`` stream: that is a
    :class:`CorruptDocumentError` ("remove the password"); an old .doc/.xls is unsupported.

    >>> str(ole_error("a.docx", _OLE_MAGIC + "EncryptedPackage".encode("utf-16-le")))
    'a.docx: password-protected (an encrypted Office file): remove the password in Word and save it again as .docx'
    >>> type(ole_error("a.doc", _OLE_MAGIC + "WordDocument".encode("utf-16-le"))).__name__
    'UnsupportedFormatError'
    """
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return CorruptDocumentError(
            path, "password-protected (an encrypted Office file): remove the password in Word and save it again as .docx"
        )
    if "WordDocument".encode("utf-16-le") in data:
        return UnsupportedFormatError(path, "an old binary Word file (.doc); save it as .docx or PDF")
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return UnsupportedFormatError(path, "an old binary Excel file (.xls), not a report document")
    return UnsupportedFormatError(path, "an OLE compound file (old binary Office format), not a .docx")


def _zip_entry_count(data: bytes) -> int | None:
    """Entries declared by the end-of-central-directory record, read before zipfile builds its index."""
    tail_start = max(0, len(data) - (1 << 16) - 22)
    pos = data.rfind(b"PK\x05\x06", tail_start)
    if pos < 0 or pos + 22 > len(data):
        return None
    return struct.unpack_from("<H", data, pos + 10)[0]


def _open_zip(path: Path, data: bytes) -> zipfile.ZipFile:
    if data.startswith(_OLE_MAGIC):
        raise ole_error(path, data)
    if not data.startswith(b"PK"):
        raise UnsupportedFormatError(path, "not a Word .docx file (not a zip archive)")
    entries = _zip_entry_count(data)
    if entries is not None and entries > MAX_ZIP_ENTRIES:
        raise DocumentTooLargeError(path, f"the zip declares {entries} entries (a Word report has a few dozen)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, struct.error) as exc:
        raise CorruptDocumentError(path, f"a damaged or truncated .docx (the zip cannot be opened: {exc})") from None
    if len(archive.infolist()) > MAX_ZIP_ENTRIES:
        raise DocumentTooLargeError(path, f"the zip holds {len(archive.infolist())} entries")
    return archive


def _main_part(path: Path, archive: zipfile.ZipFile) -> str:
    """The name of the main document part, from ``_rels/.rels`` (falling back to the usual name)."""
    names = set(archive.namelist())
    target = None
    if "_rels/.rels" in names and archive.getinfo("_rels/.rels").file_size < 2**20:
        try:
            root = etree.fromstring(_read_member(path, archive, "_rels/.rels", 2**20), _SAFE_PARSER)
            for rel in root.iter(_RELS_NS + "Relationship"):
                if (rel.get("Type") or "").endswith("/officeDocument") and rel.get("TargetMode") != "External":
                    target = posixpath.normpath((rel.get("Target") or "").lstrip("/"))
                    break
        except etree.XMLSyntaxError:
            target = None
    for candidate in (target, "word/document.xml"):
        if candidate and candidate in names and not candidate.startswith(("xl/", "ppt/")):
            return candidate
    if "xl/workbook.xml" in names or (target or "").startswith("xl/"):
        raise UnsupportedFormatError(path, "an Excel workbook (.xlsx), not a Word document")
    if "ppt/presentation.xml" in names or (target or "").startswith("ppt/"):
        raise UnsupportedFormatError(path, "a PowerPoint file (.pptx), not a Word document")
    if "mimetype" in names and b"opendocument" in _read_member(path, archive, "mimetype", 4096):
        raise UnsupportedFormatError(path, "an OpenDocument file (.odt); save it as .docx or PDF")
    if any(name.startswith("word/") for name in names):
        raise CorruptDocumentError(path, "a damaged Word file: its main part word/document.xml is missing")
    raise UnsupportedFormatError(path, "a zip archive, not a Word document (no word/document.xml)")


def _read_member(path: Path, archive: zipfile.ZipFile, name: str, cap: int) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > cap:
        raise DocumentTooLargeError(path, f"{name} declares {info.file_size / 2**20:.1f} MB")
    try:
        with archive.open(info) as fh:
            data = fh.read(cap + 1)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error, NotImplementedError) as exc:
        raise CorruptDocumentError(path, f"{name} cannot be unpacked: {exc}") from None
    except RuntimeError as exc:  # zip-level encryption
        raise CorruptDocumentError(path, f"{name} is encrypted: {exc}") from None
    if len(data) > cap:
        raise DocumentTooLargeError(path, f"{name} inflates past {cap // 2**20} MB")
    return data


@dataclass(slots=True)
class _Slot:
    text: str
    origin: tuple[int, int] | None  # (row, col) of the printed cell, 0-based; None: no cell here
    covered: bool  # a copy of a span's first cell


_NO_CELL = _Slot("", None, True)  # a grid slot no printed cell covers


class _Reader:
    """Turns body-level elements into blocks, one at a time (the parse is streamed)."""

    def __init__(self, path: Path, ns: str, numbering: Numbering | None = None) -> None:
        self.path = path
        self.tag = _Tags(ns)
        self.numbering = numbering
        self.source = str(path)
        self.doc = Document(source=self.source, format="docx")
        self.paragraphs = 0  # body paragraphs seen, empty ones included
        self.tables = 0
        self.cells = 0
        self.pictures = 0
        self.hidden_notes: set[str] = set()

    # -- blocks ---------------------------------------------------------------------------
    def body_child(self, el: etree._Element) -> None:
        t = self.tag
        if el.tag == t.p:
            self.paragraphs += 1
            self._paragraph(el, Location(self.source, paragraph=self.paragraphs))
        elif el.tag == t.tbl:
            self._table(el)
        elif el.tag in t.block_wrappers:
            for child in el:
                self.body_child(child)
        elif el.tag == t.altChunk:
            self._note("the document embeds another file (altChunk) whose content was not read")

    def _blocks(self, container: etree._Element, prefix: Location) -> None:
        """Block content (paragraphs, tables) inside a frame cell or a text box."""
        count = 0
        for el in self._block_children(container):
            if el.tag == self.tag.p:
                count += 1
                self._paragraph(el, replace(prefix, paragraph=count) if prefix.paragraph is None else prefix.with_detail(f"paragraph {count}"))
            else:
                self._table(el)

    def _block_children(self, container: etree._Element) -> Iterator[etree._Element]:
        t = self.tag
        for el in container:
            if el.tag in (t.p, t.tbl):
                yield el
            elif el.tag in t.block_wrappers:
                yield from self._block_children(el)

    def _paragraph(self, p: etree._Element, location: Location) -> None:
        parts: list[str] = [self._number(p, "\t")]
        boxes: list[etree._Element] = []
        self._inline(p, parts, boxes, "\t")
        text = "".join(parts).strip()
        if text:
            if len(self.doc.blocks) >= MAX_BLOCKS:
                raise DocumentTooLargeError(self.path, f"the document holds more than {MAX_BLOCKS} paragraphs and tables")
            self.doc.blocks.append(Paragraph(text, location))
        for k, box in enumerate(boxes, start=1):
            self._blocks(box, location.with_detail(f"text box {k}"))

    # -- text -----------------------------------------------------------------------------
    def _inline(self, el: etree._Element, out: list[str], boxes: list[etree._Element], tab: str) -> None:
        t = self.tag
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in t.skip:
                continue
            if tag == t.t:
                out.append(child.text or "")
            elif tag == t.tab or tag == t.ptab:
                out.append(tab)
            elif tag == t.br or tag == t.cr:
                out.append("\n")
            elif tag == t.noBreakHyphen:
                out.append("-")
            elif tag == t.softHyphen:
                continue
            elif tag == t.sym:
                out.append(self._symbol(child))
            elif tag == t.r:
                if not self._hidden(child):
                    self._inline(child, out, boxes, tab)
            elif tag == t.txbxContent:
                boxes.append(child)
            elif tag == t.drawing or tag == t.pict:
                self.pictures += 1
                self._inline(child, out, boxes, tab)
            elif tag == _MC + "AlternateContent":
                choice = child.find(_MC + "Choice")
                self._inline(choice if choice is not None else child, out, boxes, tab)
            elif tag == _MC + "Fallback" or tag in (t.p, t.tbl):
                continue
            else:
                self._inline(child, out, boxes, tab)

    def _number(self, p: etree._Element, tab: str) -> str:
        if self.numbering is None:
            return ""
        return self.numbering.label(p.find(self.tag.w + "pPr"), self.tag.w, tab)

    def _hidden(self, run: etree._Element) -> bool:
        props = run.find(self.tag.rPr)
        if props is None:
            return False
        vanish = props.find(self.tag.vanish)
        if vanish is None or vanish.get(self.tag.w + "val", "true").lower() in ("0", "false", "off"):
            return False
        self._note("hidden (vanish) text was left out")
        return True

    def _symbol(self, sym: etree._Element) -> str:
        try:
            code = int(sym.get(self.tag.w + "char", ""), 16)
        except ValueError:
            code = -1
        if code < 0 or code in PUA or code > 0x10FFFF:
            self._note("a symbol-font character (w:sym) could not be mapped to Unicode: shown as \ufffd")
            return "\ufffd"
        return chr(code)

    def _note(self, note: str) -> None:
        if note not in self.hidden_notes:
            self.hidden_notes.add(note)
            self.doc.notes.append(note)

    def _cell_text(self, tc: etree._Element, where: str) -> str:
        lines: list[str] = []
        boxes: list[etree._Element] = []
        for el in self._block_children(tc):
            if el.tag == self.tag.p:
                parts: list[str] = [self._number(el, " ")]
                self._inline(el, parts, boxes, " ")
                lines.append("".join(parts))
        if boxes:
            self._note(f"{where}: a text box inside the cell was not read")
        return "\n".join(lines).strip()

    # -- tables ---------------------------------------------------------------------------
    def _rows(self, tbl: etree._Element) -> Iterator[etree._Element]:
        return self._children(tbl, self.tag.tr)

    def _tcs(self, tr: etree._Element) -> Iterator[etree._Element]:
        return self._children(tr, self.tag.tc)

    def _children(self, parent: etree._Element, tag: str) -> Iterator[etree._Element]:
        """``parent``'s children with ``tag``, looking through wrappers (sdt, customXml …)."""
        for el in parent:
            if el.tag == tag:
                yield el
            elif el.tag in self.tag.block_wrappers:
                yield from self._children(el, tag)

    def _span(self, value: int, where: str) -> int:
        if value > MAX_COLUMNS:
            raise DocumentTooLargeError(self.path, f"{where} spans {value} columns (limit {MAX_COLUMNS})")
        return max(value, 0)

    def _table(self, tbl: etree._Element) -> None:
        self.tables += 1
        number = self.tables
        t = self.tag
        if any(True for _ in tbl.iterdescendants(t.tbl)):
            self._frame(tbl, number)
            return
        grid: list[list[_Slot]] = []
        row_numbers: list[int] = []
        for r_printed, tr in enumerate(self._rows(tbl), start=1):
            props = tr.find(t.trPr)
            if props is not None and props.find(t.w + "del") is not None:
                self._note(f"table {number}: a row deleted in tracked changes was left out")
                continue
            tcs = list(self._tcs(tr))
            if not tcs:
                continue
            slots = self._row_slots(tcs, props, len(grid), grid[-1] if grid else [], f"table {number}, row {r_printed}")
            self.cells += len(slots)
            if self.cells > MAX_CELLS:
                raise DocumentTooLargeError(self.path, f"the tables hold more than {MAX_CELLS} cells")
            grid.append(slots)
            row_numbers.append(r_printed)
        if grid:
            self.doc.blocks.append(Table(rows=self._grid_cells(tbl, grid, number, row_numbers), location=Location(self.source, table=number)))

    def _row_slots(self, tcs: list[etree._Element], props: etree._Element | None, r: int, above: list[_Slot], where: str) -> list[_Slot]:
        """One row's grid slots: spans expanded, vertical continuations copied from the row above."""
        t = self.tag
        val = t.w + "val"
        slots: list[_Slot] = [_NO_CELL] * self._span(int_val(props.find(t.gridBefore) if props is not None else None, val, 0), where)
        for tc in tcs:
            tc_props = tc.find(t.tcPr)
            span = max(1, self._span(int_val(tc_props.find(t.gridSpan) if tc_props is not None else None, val, 1), where))
            vmerge = tc_props.find(t.vMerge) if tc_props is not None else None
            hmerge = tc_props.find(t.hMerge) if tc_props is not None else None
            start = len(slots)
            if start + span > MAX_COLUMNS:
                raise DocumentTooLargeError(self.path, f"{where} is wider than {MAX_COLUMNS} columns")
            columns = range(start, start + span)
            if vmerge is not None and vmerge.get(val, "continue") != "restart" and any(
                col < len(above) and above[col].origin is not None for col in columns
            ):
                own = self._cell_text(tc, where)
                if own and all(col < len(above) and above[col].origin is not None for col in columns):
                    self._note(f"{where}: text {own[:20]!r} in a vertically merged cell is hidden by Word and was left out")
                for col in columns:
                    if col < len(above) and above[col].origin is not None:
                        slots.append(_Slot(above[col].text, above[col].origin, True))
                    else:  # a continuation with nothing above it: read as its own cell
                        slots.append(_Slot(own, (r, col), False))
            elif hmerge is not None and hmerge.get(val, "continue") != "restart" and slots and slots[-1].origin:
                prev = slots[-1]
                slots.extend(_Slot(prev.text, prev.origin, True) for _ in columns)
            else:
                text = self._cell_text(tc, where)
                slots.append(_Slot(text, (r, start), False))
                slots.extend(_Slot(text, (r, start), True) for _ in range(span - 1))
        after = int_val(props.find(t.gridAfter) if props is not None else None, val, 0)
        slots.extend([_NO_CELL] * self._span(after, where))
        if len(slots) > MAX_COLUMNS:
            raise DocumentTooLargeError(self.path, f"{where} is wider than {MAX_COLUMNS} columns")
        return slots

    def _grid_cells(self, tbl: etree._Element, grid: list[list[_Slot]], number: int, row_numbers: list[int]) -> list[list[Cell]]:
        """Cells for the slots, every row padded to the table's width."""
        grid_el = tbl.find(self.tag.tblGrid)
        declared = len(grid_el.findall(self.tag.gridCol)) if grid_el is not None else 0
        width = min(max(max(len(row) for row in grid), declared), MAX_COLUMNS)
        self.cells += sum(width - len(row) for row in grid)
        if self.cells > MAX_CELLS:
            raise DocumentTooLargeError(self.path, f"the tables hold more than {MAX_CELLS} cells")
        rows: list[list[Cell]] = []
        for r, slots in enumerate(grid):
            cells = []
            for c, slot in enumerate(slots + [_NO_CELL] * (width - len(slots))):
                location = Location(self.source, table=number, row=row_numbers[r], col=c + 1)
                if slot.origin is None:
                    cells.append(Cell("", location.with_detail("no cell"), merged=True))
                elif slot.covered:
                    r0, c0 = slot.origin
                    cells.append(Cell(slot.text, location.with_detail(f"merged with row {row_numbers[r0]}, col {c0 + 1}"), merged=True))
                else:
                    cells.append(Cell(slot.text, location))
            rows.append(cells)
        return rows

    def _frame(self, tbl: etree._Element, number: int) -> None:
        """A table that holds tables: a layout frame, read cell by cell as block content."""
        t = self.tag
        self._note(f"table {number} holds other tables: read as a layout frame (its cells' contents in reading order)")
        for r, tr in enumerate(self._rows(tbl), start=1):
            props = tr.find(t.trPr)
            col = int_val(props.find(t.gridBefore) if props is not None else None, t.w + "val", 0)
            for tc in self._tcs(tr):
                tc_props = tc.find(t.tcPr)
                vmerge = tc_props.find(t.vMerge) if tc_props is not None else None
                if vmerge is None or vmerge.get(t.w + "val", "continue") == "restart":
                    self._blocks(tc, Location(self.source, table=number, row=r, col=col + 1))
                col += max(1, min(int_val(tc_props.find(t.gridSpan) if tc_props is not None else None, t.w + "val", 1), MAX_COLUMNS))


_PART_CAP = 8 * 2**20  # numbering.xml / styles.xml


def _related_parts(path: Path, archive: zipfile.ZipFile, main: str) -> dict[str, str]:
    """The main part's related parts by relationship kind (``numbering``, ``styles``)."""
    folder, name = posixpath.split(main)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    found = {kind: posixpath.join(folder, f"{kind}.xml") for kind in ("numbering", "styles")}
    if rels_name in archive.namelist():
        try:
            root = etree.fromstring(_read_member(path, archive, rels_name, 2**20), _SAFE_PARSER)
        except etree.XMLSyntaxError:
            return found
        for rel in root.iter(_RELS_NS + "Relationship"):
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            if kind in found and rel.get("TargetMode") != "External":
                target = rel.get("Target") or ""
                found[kind] = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
    return found


def _load_numbering(path: Path, archive: zipfile.ZipFile, main: str, notes: list[str]) -> Numbering | None:
    """List definitions and paragraph styles; None (with a note) when they cannot be read."""
    roots: dict[str, etree._Element | None] = {}
    for kind, name in _related_parts(path, archive, main).items():
        roots[kind] = None
        if name not in archive.namelist():
            continue
        try:
            roots[kind] = etree.fromstring(_read_member(path, archive, name, _PART_CAP), _SAFE_PARSER)
        except (etree.XMLSyntaxError, DocumentError) as exc:
            notes.append(f"{name} could not be read ({exc}): automatic list numbers are not shown")
            return None
    if roots.get("numbering") is None:
        return None
    return Numbering(roots["numbering"], roots.get("styles"))


def _parse(path: Path, archive: zipfile.ZipFile, name: str) -> Document:
    info = archive.getinfo(name)
    if info.flag_bits & 0x1:
        raise CorruptDocumentError(path, f"{name} is encrypted inside the zip")
    if info.file_size > MAX_XML_BYTES:
        raise DocumentTooLargeError(
            path, f"{name} declares {info.file_size / 2**20:.1f} MB unpacked (limit {MAX_XML_BYTES // 2**20} MB)"
        )
    notes: list[str] = []
    numbering = _load_numbering(path, archive, name, notes)
    reader: _Reader | None = None
    body_tag = None
    try:
        with archive.open(info) as raw:
            source = _CappedReader(raw, MAX_XML_BYTES)
            events = etree.iterparse(
                source, events=("end",), resolve_entities=False, no_network=True, load_dtd=False,
                huge_tree=False, remove_comments=True, remove_pis=True,
            )
            pending = 0  # elements parsed since the last body-level block
            for _event, el in events:
                parent = el.getparent()
                if parent is None:
                    continue
                pending += 1
                if pending > MAX_BLOCK_ELEMENTS:
                    raise DocumentTooLargeError(path, f"{name} has a table or paragraph of more than {MAX_BLOCK_ELEMENTS} XML elements")
                if reader is None:
                    root_tag = el.getroottree().getroot().tag
                    ns = root_tag[1:].split("}", 1)[0] if root_tag.startswith("{") else ""
                    if ns not in _W_NAMESPACES:
                        raise CorruptDocumentError(path, f"{name} is not a WordprocessingML document")
                    reader = _Reader(path, ns, numbering)
                    reader.doc.notes.extend(notes)
                    body_tag = reader.tag.body
                if parent.tag == body_tag:
                    pending = 0
                    reader.body_child(el)
                    el.clear(keep_tail=False)
                    while el.getprevious() is not None:
                        del parent[0]
    except _TooLarge:
        raise DocumentTooLargeError(path, f"{name} inflates past {MAX_XML_BYTES // 2**20} MB") from None
    except etree.XMLSyntaxError as exc:
        raise CorruptDocumentError(path, f"{name} is not well-formed XML ({exc.msg})") from None
    except RecursionError:
        raise DocumentTooLargeError(path, f"{name} nests its elements too deeply") from None
    except RuntimeError as exc:  # zipfile's "password required" (anything else is a bug: let it show)
        if "password" not in str(exc).lower() and "encrypt" not in str(exc).lower():
            raise
        raise CorruptDocumentError(path, f"{name} is encrypted: {exc}") from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error, NotImplementedError) as exc:
        raise CorruptDocumentError(path, f"{name} cannot be unpacked (damaged or truncated): {exc}") from None
    if reader is None:
        raise EmptyDocumentError(path, f"{name} holds no document body")
    if not reader.doc.blocks and reader.pictures:
        raise EmptyDocumentError(
            path, f"the Word document holds no text, only {reader.pictures} picture(s): a scanned report cannot be read"
        )
    return reader.doc


def read(path: Path, data: bytes) -> Document:
    """Read a .docx report into a :class:`Document` (paragraphs and expanded table grids).

    Raises :class:`UnsupportedFormatError` for other files (an .xlsx, a plain zip, an old .doc),
    :class:`CorruptDocumentError` for truncated, damaged or password-protected ones,
    :class:`DocumentTooLargeError` past the size limits and :class:`EmptyDocumentError` when
    the document holds no text.
    """
    archive = _open_zip(path, data)
    with archive:
        doc = _parse(path, archive, _main_part(path, archive))
    if not doc.blocks:
        altchunk = any("altChunk" in note for note in doc.notes)
        raise EmptyDocumentError(
            path, "the Word document holds no text" + (" of its own (its content is an embedded altChunk file)" if altchunk else "")
        )
    return doc
