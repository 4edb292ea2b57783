"""What a reader of the page sees (spec §4a): hidden and struck-through text left out, footnote marks kept apart, form values shown.

Run once over the parsed page, after ``<script>``/``<style>`` are stripped, with the page's own
stylesheet (:class:`~govdisclose.readers.html.css.Stylesheet`, read before the strip):

* ``display:none`` (a ``style`` attribute, a stylesheet rule, the ``hidden`` attribute) empties
  the element; ``visibility:hidden`` empties it too, except descendants that set
  ``visibility:visible`` again. Wherever the attribute sits in the source, however far from
  the text it hides: each element is looked at, not a window of lines.
* Struck-through text (``<del>``, ``<s>``, ``<strike>``, ``text-decoration: line-through``
  from a ``style`` attribute or a class) is not part of what is printed: ``<del>70</del>71``
  reads ``71``. A table cell whose whole content is struck reads ``[struck-through]``, so it is
  flagged, never taken for a blank.
* A superscript or subscript (``<sup>``, ``<sub>``, ``vertical-align: super|sub``) is a footnote
  mark: it is kept behind a ``^`` (``_`` for a subscript), so ``71<sub>1</sub>`` reads ``71_1``
  (unreadable as a number), never ``711``.
* A form field shows its value: ``<input value="71">`` (text-like types), a ``<textarea>``'s
  text, a ``<select>``'s selected option become text (:func:`show_form_fields`, run before the
  strip, since the fields are stripped with the other non-text elements).

>>> from lxml import etree
>>> from govdisclose.readers.html.css import Stylesheet
>>> root = etree.fromstring('<p><del>70</del>71 <span class="x">9</span>8<sub>1</sub></p>', etree.HTMLParser())
>>> changes = apply_visibility(root, Stylesheet.parse(".x{display:none}"))
>>> etree.tostring(root.find(".//p"), method="text", encoding=str), changes.notes()
('71 8_1', ['text hidden by the page (display:none or visibility:hidden) was left out (1 place)', 'struck-through text was left out (1 place)'])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

from lxml import etree

from govdisclose.readers.html.css import Stylesheet, computed

__all__ = ["apply_visibility", "show_form_fields", "Changes", "STRUCK_ATTR", "STRUCK_CELL"]

#: Attribute set on a table cell some of whose text was struck through.
STRUCK_ATTR = "data-govdisclose-struck"

#: The text of a cell whose whole content is struck through.
STRUCK_CELL = "[struck-through]"

_STRUCK_TAGS = ("del", "s", "strike")
_MARK_TAGS = {"sup": "^", "sub": "_"}
_MARK_ALIGN = {"super": "^", "sub": "_"}
_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr"})
_CELLS = ("td", "th")
_TEXT_INPUTS = frozenset({
    "", "text", "number", "search", "tel", "email", "url", "date", "datetime-local", "month", "week", "time",
})
_KEPT_ATTRIBUTES = ("style", "class", "id", "hidden")


_STYLES = etree.XPath(".//@style")
_STYLE_TEXTS = etree.XPath(".//@style", smart_strings=False)  # plain strings: no parent kept per value
_HIDDEN_ATTR = etree.XPath(".//*[@hidden]")


@lru_cache(maxsize=4096)
def _may_set(style: str) -> bool:
    """Whether a ``style`` attribute may set a property read (pages repeat a few styles on every cell)."""
    text = style if style.islower() else style.lower()
    return "display" in text or "visibility" in text or "text-decoration" in text or "vertical-align" in text


def _styled(root: etree._Element) -> list[etree._Element]:
    """Elements whose ``style`` may set a property read, and those with the ``hidden`` attribute.

    Most pages style every table cell (borders, padding) and none of those styles sets a
    property read: the attribute values are first looked at as plain strings, and the elements
    are only looked up when some value may set one.
    """
    hidden = cast("list[etree._Element]", _HIDDEN_ATTR(root))
    if not any(map(_may_set, cast("list[str]", _STYLE_TEXTS(root)))):
        return hidden
    found: list[etree._Element] = []
    for style in cast("list[Any]", _STYLES(root)):  # lxml "smart" strings: str with getparent()
        if _may_set(str(style)):  # (a plain copy as the cache's key: a smart string keeps its tree alive)
            found.append(style.getparent())
    return found + hidden


def _has_text(el: etree._Element) -> bool:
    return bool(etree.tostring(el, method="text", encoding=str, with_tail=False).strip())


def _as_text(el: etree._Element, text: str) -> None:
    """Turn a form field into a ``<span>`` holding ``text`` (its tail and hiding attributes kept)."""
    kept = {name: el.get(name) for name in _KEPT_ATTRIBUTES if el.get(name) is not None}
    tail = el.tail
    el.clear()
    el.tag = "span"
    for name, value in kept.items():
        el.set(name, value or "")
    el.text = text or None
    el.tail = tail


def show_form_fields(root: etree._Element) -> int:
    """Replace form fields by the text they show; returns how many showed any.

    >>> root = etree.fromstring('<p><input value="71"><input type="hidden" value="9"><select>'
    ...     '<option>1</option><option selected>2</option></select><textarea>3</textarea></p>', etree.HTMLParser())
    >>> show_form_fields(root), etree.tostring(root.find(".//p"), method="text", encoding=str)
    (3, '7123')
    """
    shown = 0
    for el in list(root.iter("input", "textarea", "select")):
        if el.tag == "input":
            if (el.get("type") or "").strip().lower() not in _TEXT_INPUTS:
                continue  # hidden fields, buttons, check boxes: no printed value
            text = el.get("value") or ""
        elif el.tag == "textarea":
            text = "".join(str(t) for t in el.itertext())
        else:
            options = list(el.iter("option"))
            chosen = [o for o in options if o.get("selected") is not None]
            if not chosen and options and el.get("multiple") is None:
                chosen = options[:1]  # a drop-down shows its first option when none is selected
            text = " ".join("".join(str(t) for t in o.itertext()).strip() for o in chosen)
        _as_text(el, text)
        shown += bool(text.strip())
    return shown


def _empty(el: etree._Element) -> None:
    """Remove an element's content (text and children), keeping its attributes and tail."""
    el.text = None
    for child in list(el):
        el.remove(child)


