"""HTML reader: a saved web page (or Word-exported HTML) to a :class:`~govdisclose.readers.model.Document`.

The page is decoded once (BOM, then the declared charset, checked against the bytes), parsed
once with lxml's HTML parser and walked iteratively in document order:

* the report's own container is found (the nearest article-like ancestor, e.g.
  ``<div class="TRS_Editor">``, of the tables that carry report labels) so that site navigation
  and footers around it are left out; without one the whole ``<body>`` is read;
* prose becomes :class:`~govdisclose.readers.model.Paragraph` blocks, one per block element or ``<br>``;
* every innermost table becomes a :class:`~govdisclose.readers.model.Table` whose grid is rebuilt from
  ``rowspan``/``colspan``: a slot covered by a span repeats the span's text with ``merged=True``.
  Short rows are padded with empty slots that no printed cell covers, also ``merged=True`` (so
  the mapper never reads one as a blank value; their location ends ``(no cell)``): a row that
  lost a cell is flagged rather than read with its values shifted. Tables that only wrap
  other tables, and one-column tables (text boxes), are read as prose instead.

Cell text is kept as printed: pieces broken by ``<br>``, ``<p>``, ``<span>`` or ``<o:p>`` are
joined (no space next to a CJK character), and a cell holding only ``&nbsp;`` is ``''``. The
text is what a reader of the page sees (spec §4a, :mod:`.visible`): scripts, styles and what the
page hides (``display:none``/``visibility:hidden`` inline or from its stylesheet) are left out,
and so is struck-through text (``<del>70</del>71`` reads ``71``; a cell struck whole reads
``[struck-through]``); a superscript keeps a ``^`` and a subscript a ``_`` so a footnote mark
cannot run into a number (``12^1``, not ``121``); a form field reads as its value; a cell
printed only as a picture reads ``[image]`` (``[image: alt text]``), never blank nor a number.
A picture outside the tables (``<img src="table.png">``, a local file) is read by OCR and its
tables put in its place (:mod:`.images`; never fetched from the web).

Locations (:class:`~govdisclose.records.Location`): ``table 3, row 5, col 2, line 814`` (the 3rd
``<table>`` of the page, grid coordinates after span expansion, 1-based, and the source line of the
cell), ``paragraph 12, line 40``. Merged slots say where their span starts.

>>> from pathlib import Path
>>> page = '<html><head><meta charset="gbk"><title>某局2023年度报告_网站</title></head><body>'
>>> page += '<table><tr><td rowspan="2">本年<br>新收</td><td>1</td></tr><tr><td>&nbsp;</td></tr></table>'
>>> doc = read(Path("x.html"), (page + '</body></html>').encode("gbk"))
>>> doc.blocks[0].text
'某局2023年度报告'
>>> [[(c.text, c.merged) for c in row] for row in doc.tables[0].rows]
[[('本年新收', False), ('1', False)], [('本年新收', True), ('', False)]]
>>> str(doc.tables[0].rows[0][1].location)
'table 1, row 1, col 2, line 1'
"""


from __future__ import annotations

from pathlib import Path

from lxml import etree

from govdisclose.exceptions import DocumentTooLargeError, EmptyDocumentError
from govdisclose.readers.grid import CellBudget
from govdisclose.readers.html.clean import BLOCK_SET, SKIP, clean_text, element_text, prepare, source_line, xml_safe
from govdisclose.readers.html.container import find_container, find_title
from govdisclose.readers.html.css import Stylesheet
from govdisclose.readers.html.images import with_pictures
from govdisclose.readers.html.parse import decode_html, page_bytes, parse
from govdisclose.readers.html.tables import index_tables, is_grid, table_grid
from govdisclose.readers.html.visible import Changes, apply_visibility, show_form_fields
from govdisclose.readers.model import Document, Location, Paragraph, Table

__all__ = ["read", "read_tables", "decode_html", "clean_text", "MAX_BYTES", "MAX_GRID_CELLS", "MAX_PARAGRAPHS"]

