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
joined (no space next to a CJK character), and a cell holding only ``&nbsp;`` is ``''``. What a
browser does not show (scripts, styles, ``display:none``) is left out; a superscript keeps a
``^`` so a footnote mark cannot run into a number (``12^1``, not ``121``), and a cell printed
only as a picture reads ``[image]`` (``[image: alt text]``), never blank nor a number.

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

import re
from dataclasses import replace
from pathlib import Path

from lxml import etree

from govdisclose.exceptions import CorruptDocumentError, DocumentTooLargeError, EmptyDocumentError
from govdisclose.readers.encoding import decode
from govdisclose.readers.model import Cell, Document, Location, Paragraph, Table
from govdisclose.template.markers import REPORT_TITLE, is_report_text
from govdisclose.template.normalize import to_simplified

__all__ = ["read", "read_tables", "decode_html", "clean_text", "MAX_BYTES", "MAX_GRID_CELLS", "MAX_PARAGRAPHS"]

#: Largest page read (the dispatcher's limit, enforced here too for direct calls).
MAX_BYTES = 16 * 2**20
#: Most table slots (after span expansion) one page may produce; a report has a few hundred.
MAX_GRID_CELLS = 200_000
#: Most paragraphs one page may produce; a report has about a hundred.
MAX_PARAGRAPHS = 100_000
_MAX_COLSPAN = 1000  # the HTML standard's limits
_MAX_ROWSPAN = 65534

# --- decoding -----------------------------------------------------------------------------

# Characters lxml refuses in text (XML 1.0): C0 controls but tab/newline/CR, and U+FFFE/U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not (b <= 0x08 or b in (0x0B, 0x0C, 0x7F) or 0x0E <= b <= 0x1F))


def decode_html(data: bytes) -> tuple[str, str, list[str]]:
    """Decode page bytes: returns (text, codec used, notes). Never raises on bad bytes.

    The policy of :mod:`govdisclose.readers.encoding`: the BOM wins, then the declared charset
    unless the bytes are clearly UTF-8; an undeclared page is read as UTF-8, else GB18030, else
    what charset-normalizer detects. Undecodable bytes become U+FFFD and are noted.

    >>> decode_html('<meta charset="gb2312">平潭'.encode("gbk"))[:2]
    ('<meta charset="gb2312">平潭', 'gb18030')
    >>> decode_html('<meta charset="gbk">平潭'.encode("utf-8"))[1:]
    ('utf-8', ['the page declares gbk but its bytes are UTF-8; read as UTF-8'])
    """
    decoded = decode(data, markup=True)
    return decoded.text, decoded.codec, list(decoded.notes)


# --- text -----------------------------------------------------------------------------------

_CJK = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_NEEDS_CLEANING = re.compile("[\\s\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(raw: str) -> str:
    """Collapse white space as a browser shows it; no space is kept next to a CJK character.

    >>> clean_text("本年新\\n制作数量"), clean_text("\\xa0"), clean_text("Times \\n New"), clean_text("5270.6597 万元")
    ('本年新制作数量', '', 'Times New', '5270.6597万元')
    """
    text = raw.strip()
    if not _NEEDS_CLEANING.search(text):  # the common case: one run of text
        return text
    text = _xml_safe(_INVISIBLE.sub("", text))  # character references (&#1;) can put controls in
    text = _SPACE_NEAR_CJK.sub("", text)
    return _SPACES.sub(" ", text).strip()


# --- tree helpers ---------------------------------------------------------------------------

#: Elements whose content is never shown as text (removed before reading).
_SKIP = (
    "script style noscript template iframe frame frameset object embed applet select option optgroup "
    "button input textarea svg math map area audio video canvas head title meta link base nav"
).split()
#: Elements that start a new line: their text is kept apart from their neighbours'.
_BLOCK = (
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu ol p pre "
    "section summary table tbody td tfoot th thead tr ul br"
).split()
_BLOCK_SET = frozenset(_BLOCK)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_ARTICLE_LIKE = re.compile(
    r"trs_?editor|article|content|zoom|detail|main[_-]?text|ucap|news_?con|text_?con|con_?text|bt_?con|wzy|xxgk_?con|view",
    re.I,
)
_ARTICLE_TAGS = frozenset({"article", "main", "ucapcontent"})
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|\s[-–—]\s|(?<!\d)-|-(?!\d)|——)\s*")
_DIGITS = re.compile(r"\s*(\d{1,7})")