def _hide_visibility(el: etree._Element, shown: Callable[[etree._Element], bool]) -> None:
    """Blank the text under ``el`` except inside descendants set ``visibility:visible`` (``shown``)."""
    stack = [el]
    while stack:
        node = stack.pop()
        node.text = None
        for child in node:
            child.tail = None  # a child's tail is its parent's text
            if isinstance(child.tag, str) and not shown(child):
                stack.append(child)


def _attached(el: etree._Element, root: etree._Element) -> bool:
    """Whether ``el`` is still in the tree (hiding an ancestor detaches its descendants)."""
    return el is root or any(a is root for a in el.iterancestors())


def _strike(el: etree._Element) -> bool:
    """Leave out an element's struck text; mark the table cell it sits in. True if text went."""
    if not _has_text(el):
        return False
    cell = el if el.tag in _CELLS else next(el.iterancestors(*_CELLS), None)
    _empty(el)
    if cell is not None:
        cell.set(STRUCK_ATTR, "1")
    return True


def apply_visibility(root: etree._Element, sheet: Stylesheet) -> Changes:
    """Leave out what the page does not show or strikes through; mark sub/superscripts.

    Returns what was left out (:meth:`Changes.notes` words it for the document).
    """
    if sheet.rules and not sheet.matters:
        sheet = Stylesheet(skipped=sheet.skipped)  # its rules change nothing a reader sees
    candidates: dict[etree._Element, None] = {}
    candidates.update(dict.fromkeys(_styled(root)))
    if sheet.rules:
        candidates.update(dict.fromkeys(sheet.candidates(root)))
    candidates.update(dict.fromkeys(root.iter(*_STRUCK_TAGS, *_MARK_TAGS)))
    hide: list[etree._Element] = []
    invisible: list[etree._Element] = []
    visible: set[etree._Element] = set()
    struck: list[etree._Element] = []
    marks: list[tuple[etree._Element, str]] = []
    for el in candidates:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        props = computed(el, sheet) if sheet.rules or el.get("style") is not None else {}
        display = props.get("display")
        if display == "none" or (display is None and el.get("hidden") is not None):
            hide.append(el)
            continue
        visibility = props.get("visibility")
        if visibility in ("hidden", "collapse"):
            invisible.append(el)
        elif visibility == "visible":
            visible.add(el)
        if tag in _STRUCK_TAGS or "line-through" in props.get("text-decoration", ""):
            struck.append(el)
        mark = _MARK_TAGS.get(tag) or _MARK_ALIGN.get(props.get("vertical-align", ""))
        if mark:
            marks.append((el, mark))
    changes = Changes(skipped=list(sheet.skipped))
    for el in hide:
        if _has_text(el):
            changes.hidden.append(el)
        tail = el.tail
        el.clear()
        el.text, el.tail = "", tail
    def shown(el: etree._Element) -> bool:
        if el in visible:
            return True
        return shows_again and el not in candidates and computed(el, sheet).get("visibility") == "visible"

    shows_again = sheet.shows_again
    for el in invisible:
        if _attached(el, root) and _has_text(el):
            changes.hidden.append(el)
            _hide_visibility(el, shown)
    for el in struck:
        if not _attached(el, root):
            continue
        for target in list(el.iter(*_CELLS)) if el.tag in _TABLE_PARTS else [el]:
            if _strike(target):
                changes.struck.append(target)
    for el, mark in marks:
        if _attached(el, root) and _has_text(el):
            el.text = mark + (el.text or "")
    return changes


@dataclass(slots=True)
class Changes:
    """What :func:`apply_visibility` left out: the elements emptied, and the stylesheet rules not applied."""

    hidden: list[etree._Element] = field(default_factory=list)
    struck: list[etree._Element] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def notes(self, within: etree._Element | None = None) -> list[str]:
        """Notes for the document, counting only what lies in ``within`` (the part read)."""
        def count(elements: list[etree._Element]) -> int:
            if within is None:
                return len(elements)
            return sum(1 for el in elements if el is within or any(a is within for a in el.iterancestors()))

        notes: list[str] = []
        hidden, struck = count(self.hidden), count(self.struck)
        if hidden:
            notes.append(f"text hidden by the page (display:none or visibility:hidden) was left out ({_places(hidden)})")
        if struck:
            notes.append(f"struck-through text was left out ({_places(struck)})")
        if self.skipped:
            shown = ", ".join(repr(s) for s in self.skipped[:3])
            notes.append(f"{len(self.skipped)} stylesheet rule(s) that hide or strike text were not applied (selectors not supported: {shown})")
        return notes


def _places(n: int) -> str:
    return f"{n} place" if n == 1 else f"{n} places"
