"""Word's automatic list numbers: the ``一、``, ``（一）``, ``1.`` a numbered paragraph prints.

Word does not store these numbers in the paragraph text: ``numbering.xml`` defines lists (per
level a start, a number format and a pattern like ``%1、``), a paragraph (or its style, through
``basedOn`` chains) names a list and a level, and the number is counted as the document is read.
:class:`Numbering` holds the definitions and the counters; :func:`format_number` writes one
number in a ``w:numFmt`` format (``chineseCounting`` → ``二十一``).

>>> from lxml import etree
>>> W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
>>> numbering = etree.fromstring(
...     f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0">'
...     '<w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/>'
...     '</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
>>> ppr = etree.fromstring(f'<w:pPr xmlns:w="{W}"><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>')
>>> lists = Numbering(numbering, None)
>>> [lists.label(ppr, "{" + W + "}", "\t") for _ in range(3)]
['一、', '二、', '三、']
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

__all__ = ["Numbering", "Level", "format_number", "int_val", "PUA"]

#: Unicode's private-use area: symbol-font glyphs with no printable meaning (bullets drawn by a font).
PUA = range(0xE000, 0xF900)


def int_val(el: etree._Element | None, attr: str, default: int) -> int:
    """The integer attribute ``attr`` of ``el``; ``default`` when the element or a readable value is missing."""
    if el is None:
        return default
    try:
        return int(el.get(attr, default))
    except (TypeError, ValueError):
        return default


_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def _chinese(n: int, digits: str = _CN_DIGITS, units: str = "十百千") -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (up to 9999; decimal beyond)."""
    if not 0 < n < 10000:
        return str(n)
    parts: list[str] = []
    zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // power % 10
        if d:
            if zero:
                parts.append(digits[0])
            parts.append(("" if (d == 1 and power == 10 and n < 20) else digits[d]) + unit)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)


def _letters(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, glyph in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += glyph
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    """A list number in one of Word's ``w:numFmt`` formats.

    >>> [format_number(n, "chineseCounting") for n in (1, 10, 12, 20, 21)]
    ['一', '十', '十二', '二十', '二十一']
    >>> format_number(3, "decimalEnclosedCircle"), format_number(28, "upperLetter"), format_number(4, "lowerRoman")
    ('③', 'BB', 'iv')
    """
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "koreanCounting"):
        return _chinese(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        return _chinese(n, _CN_LEGAL, "拾佰仟")
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt in ("ideographTraditional",):
        return _TIANGAN[(n - 1) % 10]
    if fmt in ("ideographZodiac",):
        return _DIZHI[(n - 1) % 12]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 0 < n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 0 < n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 0 < n <= 20 else f"{n}."
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "none":
        return ""
    return str(n)


@dataclass(slots=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    suffix: str = "tab"
    legal: bool = False
    style: str | None = None


class Numbering:
    """Word's list definitions and counters: the number a numbered paragraph prints."""

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None) -> None:
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, Level]]] = {}
        self.style_numpr: dict[str, tuple[str | None, int | None]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        if numbering is not None:
            w = numbering.tag.split("}")[0] + "}"
            self.w = w
            for abstract in numbering.iter(w + "abstractNum"):
                self.abstracts[abstract.get(w + "abstractNumId", "")] = {
                    int_val(lvl, w + "ilvl", 0): self._level(lvl, w) for lvl in abstract.iter(w + "lvl")
                }
            for num in numbering.iter(w + "num"):
                ref = num.find(w + "abstractNumId")
                starts: dict[int, int] = {}
                levels: dict[int, Level] = {}
                for override in num.iter(w + "lvlOverride"):
                    ilvl = int_val(override, w + "ilvl", 0)
                    start = override.find(w + "startOverride")
                    if start is not None:
                        starts[ilvl] = int_val(start, w + "val", 1)
                    lvl = override.find(w + "lvl")
                    if lvl is not None:
                        levels[ilvl] = self._level(lvl, w)
                self.nums[num.get(w + "numId", "")] = (ref.get(w + "val", "") if ref is not None else "", starts, levels)
        if styles is not None:
            w = styles.tag.split("}")[0] + "}"
            based: dict[str, str] = {}
            own: dict[str, tuple[str | None, int | None]] = {}
            for style in styles.iter(w + "style"):
                sid = style.get(w + "styleId", "")
                parent = style.find(w + "basedOn")
                if parent is not None:
                    based[sid] = parent.get(w + "val", "")
                numpr = style.find(f"{w}pPr/{w}numPr")
                if numpr is not None:
                    num_el, ilvl_el = numpr.find(w + "numId"), numpr.find(w + "ilvl")
                    own[sid] = (num_el.get(w + "val") if num_el is not None else None,
                                int_val(ilvl_el, w + "val", 0) if ilvl_el is not None else None)
            for sid in set(own) | set(based):
                found_id: str | None = None
                found_lvl: int | None = None
                cur = sid
                for _ in range(16):  # basedOn chains are short; a cycle stops here
                    got = own.get(cur, (None, None))
                    found_id = found_id if found_id is not None else got[0]
                    found_lvl = found_lvl if found_lvl is not None else got[1]
                    if cur not in based:
                        break
                    cur = based[cur]
                if found_id is not None:
                    self.style_numpr[sid] = (found_id, found_lvl)

    @staticmethod
    def _level(lvl: etree._Element, w: str) -> Level:
        def val(name: str) -> str | None:
            el = lvl.find(w + name)
            return el.get(w + "val") if el is not None else None

        start = val("start")
        return Level(
            start=int(start) if start and start.lstrip("-").isdigit() else 1,
            fmt=val("numFmt") or "decimal",
            text=val("lvlText") or "",
            suffix=val("suff") or "tab",
            legal=lvl.find(w + "isLgl") is not None,
            style=val("pStyle"),
        )

    def label(self, ppr: etree._Element | None, w: str, tab: str) -> str:
        """The number printed before a paragraph (``""`` when it has none); advances the counters."""
        if ppr is None or (not self.nums):
            return ""
        style_el = ppr.find(w + "pStyle")
        style = style_el.get(w + "val") if style_el is not None else None
        num_id, ilvl = self.style_numpr.get(style or "", (None, None))
        numpr = ppr.find(w + "numPr")
        if numpr is not None:
            num_el, lvl_el = numpr.find(w + "numId"), numpr.find(w + "ilvl")
            if num_el is not None:
                num_id = num_el.get(w + "val")
            if lvl_el is not None:
                ilvl = int_val(lvl_el, w + "val", 0)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract_id, starts, overrides = self.nums[num_id]
        levels = {**self.abstracts.get(abstract_id, {}), **overrides}
        if ilvl is None:
            ilvl = next((k for k, lvl in levels.items() if style and lvl.style == style), 0)
        ilvl = min(max(ilvl, 0), 8)
        level = levels.get(ilvl, Level())
        counters = self.counters.setdefault(abstract_id, [None] * 9)
        if num_id not in self.started:
            self.started.add(num_id)
            for k, start in starts.items():
                if 0 <= k < 9:
                    counters[k] = start - 1
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        if level.fmt == "bullet":
            text = "".join(ch for ch in level.text if ord(ch) not in PUA)
        else:
            text = level.text
            for k in range(9, 0, -1):
                if f"%{k}" in text:
                    lvl_k = levels.get(k - 1, Level())
                    count = counters[k - 1]
                    n = count if count is not None else lvl_k.start
                    text = text.replace(f"%{k}", format_number(n, "decimal" if level.legal and k - 1 < ilvl else lvl_k.fmt))
        if not text:
            return ""
        return text + {"tab": tab, "space": " "}.get(level.suffix, "")