def _line(el: etree._Element) -> int | None:
    line = el.sourceline
    return line if isinstance(line, int) and line > 0 else None


def _at(line: int | None) -> str:
    return f" (line {line})" if line else ""


def _span(value: str | None, limit: int, default: int) -> int:
    """A rowspan/colspan attribute as the HTML standard reads it (leading digits, clamped)."""
    match = _DIGITS.match(value) if value else None
    return min(int(match.group(1)), limit) if match else default


def _text(el: etree._Element) -> str:
    """The visible text of one element (after :func:`_prepare` marked its block boundaries)."""
    return clean_text(etree.tostring(el, method="text", encoding=str, with_tail=False))


def _hide(el: etree._Element) -> None:
    """Empty a hidden element (its content is not shown), keeping the text that follows it."""
    tail = el.tail
    el.clear()
    _set_text(el, "", None, "", tail)


_HIDE_AT = re.compile(rb"(?:display|visibility)\s*:\s*(?:none|hidden)|hidden[\s=>/]")


def _hidden_lines(data: bytes, low: bytes, limit: int = 10_000) -> set[int] | None:
    """Source lines that may hold a hidden element (``display:none``, ``hidden``), found with
    fast byte searches in ``low`` (``data.lower()``); None when there are too many to be worth
    it (then every element is checked)."""
    positions: list[int] = []
    for hint in (b"display", b"visibility", b"hidden"):
        pos = low.find(hint)
        while pos != -1:
            if _HIDE_AT.match(low, pos):
                positions.append(pos)
                if len(positions) > limit:
                    return None
            pos = low.find(hint, pos + 1)
    lines: set[int] = set()
    line, last = 1, 0
    for pos in sorted(positions):
        line += data.count(b"\n", last, pos)
        last = pos
        lines.update(range(max(line - 3, 1), line + 1))  # a start tag may spread over a few lines
    return lines


def _without_document_end(data: bytes, low: bytes) -> bytes:
    """Drop ``</body>`` and ``</html>`` end tags: libxml2 drops text after ``</html>`` and puts
    text after ``</body>`` outside the body, where a browser shows both in the body."""
    cuts: list[tuple[int, int]] = []
    for tag in (b"</body", b"</html"):
        pos = low.find(tag)
        while pos != -1:
            after = pos + len(tag)
            if after == len(low) or low[after] in b" \t\r\n\f/>":
                end = low.find(b">", after)
                cuts.append((pos, len(low) if end == -1 else end + 1))
            pos = low.find(tag, after)
    if not cuts:
        return data
    pieces, last = [], 0
    for start, end in sorted(cuts):
        if start >= last:
            pieces.append(data[last:start])
            last = end
    pieces.append(data[last:])
    return b"".join(pieces)


def _prepare(root: etree._Element, hidden_lines: set[int] | None) -> None:
    """Empty hidden elements (``display:none``); mark block boundaries with a line break.

    Done once over the part of the tree that is read, so that a cell's or paragraph's text is
    then one C-level text serialisation away. (Scripts, styles etc. were stripped before.)
    Only elements on ``hidden_lines`` are looked at for hiding (all when it is None).
    """
    if hidden_lines is None or hidden_lines:
        hidden = []
        for el in root.iter():
            if hidden_lines is not None and el.sourceline not in hidden_lines:
                continue
            style = el.get("style")
            if style and _HIDDEN_STYLE.search(style) or el.get("hidden") is not None:
                hidden.append(el)
        for el in hidden:
            _hide(el)
    for el in root.iter(*_BLOCK):
        _set_text(el, "\n", el.text, "\n", el.tail)
    for el in root.iter("sup"):  # a footnote mark must not run into a number
        if el.text or len(el):
            _set_text(el, "^", el.text, "", el.tail)  # 12<sup>1</sup> -> '12^1', not '121'


def _set_text(el: etree._Element, before: str, text: str | None, after: str, tail: str | None) -> None:
    """Prefix an element's text and tail; lxml refuses control characters that character
    references (``&#1;``) put into the tree, so those are dropped when present."""
    try:
        el.text = before + text if text else before
        el.tail = after + tail if tail else after or None
    except ValueError:
        el.text = before + _xml_safe(text or "")
        el.tail = after + _xml_safe(tail or "") or None