#: Largest page read (the dispatcher's limit, enforced here too for direct calls).
MAX_BYTES = 16 * 2**20

#: Most table slots (after span expansion) one page may produce; a report has a few hundred.
MAX_GRID_CELLS = 200_000

#: Most paragraphs one page may produce; a report has about a hundred.
MAX_PARAGRAPHS = 100_000



class _Reader:
    """One page being read: the parsed tree and the blocks produced so far."""

    def __init__(self, path: Path, root: etree._Element, line_offset: int = 0) -> None:
        self.path = path
        self.root = root
        self.line_offset = line_offset  # source lines before the parsed text (a fragment)
        body = root.find("body")
        self.body = body if body is not None else root
        self.blocks: list[Paragraph | Table] = []
        self.notes: list[str] = []
        self.paragraphs = 0
        self.budget = CellBudget(path, MAX_GRID_CELLS, "rowspan/colspan")
        self.table_number: dict[etree._Element, int] = {}
        self.wrapping: set[etree._Element] = set()
        self.changes = Changes()
        self.pictures: list[tuple[int, str]] = []  # (position in blocks, src) of each <img> outside a table

    def line(self, el: etree._Element) -> int | None:
        line = source_line(el)
        return line + self.line_offset if line else None

    def paragraph(self, text: str, line: int | None, detail: str = "") -> None:
        self.paragraphs += 1
        if self.paragraphs > MAX_PARAGRAPHS:
            raise DocumentTooLargeError(self.path, f"over {MAX_PARAGRAPHS:,} paragraphs; not a single report page")
        self.blocks.append(Paragraph(text, Location(str(self.path), paragraph=self.paragraphs, line=line, detail=detail)))

    def add_title(self) -> None:
        """Make the page's report title (meta ArticleTitle, <h1>, <title>) the first paragraph."""
        found = find_title(self.root)
        if found:
            text, what, line = found
            self.paragraph(text, line, what)

    def visible_only(self) -> None:
        """Leave only what a reader of the page sees (:mod:`.visible`): the page's stylesheet
        is read and form fields turned into their values before non-text elements are stripped."""
        sheet = Stylesheet.of_page(self.root)
        show_form_fields(self.root)
        etree.strip_elements(self.root, *SKIP, with_tail=False)
        self.changes = apply_visibility(self.root, sheet)

    def index_tables(self) -> list[etree._Element]:
        """Number every <table> in document order; returns the innermost ones."""
        self.table_number, self.wrapping, leaves = index_tables(self.root)
        return leaves

    def find_container(self, leaves: list[etree._Element]) -> etree._Element:
        return find_container(self.root, self.body, leaves, self.notes)

    def walk(self, container: etree._Element) -> None:
        """Emit the paragraphs and tables of ``container`` in document order (iteratively)."""
        pieces: list[str] = []
        first_line: int | None = None
        whole_body = container is self.body

        def flush() -> None:
            nonlocal first_line
            if pieces:
                text = clean_text("".join(pieces))
                pieces.clear()
                if text:
                    self.paragraph(text, first_line)
            first_line = None

        walker = etree.iterwalk(container, events=("start", "end"))
        for event, el in walker:
            tag = el.tag
            if tag.__class__ is not str:  # a comment or entity left by the parser
                text = el.tail if event == "end" else None
            elif event == "start":
                if tag == "table" and el not in self.wrapping and is_grid(el):
                    flush()
                    self.add_table(el)
                    walker.skip_subtree()
                    continue
                if tag == "img":
                    flush()
                    self.pictures.append((len(self.blocks), el.get("src") or ""))
                if whole_body and tag in ("header", "footer"):
                    walker.skip_subtree()
                    continue
                if tag in BLOCK_SET:
                    flush()
                text = el.text
            else:
                if tag in BLOCK_SET:
                    flush()
                text = el.tail if el is not container else None
            if text:
                if first_line is None and not text.isspace():
                    first_line = self.line(el)
                pieces.append(text)
        flush()


    def add_table(self, table: etree._Element) -> None:
        """Rebuild one table's grid from rowspan/colspan and append it (after its caption)."""
        tline = self.line(table)
        where = Location(str(self.path), table=self.table_number.get(table, 0), line=tline)
        for child in table:
            if child.tag == "caption":
                text = element_text(child)
                if text:
                    self.paragraph(text, tline, f"caption of table {where.table}")
        rows = table_grid(table, where, self.budget, self.line_offset)
        if rows and rows[0]:
            self.blocks.append(Table(rows=rows, location=where))


