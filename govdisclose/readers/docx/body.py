"""The body walker: WordprocessingML paragraphs, runs and text boxes to :class:`~govdisclose.readers.model.Paragraph` blocks.

Tables are read by :class:`~govdisclose.readers.docx.tables.TableReader`, which this reader
extends; a table that holds tables is a layout frame whose cells are walked as block content.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from lxml import etree

from govdisclose.exceptions import DocumentTooLargeError
from govdisclose.readers.docx.numbering import PUA, Numbering
from govdisclose.readers.docx.styles import STRUCK_CELL, RunStyles
from govdisclose.readers.docx.tables import Limits, TableReader
from govdisclose.readers.docx.tags import MC, Tags
from govdisclose.readers.grid import CellBudget
from govdisclose.readers.model import Document, Location, Paragraph

__all__ = ["Tags", "BodyReader", "Limits", "picture_ids"]

_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def picture_ids(drawing: etree._Element) -> list[str]:
    """The relationship ids of the pictures a ``w:drawing`` (``a:blip r:embed``) or ``w:pict``
    (``v:imagedata r:id``) shows."""
    ids = [b.get(_R + "embed") for b in drawing.iter(_BLIP)] + [v.get(_R + "id") for v in drawing.iter(_IMAGEDATA)]
    return [i for i in ids if i]


class BodyReader(TableReader):
    """Turns body-level elements into blocks, one at a time (the parse is streamed)."""

    def __init__(self, path: Path, ns: str, numbering: Numbering | None, limits: Limits, styles: etree._Element | None = None) -> None:
        self.path = path
        self.tag = Tags(ns)
        self.numbering = numbering
        self.limits = limits
        self.source = str(path)
        self.doc = Document(source=self.source, format="docx")
        self.paragraphs = 0  # body paragraphs seen, empty ones included
        self.tables = 0
        self.budget = CellBudget(path, limits.cells, "gridSpan/vMerge")
        self.pictures = 0
        self.embeds: list[tuple[int, str]] = []  # (position in doc.blocks, relationship id) of each embedded picture
        self.hidden_notes: set[str] = set()
        self.looks = RunStyles(styles, self.tag.w)
        self.paragraph_style: str | None = None  # the style of the paragraph being read
        self.struck = 0  # struck-through runs with text left out so far

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

    def _style_of(self, p: etree._Element) -> None:
        w = self.tag.w
        style = p.find(f"{w}pPr/{w}pStyle")
        self.paragraph_style = style.get(w + "val") if style is not None else None

    def _paragraph(self, p: etree._Element, location: Location) -> None:
        self._style_of(p)
        parts: list[str] = [self._number(p, "\t")]
        boxes: list[etree._Element] = []
        self._inline(p, parts, boxes, "\t")
        text = "".join(parts).strip()
        if text:
            if len(self.doc.blocks) >= self.limits.blocks:
                raise DocumentTooLargeError(self.path, f"the document holds more than {self.limits.blocks} paragraphs and tables")
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
                self._run(child, out, boxes, tab)
            elif tag == t.txbxContent:
                boxes.append(child)
            elif tag == t.drawing or tag == t.pict:
                self.pictures += 1
                self.embeds.extend((len(self.doc.blocks), rid) for rid in picture_ids(child))
                self._inline(child, out, boxes, tab)
            elif tag == MC + "AlternateContent":
                choice = child.find(MC + "Choice")
                self._inline(choice if choice is not None else child, out, boxes, tab)
            elif tag == MC + "Fallback" or tag in (t.p, t.tbl):
                continue
            else:
                self._inline(child, out, boxes, tab)

    def _number(self, p: etree._Element, tab: str) -> str:
        if self.numbering is None:
            return ""
        return self.numbering.label(p.find(self.tag.w + "pPr"), self.tag.w, tab)

    def _run(self, run: etree._Element, out: list[str], boxes: list[etree._Element], tab: str) -> None:
        """A run's text as printed: none if hidden or struck through, behind a mark if raised or lowered."""
        look = self.looks.look(run.find(self.tag.rPr), self.paragraph_style)
        if look.vanish:
            self._note("hidden (vanish) text was left out")
            return
        if not (look.struck or look.mark):
            self._inline(run, out, boxes, tab)
            return
        own: list[str] = []
        self._inline(run, own, boxes, tab)
        text = "".join(own)
        if look.struck:
            if text.strip():
                self.struck += 1
                self._note("struck-through text (w:strike) was left out")
            return
        out.append(look.mark + text if text.strip() else text)

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
        struck = self.struck
        for el in self._block_children(tc):
            if el.tag == self.tag.p:
                self._style_of(el)
                parts: list[str] = [self._number(el, " ")]
                self._inline(el, parts, boxes, " ")
                lines.append("".join(parts))
        if boxes:
            self._note(f"{where}: a text box inside the cell was not read")
        text = "\n".join(lines).strip()
        return STRUCK_CELL if not text and self.struck > struck else text

