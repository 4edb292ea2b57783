"""How a run looks where that decides what is printed (spec §4a): hidden, struck through, raised or lowered.

A run's ``w:vanish``, ``w:strike``/``w:dstrike`` and ``w:vertAlign`` come from its own
``w:rPr``, else its character style (``w:rStyle``), else its paragraph's style (``w:pStyle``,
or the default paragraph style), else the document defaults (``w:rPrDefault``), each style
through its ``w:basedOn`` chain: the nearest explicit setting wins.

>>> from lxml import etree
>>> W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
>>> styles = etree.fromstring(
...     f'<w:styles xmlns:w="{W}"><w:style w:type="character" w:styleId="Del"><w:rPr><w:strike/></w:rPr></w:style>'
...     f'<w:style w:type="character" w:styleId="Note"><w:basedOn w:val="Del"/><w:rPr><w:strike w:val="0"/>'
...     f'<w:vertAlign w:val="superscript"/></w:rPr></w:style></w:styles>')
>>> looks = RunStyles(styles, "{" + W + "}")
>>> rpr = etree.fromstring(f'<w:rPr xmlns:w="{W}"><w:rStyle w:val="Del"/></w:rPr>')
>>> looks.look(rpr, None), looks.look(etree.fromstring(f'<w:rPr xmlns:w="{W}"><w:rStyle w:val="Note"/></w:rPr>'), None)
(Look(vanish=False, struck=True, mark=''), Look(vanish=False, struck=False, mark='^'))
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

__all__ = ["Look", "RunStyles", "STRUCK_CELL", "MARKS"]

#: The text of a table cell whose whole content is struck through (the HTML reader's too).
STRUCK_CELL = "[struck-through]"

#: The mark kept before raised and lowered text, so a footnote mark never runs into a number.
MARKS = {"superscript": "^", "subscript": "_"}

_OFF = frozenset({"0", "false", "off", "none"})


@dataclass(frozen=True, slots=True)
class Look:
    """What a run's formatting does to its text: not shown, struck through, or marked (``^``/``_``)."""

    vanish: bool = False
    struck: bool = False
    mark: str = ""


# One level's explicit settings: vanish, struck (None: not set there) and vertAlign.
_Own = tuple[bool | None, bool | None, str | None]
_NOTHING: _Own = (None, None, None)


class RunStyles:
    """The styles part's run formatting, resolved through ``basedOn`` (cycles stop)."""

    def __init__(self, styles: etree._Element | None, w: str) -> None:
        self.w = w
        self.own: dict[str, _Own] = {}
        self.based: dict[str, str] = {}
        self.default_paragraph: str | None = None
        self.defaults: _Own = _NOTHING
        self._cache: dict[tuple[str | None, str | None], _Own] = {}
        if styles is None:
            return
        sw = styles.tag.split("}")[0] + "}" if styles.tag.startswith("{") else w
        defaults = styles.find(f"{sw}docDefaults/{sw}rPrDefault/{sw}rPr")
        if defaults is not None:
            self.defaults = self._settings(defaults, sw)
        for style in styles.iter(sw + "style"):
            sid = style.get(sw + "styleId", "")
            parent = style.find(sw + "basedOn")
            if parent is not None:
                self.based[sid] = parent.get(sw + "val", "")
            rpr = style.find(sw + "rPr")
            if rpr is not None:
                self.own[sid] = self._settings(rpr, sw)
            if style.get(sw + "type") == "paragraph" and style.get(sw + "default") in ("1", "true", "on"):
                self.default_paragraph = sid

    @staticmethod
    def _settings(rpr: etree._Element, w: str) -> _Own:
        def toggle(*names: str) -> bool | None:
            found: bool | None = None
            for name in names:
                el = rpr.find(w + name)
                if el is not None:
                    on = (el.get(w + "val") or "true").lower() not in _OFF
                    found = on or bool(found)
            return found

        align = rpr.find(w + "vertAlign")
        return (toggle("vanish"), toggle("strike", "dstrike"), (align.get(w + "val") or "baseline") if align is not None else None)

    def _chain(self, sid: str | None) -> _Own:
        """A style's settings with its ``basedOn`` ancestors' filling what it leaves unset."""
        vanish, struck, align = _NOTHING
        seen: set[str] = set()
        while sid and sid not in seen and len(seen) < 32:
            seen.add(sid)
            own = self.own.get(sid, _NOTHING)
            vanish = own[0] if vanish is None else vanish
            struck = own[1] if struck is None else struck
            align = own[2] if align is None else align
            sid = self.based.get(sid)
        return (vanish, struck, align)

    def look(self, rpr: etree._Element | None, paragraph_style: str | None) -> Look:
        """How a run with properties ``rpr`` in a paragraph of style ``paragraph_style`` looks."""
        w = self.w
        own = self._settings(rpr, w) if rpr is not None else _NOTHING
        char_el = rpr.find(w + "rStyle") if rpr is not None else None
        char_style = char_el.get(w + "val") if char_el is not None else None
        key = (char_style, paragraph_style)
        inherited = self._cache.get(key)
        if inherited is None:
            char, para, dflt = self._chain(char_style), self._chain(paragraph_style or self.default_paragraph), self.defaults
            inherited = (
                next((lv[0] for lv in (char, para, dflt) if lv[0] is not None), None),
                next((lv[1] for lv in (char, para, dflt) if lv[1] is not None), None),
                next((lv[2] for lv in (char, para, dflt) if lv[2] is not None), None),
            )
            self._cache[key] = inherited
        vanish = own[0] if own[0] is not None else inherited[0]
        struck = own[1] if own[1] is not None else inherited[1]
        align = own[2] if own[2] is not None else inherited[2]
        return Look(bool(vanish), bool(struck), MARKS.get(align or "", ""))