def read_tables(html: str, source: str = "", *, first_line: int = 1, first_table: int = 1) -> list[Table]:
    """The tables of an HTML fragment, e.g. a ``<table>…</table>`` block inside a Markdown file.

    Grids are rebuilt exactly as :func:`read` does; locations count source lines from
    ``first_line`` (the fragment's first line in its file) and tables from ``first_table``.
    Raises :class:`~govdisclose.exceptions.DocumentTooLargeError` (naming ``source``) past the
    same limits; text outside the tables is ignored.

    >>> block = '<table>\\n<tr><td colspan="2">行政许可</td><td>4529</td></tr>\\n</table>'
    >>> [(c.text, c.merged, str(c.location)) for c in read_tables(block, "r.md", first_line=40)[0].rows[0]][1:]
    [('行政许可', True, 'table 1, row 1, col 2, line 40 (merged from row 1, col 1)'), ('4529', False, 'table 1, row 1, col 3, line 41')]
    """
    path = Path(source or "<fragment>")
    if not html.strip():
        return []
    if len(html) > MAX_BYTES:
        raise DocumentTooLargeError(path, f"an HTML block of {len(html):,} characters is over the {MAX_BYTES // 2**20} MB limit")
    data = xml_safe(html).encode("utf-8")
    notes: list[str] = []
    reader = _Reader(path, parse(path, data, notes), line_offset=first_line - 1)
    reader.visible_only()
    leaves = reader.index_tables()
    for table in reader.table_number:
        reader.table_number[table] += first_table - 1
    reader.notes.extend(reader.changes.notes())
    prepare(reader.root)
    for table in leaves:
        if is_grid(table):
            reader.add_table(table)
    return [b for b in reader.blocks if isinstance(b, Table)]


def read(path: Path, data: bytes) -> Document:
    """Read an HTML page into a Document (title first, then prose and tables in order).

    >>> doc = read(Path("t.html"), '<p>一、总体情况</p><table><tr><td>规章</td><td>5</td></tr></table>'.encode())
    >>> [type(b).__name__ for b in doc.blocks], doc.tables[0].rows[0][1].text
    (['Paragraph', 'Table'], '5')
    """
    path = Path(path)
    if len(data) > MAX_BYTES:
        raise DocumentTooLargeError(path, f"{len(data) / 2**20:.1f} MB is over the {MAX_BYTES // 2**20} MB limit for HTML pages")
    if not data or data.isspace():
        raise EmptyDocumentError(path, "the file is empty")
    encoded, _, notes = page_bytes(path, data)
    reader = _Reader(path, parse(path, encoded, notes))
    reader.notes.extend(notes)
    reader.add_title()
    reader.visible_only()
    container = reader.find_container(reader.index_tables())
    reader.notes.extend(reader.changes.notes(within=container))
    prepare(container)
    reader.walk(container)
    if not reader.blocks and not reader.pictures:
        raise EmptyDocumentError(path, "the page has no visible text")
    doc = with_pictures(path, Document(source=str(path), blocks=reader.blocks, format="html", notes=reader.notes), reader.pictures)
    if not doc.blocks:
        raise EmptyDocumentError(path, "the page has no visible text, and OCR found none in its pictures")
    return doc

