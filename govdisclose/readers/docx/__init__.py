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
  joined with newlines. Deleted revisions (``w:del``; inserted ones, ``w:ins``, are kept), field
  codes and hidden (``vanish``) runs are not printed and are left out; text boxes are read after
  the paragraph that anchors them.
* What a reader sees (spec §4a): struck-through runs (``w:strike``/``w:dstrike``) are not part
  of the text (a cell struck whole reads ``[struck-through]``, flagged, never blank), and a
  superscript or subscript run (``w:vertAlign``) keeps a ``^``/``_`` before it so a footnote
  mark never runs into a number (``71^1``, not ``711``); formatting set through character and
  paragraph styles counts as well (:mod:`.styles`).
  Automatic list numbers (``一、``, ``（一）`` from ``numbering.xml``, set on the paragraph or
  its style) are rendered as Word prints them (:mod:`.numbering`).

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

import zipfile
import zlib
from pathlib import Path

from lxml import etree

from govdisclose.exceptions import CorruptDocumentError, DocumentTooLargeError, EmptyDocumentError
from govdisclose.readers.docx.body import BodyReader, Limits
from govdisclose.readers.docx.numbering import format_number
from govdisclose.readers.docx.package import (
    MAX_ZIP_ENTRIES,
    W_NAMESPACES,
    CappedReader,
    TooLarge,
    load_parts,
    main_part,
    media,
    ole_error,
    open_zip,
)
from govdisclose.readers.model import Document

__all__ = ["read", "ole_error", "format_number", "MAX_XML_BYTES", "MAX_ZIP_ENTRIES", "MAX_COLUMNS", "MAX_CELLS", "MAX_BLOCKS", "MAX_BLOCK_ELEMENTS"]

#: Largest ``word/document.xml`` inflated (declared size and bytes actually read).
MAX_XML_BYTES = 50 * 2**20

#: Widest table grid (the report tables have 4, 10 and 15 columns).
MAX_COLUMNS = 256

#: Most table slots in one document after spans are expanded (a report has about 400).
MAX_CELLS = 500_000

#: Most paragraphs and tables in one document (a report has a few hundred).
MAX_BLOCKS = 200_000

#: Most XML elements in one body-level paragraph or table (the template's biggest table has ~6000):
#: a table is parsed whole before it is read, so this bounds the memory one table can take.
MAX_BLOCK_ELEMENTS = 400_000



def _parse(path: Path, archive: zipfile.ZipFile, name: str) -> Document:
    info = archive.getinfo(name)
    if info.flag_bits & 0x1:
        raise CorruptDocumentError(path, f"{name} is encrypted inside the zip")
    if info.file_size > MAX_XML_BYTES:
        raise DocumentTooLargeError(
            path, f"{name} declares {info.file_size / 2**20:.1f} MB unpacked (limit {MAX_XML_BYTES // 2**20} MB)"
        )
    notes: list[str] = []
    numbering, styles = load_parts(path, archive, name, notes)
    reader: BodyReader | None = None
    body_tag = None
    try:
        with archive.open(info) as raw:
            source = CappedReader(raw, MAX_XML_BYTES)
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
                    if ns not in W_NAMESPACES:
                        raise CorruptDocumentError(path, f"{name} is not a WordprocessingML document")
                    reader = BodyReader(path, ns, numbering, Limits(columns=MAX_COLUMNS, cells=MAX_CELLS, blocks=MAX_BLOCKS), styles)
                    reader.doc.notes.extend(notes)
                    body_tag = reader.tag.body
                if parent.tag == body_tag:
                    pending = 0
                    reader.body_child(el)
                    el.clear(keep_tail=False)
                    while el.getprevious() is not None:
                        del parent[0]
    except TooLarge:
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
    if reader.embeds:  # pictures (of tables, often): read by OCR, their tables put in their places
        from govdisclose.readers.ocr.embedded import place_pictures

        found = media(path, archive, name, [rid for _, rid in reader.embeds], reader.doc.notes)
        reader.doc = place_pictures(path, reader.doc, [(at, found[rid]) for at, rid in reader.embeds if rid in found])
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
    archive = open_zip(path, data)
    with archive:
        doc = _parse(path, archive, main_part(path, archive))
    if not doc.blocks:
        altchunk = any("altChunk" in note for note in doc.notes)
        raise EmptyDocumentError(
            path, "the Word document holds no text" + (" of its own (its content is an embedded altChunk file)" if altchunk else "")
        )
    return doc

