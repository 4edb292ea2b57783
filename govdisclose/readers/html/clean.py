"""What a browser shows of an HTML tree: block boundaries marked, white space collapsed.

:func:`prepare` runs once over the part of the page that is read, so that a cell's or caption's
text is then one C-level text serialisation away (:func:`element_text`); :func:`clean_text`
collapses white space the way a browser shows it.
"""

from __future__ import annotations

import re
from typing import cast

from lxml import etree

__all__ = ["clean_text", "element_text", "prepare", "xml_safe", "picture", "source_line", "SKIP", "BLOCK_SET", "CONTROL"]

# Characters lxml refuses in text (XML 1.0): C0 controls but tab/newline/CR, and U+FFFE/U+FFFF.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


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
    text = xml_safe(_INVISIBLE.sub("", text))  # character references (&#1;) can put controls in
    text = _SPACE_NEAR_CJK.sub("", text)
    return _SPACES.sub(" ", text).strip()


#: Elements whose content is never shown as text (removed before reading).
SKIP = (
    "script style noscript template iframe frame frameset object embed applet select option optgroup "
    "button input textarea svg math map area audio video canvas head title meta link base nav"
).split()

#: Elements that start a new line: their text is kept apart from their neighbours'.
_BLOCK = (
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu ol p pre "
    "section summary table tbody td tfoot th thead tr ul br"
).split()


BLOCK_SET = frozenset(_BLOCK)


def source_line(el: etree._Element) -> int | None:
    line = el.sourceline
    return line if isinstance(line, int) and line > 0 else None


def element_text(el: etree._Element) -> str:
    """The visible text of one element (after :func:`prepare` marked its block boundaries)."""
    if not len(el):  # no children (nor comments): the text serialisation is the element's own text
        return clean_text(el.text or "")
    return clean_text(etree.tostring(el, method="text", encoding=str, with_tail=False))


#: The elements inside table cells and captions: theirs are the only block boundaries that show in a
#: text read by serialising an element (:func:`element_text`); prose is read piece by piece, split
#: at every block element.
_IN_CELLS = etree.XPath("(descendant::td | descendant::th | descendant::caption)/descendant::*")


def prepare(root: etree._Element) -> None:
    """Mark block boundaries with a line break, once over the part of the tree that is read.

    A cell's or caption's text is then one C-level text serialisation away. Only the block
    elements inside cells and captions are marked: the boundaries of the cell itself and of the
    prose around tables would only add white space at the ends of a text, which
    :func:`clean_text` strips (cells, rows and paragraphs are most of a page's block elements,
    so most of the work is saved). What the page hides or strikes through was left out before
    (:mod:`govdisclose.readers.html.visible`).
    """
    for el in cast("list[etree._Element]", _IN_CELLS(root)):
        if el.tag not in BLOCK_SET:
            continue
        text, tail = el.text, el.tail
        try:  # _set_text(el, "\n", text, "\n", tail), inlined for the common case
            el.text = "\n" + text if text else "\n"
            el.tail = "\n" + tail if tail else "\n"
        except ValueError:
            _set_text(el, "\n", text, "\n", tail)


def _set_text(el: etree._Element, before: str, text: str | None, after: str, tail: str | None) -> None:
    """Prefix an element's text and tail; lxml refuses control characters that character
    references (``&#1;``) put into the tree, so those are dropped when present."""
    try:
        el.text = before + text if text else before
        el.tail = after + tail if tail else after or None
    except ValueError:
        el.text = before + xml_safe(text or "")
        el.tail = after + xml_safe(tail or "") or None


def xml_safe(text: str) -> str:
    """Drop the characters lxml refuses (a form feed is white space: it becomes a space)."""
    return CONTROL.sub("", text.replace("\x0c", " "))


def picture(td: etree._Element) -> str:
    """``[image]`` (with its alt text) for a cell printed only as a picture, else ``''``.

    A picture is not a blank cell, and its alt text is not printed text: either way the value
    must be flagged, never read as blank or as a number.
    """
    img = td.find(".//img")
    if img is None:
        return ""
    alt = clean_text(img.get("alt") or "")
    return f"[image: {alt}]" if alt else "[image]"