def _xml_safe(text: str) -> str:
    """Drop the characters lxml refuses (a form feed is white space: it becomes a space)."""
    return _CONTROL.sub("", text.replace("\x0c", " "))


_CELL_TAGS = ("td", "th")
_SECTION_TAGS = ("thead", "tbody", "tfoot")


def _table_rows(table: etree._Element) -> list[list[etree._Element]]:
    """The table's own rows, each a list of its cells, in order.

    Rows come from ``<tr>`` (directly or in thead/tbody/tfoot); cells the parser left outside
    any ``<tr>`` (a damaged ``<tr>`` tag) form a row of their own, as a browser shows them.
    """
    rows: list[list[etree._Element]] = []
    stray: list[etree._Element] = []
    children = list(table)
    k = 0
    while k < len(children):
        child = children[k]
        k += 1
        tag = child.tag
        if tag in _CELL_TAGS:
            stray.append(child)
            continue
        if tag == "tr" or tag in _SECTION_TAGS:
            if stray:
                rows.append(stray)
                stray = []
            if tag == "tr":
                rows.append(_row_cells(child))
            else:
                children[k:k] = list(child)  # a section's rows take its place
    if stray:
        rows.append(stray)
    return rows


def _row_cells(row: etree._Element) -> list[etree._Element]:
    """A row's cells: its <td>/<th> children, and cells inside stray wrappers (``<form>``)."""
    cells = [c for c in row if c.tag in _CELL_TAGS]
    if len(cells) == len(row):
        return cells
    cells = []
    walker = etree.iterwalk(row, events=("start",))
    for _, el in walker:
        if el.tag in _CELL_TAGS:
            cells.append(el)
            walker.skip_subtree()
        elif el.tag == "tr" and el is not row:
            walker.skip_subtree()
    return cells


def _describe(el: etree._Element) -> str:
    attrs = "".join(f' {k}="{el.get(k)}"' for k in ("id", "class") if el.get(k))
    return f"<{el.tag}{attrs}>{_at(_line(el))}"


