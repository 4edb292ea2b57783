"""Plain text and Markdown: tab-separated rows, pipe tables, loose ``label  value`` lines.

Three shapes of text reach us:

* conversions that keep cells apart with tabs (the seed report, ``mfa_2023.txt``),
* Markdown from PDF converters, with ``| a | b |`` pipe tables and ``#`` headings,
* a crawler's rendering in which cells run together: read here as paragraphs, with the decoded
  text kept in ``Document.text_source`` for :mod:`govdisclose.mapping.flattened`, which finds
  the tables in it by the template's wording.

Each line becomes a :class:`~govdisclose.readers.model.Paragraph`, except table rows, which are grouped into
:class:`~govdisclose.readers.model.Table` blocks; blank lines end a table. A short line made of a label and
space-separated values (``行政许可 97``) is read as a one-row table, since converters often lose
the grid of small tables.

>>> from govdisclose.corpus.paths import sample_path
>>> doc = read(sample_path("mfa_2023.txt"), sample_path("mfa_2023.txt").read_bytes())
>>> row = next(r for t in doc.tables for r in t.rows if "本年新收" in r[0].text)
>>> [c.text for c in row if c.text], str(row[2].location)
(['一、本年新收政府信息公开申请数量', '18', '0', '0', '0', '0', '0', '18'], 'line 46, cell 3')
"""

from __future__ import annotations

import re
from pathlib import Path

from govdisclose.exceptions import EmptyDocumentError
from govdisclose.readers.encoding import decode_text
from govdisclose.readers.model import Document, Location, Paragraph, Table, lazy_cell
from govdisclose.template.markers import PROSE_WORDS
from govdisclose.template.normalize import norm
from govdisclose.template.values import is_value_text

__all__ = ["read", "decode_text"]

_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_VALUE_TOKEN = r"(?:[+\-]?[\d０-９][\d０-９,，.．]*(?:万元|元|件)?|/|／|—+|-|无)"
_LOOSE_ROW = re.compile(
    r"^(?P<label>(?:[\d０-９]{1,2}[.．、]\s*)?[^\d０-９\s|][^|\t]*?)\s+(?P<values>" + _VALUE_TOKEN + r"(?:\s+" + _VALUE_TOKEN + r")*)\s*$"
)
_NUMBERS_LINE = re.compile(r"^" + _VALUE_TOKEN + r"(?:\s+" + _VALUE_TOKEN + r")+\s*$")
_SENTENCE_PUNCT = re.compile(r"[，。；：！？,;!?]")
_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")
_EMPHASIS = re.compile(r"^(\*\*|__)(.*)\1$")
_STRUCK = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
#: A cell whose whole content is struck through (the HTML and DOCX readers print the same).
STRUCK_CELL = "[struck-through]"


def _split_pipe_row(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [_plain(part) for part in body.split("|")]


def _plain(cell: str) -> str:
    """A Markdown cell without its emphasis marks (``**规章**`` → ``规章``) and without struck-through
    text (``~~70~~71`` → ``71``: what a reader of the page sees, spec §4a); a cell struck through
    whole reads ``[struck-through]`` (as the HTML and DOCX readers print it), never blank.

    >>> _plain("**规章**"), _plain("~~70~~71"), _plain(" ~~71~~ ")
    ('规章', '71', '[struck-through]')
    """
    text = cell.strip()
    if "~~" in text:
        kept = _STRUCK.sub("", text).strip()
        if kept != text:
            text = kept or STRUCK_CELL
    match = _EMPHASIS.match(text)
    return match.group(2).strip() if match else text


def _loose_row(line: str) -> list[str] | None:
    """``行政许可 97`` → ['行政许可', '97']; a line of numbers only → ['', '1', '0', …]; None for prose.

    >>> _loose_row("2.其他法律行政法规禁止公开  6  1  0  0  0  0  7")[:3]
    ['2.其他法律行政法规禁止公开', '6', '1']
    >>> _loose_row("全年共收到申请 18")  # a sentence, not a row
    """
    line = _plain(line)
    if _NUMBERS_LINE.match(line.strip()):
        return ["", *line.split()]
    match = _LOOSE_ROW.match(line.strip())
    if not match:
        return None
    label = match["label"].strip()
    if (_SENTENCE_PUNCT.search(_BRACKETED.sub("", label)) or len(norm(label)) > 60
            or not re.search(r"[\u4e00-\u9fff]", label) or _looks_like_prose(label)):
        return None
    values = match["values"].split()
    if not all(is_value_text(v) for v in values):
        return None
    return [label, *values]


def read(path: Path, data: bytes) -> Document:
    """Read a text or Markdown report into a :class:`Document`."""
    notes: list[str] = []
    text = decode_text(path, data, notes)
    if not text.strip():
        raise EmptyDocumentError(path, "holds no text")
    source = str(path)
    doc = Document(source=source, format="text", notes=notes)
    lines = text.splitlines()
    current: Table | None = None
    html_block: list[str] = []
    html_start = 0
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if html_block or stripped.lower().startswith("<table"):  # an HTML table inside Markdown
            if not html_block:
                html_start = number
            html_block.append(line)
            if "</table>" in stripped.lower():
                _add_html_tables(doc, path, "\n".join(html_block), html_start)
                html_block, current = [], None
            continue
        cells: list[str] | None = None
        if "\t" in line and stripped:
            cells = [part.strip() for part in line.split("\t")]
        elif stripped.startswith("|") and stripped.count("|") >= 2:
            if _MD_SEPARATOR.match(stripped):
                continue
            cells = _split_pipe_row(stripped)
        elif stripped:
            cells = _loose_row(_HEADING.sub("", stripped))
            if cells is not None:
                current = None  # a loose row stands alone
        if cells is None:
            current = None
            if stripped:
                doc.blocks.append(Paragraph(_HEADING.sub("", stripped), Location(source, line=number)))
            continue
        # Location(source, line=number, cell=k), made only for the cells whose location is asked for
        row = [lazy_cell(t, Location, (source, None, None, None, None, None, number, k)) for k, t in enumerate(cells, start=1)]
        if current is None:
            current = Table(rows=[], location=Location(source, line=number))
            doc.blocks.append(current)
        current.rows.append(row)
    if html_block:  # a table left open at the end of the file
        _add_html_tables(doc, path, "\n".join(html_block), html_start)
    doc.text_source = text
    return doc


def _add_html_tables(doc: Document, path: Path, block: str, first_line: int) -> None:
    from govdisclose.readers.html import read_tables

    doc.blocks.extend(read_tables(block, str(path), first_line=first_line, first_table=len(doc.tables) + 1))


def _looks_like_prose(label: str) -> bool:
    """A sentence fragment that happens to end in a number (``全年共收到申请 18``)."""
    return bool(PROSE_WORDS.search(norm(label)))