# --- the reader ---------------------------------------------------------------------------


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
        self.grid_cells = 0
        self.table_number: dict[etree._Element, int] = {}
        self.wrapping: set[etree._Element] = set()

    def line(self, el: etree._Element) -> int | None:
        line = _line(el)
        return line + self.line_offset if line else None

    def paragraph(self, text: str, line: int | None, detail: str = "") -> None:
        self.paragraphs += 1
        if self.paragraphs > MAX_PARAGRAPHS:
            raise DocumentTooLargeError(self.path, f"over {MAX_PARAGRAPHS:,} paragraphs; not a single report page")
        self.blocks.append(Paragraph(text, Location(str(self.path), paragraph=self.paragraphs, line=line, detail=detail)))

    # title ------------------------------------------------------------------------------
    def add_title(self) -> None:
        """Make the page's report title (meta ArticleTitle, <h1>, <title>) the first paragraph.

        Runs before scripts, <head> and the like are stripped from the tree.
        """
        found: tuple[str, str, int | None] | None = None
        for meta in self.root.iter("meta"):
            if (meta.get("name") or "").lower() == "articletitle":
                text = clean_text(meta.get("content") or "")
                if REPORT_TITLE.search(to_simplified(text)):
                    found = (text, "<meta name=ArticleTitle>", _line(meta))
                    break
        for tag in ("h1", "title"):
            if found:
                break
            for el in self.root.iter(tag):
                text = clean_text("".join(el.itertext()))
                if tag == "title":
                    parts = [p for p in _TITLE_SPLIT.split(text) if REPORT_TITLE.search(to_simplified(p))]
                    text = parts[0] if parts else ""
                if text and REPORT_TITLE.search(to_simplified(text)):
                    found = (text, f"<{tag}>", _line(el))
                    break
        if found:
            text, what, line = found
            self.paragraph(text, line, what)

    # structure --------------------------------------------------------------------------
    def index_tables(self) -> list[etree._Element]:
        """Number every <table> in document order; mark tables that wrap other tables.

        Returns the innermost tables (those holding no other table).
        """
        open_tables: list[etree._Element] = []
        leaves: list[etree._Element] = []
        for event, table in etree.iterwalk(self.root, events=("start", "end"), tag="table"):
            if event == "start":
                self.table_number[table] = len(self.table_number) + 1
                if open_tables:
                    self.wrapping.add(open_tables[-1])
                open_tables.append(table)
            else:
                open_tables.pop()
                if table not in self.wrapping:
                    leaves.append(table)
        return leaves

    def find_container(self, leaves: list[etree._Element]) -> etree._Element:
        """The report's own container: the article-like ancestor of the report tables, else <body>."""
        report = [t for t in leaves if _is_report_table(t)][:64]  # a report has three or four
        if not report:
            return self.body
        common: list[etree._Element] = list(report[0].iterancestors())[::-1]
        for table in report[1:]:
            chain = list(table.iterancestors())[::-1]
            n = 0
            while n < len(common) and n < len(chain) and common[n] is chain[n]:
                n += 1
            del common[n:]
        tried = 0
        for el in reversed(common):
            if el is self.body or el is self.root or tried >= 3:
                break
            if el.tag not in _ARTICLE_TAGS and not _ARTICLE_LIKE.search(f"{el.get('class', '')} {el.get('id', '')}"):
                continue
            tried += 1
            if _prose_length(el) >= 100:
                self.notes.append(f"read the article container {_describe(el)}; the page around it is skipped")
                return el
        return self.body

    # flow -------------------------------------------------------------------------------
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
                if tag == "table" and el not in self.wrapping and _is_grid(el):
                    flush()
                    self.add_table(el)
                    walker.skip_subtree()
                    continue
                if whole_body and tag in ("header", "footer"):
                    walker.skip_subtree()
                    continue
                if tag in _BLOCK_SET:
                    flush()
                text = el.text
            else:
                if tag in _BLOCK_SET:
                    flush()
                text = el.tail if el is not container else None
            if text:
                if first_line is None and not text.isspace():
                    first_line = self.line(el)
                pieces.append(text)
        flush()

    # tables -----------------------------------------------------------------------------
    def add_table(self, table: etree._Element) -> None:
        """Rebuild one table's grid from rowspan/colspan and append it (after its caption)."""
        tline = self.line(table)
        where = Location(str(self.path), table=self.table_number.get(table, 0), line=tline)
        for child in table:
            if child.tag == "caption":
                text = _text(child)
                if text:
                    self.paragraph(text, tline, f"caption of table {where.table}")
        rows = _table_rows(table)
        n_rows = len(rows)
        grid: list[list[Cell | None]] = [[] for _ in rows]
        for r, row in enumerate(rows):
            slots = grid[r]
            col = 0
            for td in row:
                while col < len(slots) and slots[col] is not None:
                    col += 1
                colspan = max(_span(td.get("colspan"), _MAX_COLSPAN, 1), 1)
                rowspan = _span(td.get("rowspan"), _MAX_ROWSPAN, 1)
                rowspan = n_rows - r if rowspan == 0 else min(rowspan, n_rows - r)
                self._count(colspan * rowspan, where)
                text = _text(td)
                if not text:
                    text = _picture(td)
                cline = self.line(td)
                for dr in range(rowspan):
                    target = grid[r + dr]
                    if len(target) < col + colspan:
                        target.extend([None] * (col + colspan - len(target)))
                    for dc in range(colspan):
                        if target[col + dc] is not None:  # overlapping spans: the first keeps the slot
                            continue
                        if dr == 0 and dc == 0:
                            target[col] = Cell(text, replace(where, row=r + 1, col=col + 1, line=cline))
                        else:
                            loc = replace(where, row=r + dr + 1, col=col + dc + 1, detail=f"merged from row {r + 1}, col {col + 1}")
                            target[col + dc] = Cell(text, loc, merged=True)
                col += colspan
        width = max((len(slots) for slots in grid), default=0)
        if width == 0:
            return
        self._count(sum(width - len(slots) for slots in grid), where)
        out: list[list[Cell]] = []
        for r, slots in enumerate(grid):
            out.append([
                c if c is not None else Cell("", replace(where, row=r + 1, col=k + 1, detail="no cell"), merged=True)
                for k, c in enumerate(slots + [None] * (width - len(slots)))
            ])
        self.blocks.append(Table(rows=out, location=where))

    def _count(self, slots: int, where: Location) -> None:
        self.grid_cells += slots
        if self.grid_cells > MAX_GRID_CELLS:
            raise DocumentTooLargeError(
                self.path, f"the tables expand to over {MAX_GRID_CELLS:,} cells (rowspan/colspan; at {where})"
            )


def _picture(td: etree._Element) -> str:
    """``[image]`` (with its alt text) for a cell printed only as a picture, else ``''``.

    A picture is not a blank cell, and its alt text is not printed text: either way the value
    must be flagged, never read as blank or as a number.
    """
    img = td.find(".//img")
    if img is None:
        return ""
    alt = clean_text(img.get("alt") or "")
    return f"[image: {alt}]" if alt else "[image]"


def _is_report_table(table: etree._Element) -> bool:
    """A table carrying report labels (Simplified or Traditional)."""
    return is_report_text(etree.tostring(table, method="text", encoding=str, with_tail=False))


def _is_grid(table: etree._Element) -> bool:
    """A table with two columns somewhere; a one-column table is a text box and reads as prose."""
    for cells in _table_rows(table):
        if len(cells) > 1 or (cells and _span(cells[0].get("colspan"), _MAX_COLSPAN, 1) > 1):
            return True
    return False


def _prose_length(el: etree._Element, enough: int = 100) -> int:
    """Visible characters of an element outside its tables, counted up to ``enough``.

    Tells an article (prose around the tables) from a wrapper that holds only a table.
    """
    total = 0
    walker = etree.iterwalk(el, events=("start", "end"))
    for event, node in walker:
        if event == "start":
            if node.tag == "table":
                walker.skip_subtree()
                continue
            text = node.text
        else:
            text = node.tail if node is not el else None
        if text:
            total += len(text.strip())
            if total >= enough:
                break
    return total


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
    data = _xml_safe(html).encode("utf-8")
    reader = _Reader(path, _parse(path, data), line_offset=first_line - 1)
    etree.strip_elements(reader.root, *_SKIP, with_tail=False)
    leaves = reader.index_tables()
    for table in reader.table_number:
        reader.table_number[table] += first_table - 1
    _prepare(reader.root, _hidden_lines(data, data.lower()))
    for table in leaves:
        if _is_grid(table):
            reader.add_table(table)
    return [b for b in reader.blocks if isinstance(b, Table)]


def _parse(path: Path, data: bytes) -> etree._Element:
    parser = etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, compact=True, default_doctype=False
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:  # pragma: no cover - libxml2 recovers
        raise CorruptDocumentError(path, f"the HTML cannot be parsed: {exc}") from None
    for entry in parser.error_log:
        if entry.level_name != "FATAL":
            continue
        message = entry.message.strip()
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "depth" in message.lower():
            raise DocumentTooLargeError(path, f"over the HTML parser's limits at line {entry.line}: {message}")
        raise CorruptDocumentError(path, f"the HTML parser stopped at line {entry.line}: {message}")
    if root is None:
        raise EmptyDocumentError(path, "the page has no HTML content")
    return root


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
    decoded = decode(data, markup=True)
    text, codec, notes, exact = decoded.text, decoded.codec, list(decoded.notes), decoded.exact
    if codec.startswith("utf-16"):
        controls = len(_CONTROL.findall(text))
    else:  # in these charsets bytes 0x00-0x1f are never part of a multi-byte character
        controls = len(data.translate(None, _NOT_CONTROL_BYTES))
    bad = controls + (text.count("\ufffd") if "\ufffd" in text else 0)
    if bad > max(16, len(text) // 10):
        raise CorruptDocumentError(path, f"binary data, not an HTML page ({bad:,} control or undecodable characters)")
    if controls:
        text = _xml_safe(text)
        notes.append(f"{controls} control character(s) removed")
        exact = False
    if not text.strip():
        raise EmptyDocumentError(path, "the file has no text")
    encoded = data if exact else text.encode("utf-8")
    low = encoded.lower()
    encoded = _without_document_end(encoded, low)
    if len(encoded) != len(low):
        low = encoded.lower()
    reader = _Reader(path, _parse(path, encoded))
    reader.notes.extend([f"decoded as {codec}", *notes])
    reader.add_title()
    etree.strip_elements(reader.root, *_SKIP, with_tail=False)
    container = reader.find_container(reader.index_tables())
    _prepare(container, _hidden_lines(encoded, low))
    reader.walk(container)
    if not reader.blocks:
        raise EmptyDocumentError(path, "the page has no visible text")
    return Document(source=str(path), blocks=reader.blocks, format="html", notes=reader.notes)
