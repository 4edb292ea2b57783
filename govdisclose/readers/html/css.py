"""The little of CSS that decides what a reader of a page sees: hidden, struck through, raised or lowered.

A page's ``<style>`` sheets and ``style`` attributes are read for five properties only —
``display``, ``visibility``, ``text-decoration`` (``-line``) and ``vertical-align`` — and
cascaded as a browser does: ``!important`` first, then a ``style`` attribute over the sheets,
then the more specific selector, then the later rule. Selectors are matched for type, ``*``,
``.class``, ``#id`` and ``[attr]``/``[attr=v]``/``[attr~=v]`` compounds joined by descendant,
``>``, ``+`` and ``~`` combinators (class and id compared without regard to case, as in the
quirks mode most report pages are shown in). A rule with a selector outside that (``:hover``,
``::before``) is not applied: :attr:`Stylesheet.skipped` lists those that would have hidden
or struck text, so the reader can say so. Rules inside ``@media print`` and other
non-screen at-rules are not applied either.

>>> sheet = Stylesheet.parse(".hide{display:none} td .x, #n {text-decoration: line-through}")
>>> [(r.selector, sorted(r.declarations)) for r in sheet.rules]
[('.hide', ['display']), ('td .x', ['text-decoration']), ('#n', ['text-decoration'])]
>>> inline_declarations("color:red; DISPLAY : None !important")
{'display': ('none', True)}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import cast

from lxml import etree

__all__ = ["Rule", "Stylesheet", "inline_declarations", "computed", "PROPERTIES", "MAY_SET"]

#: The properties read (``text-decoration-line`` is folded into ``text-decoration``).
PROPERTIES = frozenset({"display", "visibility", "text-decoration", "vertical-align"})

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_DECLARATION = re.compile(r"^\s*([-a-zA-Z]+)\s*:\s*(.*?)\s*(!\s*important)?\s*$", re.S | re.I)
# One compound selector: an optional type or '*', then #id, .class and [attr] parts.
_COMPOUND = re.compile(r"(?P<tag>\*|[a-zA-Z][-\w]*)?(?P<rest>(?:#[-\w]+|\.[-\w]+|\[[^\]]*\])*)$")
_PART = re.compile(r"#(?P<id>[-\w]+)|\.(?P<cls>[-\w]+)|\[\s*(?P<attr>[-\w:]+)\s*(?:(?P<op>[~|^$*]?=)\s*(?P<val>\"[^\"]*\"|'[^']*'|[^\]\s]*)\s*)?\]")
_COMBINATOR = re.compile(r"\s*([>+~])\s*|\s+")
#: At-rules whose content applies on screen; every other block at-rule is skipped.
_SCREEN_MEDIA = re.compile(r"^@media\s+(?:(?:only\s+)?(?:screen|all)\b|\()", re.I)


@dataclass(frozen=True, slots=True)
class _Compound:
    tag: str | None  # lowercased; None for '*' or none given
    ids: tuple[str, ...]
    classes: tuple[str, ...]
    attrs: tuple[tuple[str, str | None, str], ...]  # (name, operator or None, value)

    def matches(self, el: etree._Element) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.ids and (el.get("id") or "").lower() not in self.ids:
            return False
        if self.classes:
            have = set((el.get("class") or "").lower().split())
            if not have.issuperset(self.classes):
                return False
        for name, op, value in self.attrs:
            got = el.get(name)
            if got is None:
                return False
            if op is None:
                continue
            if op == "=" and got != value or op == "~=" and value not in got.split():
                return False
            if op == "^=" and not got.startswith(value) or op == "$=" and not got.endswith(value):
                return False
            if op == "*=" and value not in got or op == "|=" and not (got == value or got.startswith(value + "-")):
                return False
        return True


@dataclass(frozen=True, slots=True)
class Rule:
    """One selector of a style rule with the declarations read from it (value, important)."""

    selector: str
    declarations: dict[str, tuple[str, bool]]
    specificity: tuple[int, int, int]
    order: int
    parts: tuple[tuple[_Compound, str], ...] = field(repr=False)  # right to left: (compound, combinator to its left)

    @property
    def key(self) -> tuple[str, str]:
        """What the rightmost compound requires: ``('id', x)``, ``('class', x)``, ``('tag', x)`` or ``('any', '')``."""
        return _key(self.parts[0][0])

    @property
    def needs(self) -> frozenset[tuple[str, str]]:
        """Keys the matched element's ancestors must carry (of the compounds that are its ancestors)."""
        found: set[tuple[str, str]] = set()
        ancestor = False
        for k in range(1, len(self.parts)):
            ancestor = ancestor or self.parts[k - 1][1] in (" ", ">")
            if ancestor and _key(self.parts[k][0])[0] != "any":
                found.add(_key(self.parts[k][0]))
        return frozenset(found)

    def matches(self, el: etree._Element) -> bool:
        return _match(self.parts, 0, el)


def _key(compound: _Compound) -> tuple[str, str]:
    if compound.ids:
        return ("id", compound.ids[0])
    if compound.classes:
        return ("class", compound.classes[0])
    if compound.tag:
        return ("tag", compound.tag)
    return ("any", "")


def _keys_of(el: etree._Element) -> Iterator[tuple[str, str]]:
    if isinstance(el.tag, str):
        yield ("tag", el.tag)
    ident = el.get("id")
    if ident:
        yield ("id", ident.lower())
    for name in (el.get("class") or "").lower().split():
        yield ("class", name)


def _match(parts: tuple[tuple[_Compound, str], ...], k: int, el: etree._Element) -> bool:
    compound, combinator = parts[k]
    if not compound.matches(el):
        return False
    if k + 1 == len(parts):
        return True
    if combinator == ">":
        parent = el.getparent()
        return parent is not None and _match(parts, k + 1, parent)
    if combinator == " ":
        return any(_match(parts, k + 1, a) for a in el.iterancestors())
    if combinator == "+":
        prev = _previous_element(el)
        return prev is not None and _match(parts, k + 1, prev)
    return any(_match(parts, k + 1, s) for s in el.itersiblings(preceding=True) if isinstance(s.tag, str))


def _previous_element(el: etree._Element) -> etree._Element | None:
    for sibling in el.itersiblings(preceding=True):
        if isinstance(sibling.tag, str):
            return sibling
    return None


def _declarations(block: str) -> dict[str, tuple[str, bool]]:
    found: dict[str, tuple[str, bool]] = {}
    for piece in block.split(";"):
        match = _DECLARATION.match(piece)
        if not match:
            continue
        name = match.group(1).lower()
        if name == "text-decoration-line":
            name = "text-decoration"
        if name not in PROPERTIES:
            continue
        value, important = match.group(2).lower(), bool(match.group(3))
        if name in found and found[name][1] and not important:
            continue  # an earlier !important declaration wins over a later normal one
        found[name] = (value, important)
    return found


#: Whether a ``style`` attribute may set one of :data:`PROPERTIES` (a quick test before parsing it).
MAY_SET = re.compile("display|visibility|text-decoration|vertical-align", re.I)


@lru_cache(maxsize=4096)
def inline_declarations(style: str) -> dict[str, tuple[str, bool]]:
    """The properties read from a ``style`` attribute, ``{name: (value, important)}`` (shared: do not change it)."""
    if not MAY_SET.search(style):
        return {}
    return _declarations(_COMMENT.sub("", style))


def _compile(selector: str) -> tuple[tuple[_Compound, str], ...] | None:
    """A selector as compounds right to left with their combinators, or None if not supported."""
    text = selector.strip()
    if not text or ":" in re.sub(r"\[[^\]]*\]", "", text) or "\\" in text:
        return None  # pseudo-classes, pseudo-elements and escapes are not matched
    tokens: list[tuple[str, str]] = []  # (compound text, combinator before it)
    pos, combinator = 0, ""
    for m in _COMBINATOR.finditer(text):
        piece = text[pos:m.start()]
        if piece:
            tokens.append((piece, combinator))
        combinator = m.group(1) or " "
        pos = m.end()
    if text[pos:]:
        tokens.append((text[pos:], combinator))
    if not tokens:
        return None
    parts: list[tuple[_Compound, str]] = []
    for piece, before in tokens:
        match = _COMPOUND.match(piece)
        if not match or not (match.group("tag") or match.group("rest")):
            return None
        ids, classes, attrs = [], [], []
        for part in _PART.finditer(match.group("rest")):
            if part.group("id"):
                ids.append(part.group("id").lower())
            elif part.group("cls"):
                classes.append(part.group("cls").lower())
            else:
                value = part.group("val")
                if value and value[0] in "\"'":
                    value = value[1:-1]
                attrs.append((part.group("attr").lower(), part.group("op"), value or ""))
        tag = match.group("tag")
        compound = _Compound(None if tag in (None, "*") else tag.lower(), tuple(ids), tuple(classes), tuple(attrs))
        parts.append((compound, before))
    parts.reverse()  # right to left; each compound with the combinator to its left (towards the ancestors)
    return tuple(parts)


def _specificity(parts: tuple[tuple[_Compound, str], ...]) -> tuple[int, int, int]:
    ids = sum(len(c.ids) for c, _ in parts)
    classes = sum(len(c.classes) + len(c.attrs) for c, _ in parts)
    return (ids, classes, sum(1 for c, _ in parts if c.tag))


def _blocks(css: str) -> Iterator[tuple[str, str]]:
    """(prelude, body) of each top-level rule; screen ``@media`` blocks are opened up."""
    pos, n = 0, len(css)
    while pos < n:
        brace = css.find("{", pos)
        semi = css.find(";", pos)
        if brace == -1:
            return
        if css[pos:].lstrip().startswith("@") and semi != -1 and semi < brace:
            pos = semi + 1  # @import, @charset
            continue
        depth, end = 1, brace + 1
        while end < n and depth:
            if css[end] == "{":
                depth += 1
            elif css[end] == "}":
                depth -= 1
            end += 1
        prelude, body = css[pos:brace].strip(), css[brace + 1:end - 1]
        pos = end
        if prelude.startswith("@"):
            if _SCREEN_MEDIA.match(prelude) and "print" not in prelude.lower():
                yield from _blocks(body)
            continue
        yield prelude, body


_Parsed = tuple[str, dict[str, tuple[str, bool]], tuple[int, int, int], tuple[tuple[_Compound, str], ...]]


@lru_cache(maxsize=64)
def _parsed(css: str) -> tuple[tuple[_Parsed, ...], tuple[str, ...]]:
    """The rules of one ``<style>`` text, ``(selector, declarations, specificity, parts)`` each,
    and the selectors not supported that would hide or strike text. Remembered: the pages of one
    site share their stylesheets (the declarations are shared: do not change them)."""
    found: list[_Parsed] = []
    skipped: list[str] = []
    for prelude, body in _blocks(_COMMENT.sub("", css)):
        declarations = _declarations(body)
        if not declarations:
            continue
        for selector in prelude.split(","):
            selector = " ".join(selector.split())
            parts = _compile(selector)
            if parts is None:
                if _hides_or_strikes(declarations):
                    skipped.append(selector)
                continue
            found.append((selector, declarations, _specificity(parts), parts))
    return tuple(found), tuple(skipped)


@dataclass(slots=True)
class Stylesheet:
    """The page's style rules that set one of :data:`PROPERTIES`, in source order."""

    rules: list[Rule] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    _index: dict[tuple[str, str], list[tuple[Rule, frozenset[tuple[str, str]]]]] | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, css: str, sheet: Stylesheet | None = None) -> Stylesheet:
        """Add the rules of ``css`` (one ``<style>`` element's text) to ``sheet`` (or a new one)."""
        sheet = sheet if sheet is not None else cls()
        found, skipped = _parsed(css)
        for selector, declarations, specificity, parts in found:
            sheet.rules.append(Rule(selector, declarations, specificity, len(sheet.rules), parts))
        sheet.skipped.extend(skipped)
        return sheet

    @classmethod
    def of_page(cls, root: etree._Element) -> Stylesheet:
        """The rules of every ``<style>`` element of a parsed page (before they are stripped)."""
        sheet = cls()
        for style in root.iter("style"):
            if (style.get("media") or "all").lower().strip() in ("all", "screen", ""):
                cls.parse(style.text or "", sheet)
        return sheet

    @property
    def matters(self) -> bool:
        """Whether some rule hides, strikes through or raises text (else the sheet changes nothing read)."""
        return any(_hides_or_strikes(rule.declarations) for rule in self.rules)

    def rules_for(self, el: etree._Element) -> list[Rule]:
        """The rules that may match ``el``: their rightmost compound's key fits it and the keys
        their ancestor compounds need are on its ancestors (a browser's quick rejection)."""
        index = self._index
        if index is None:
            index = self._index = {}
            for rule in self.rules:
                index.setdefault(rule.key, []).append((rule, rule.needs))
        found = list(index.get(("any", ""), ()))
        for key in _keys_of(el):
            found += index.get(key, ())
        if not any(needs for _, needs in found):
            return [rule for rule, _ in found]
        above = {key for ancestor in el.iterancestors() for key in _keys_of(ancestor)}
        return [rule for rule, needs in found if needs <= above]

    @property
    def shows_again(self) -> bool:
        """Whether some rule sets ``visibility: visible`` (which undoes a hidden ancestor's)."""
        return any(rule.declarations.get("visibility", ("", False))[0] == "visible" for rule in self.rules)

    def candidates(self, root: etree._Element) -> Iterable[etree._Element]:
        """Elements under ``root`` that a rule hiding, striking or raising text may match (a
        superset): only they can change; rules that merely show (``display:block``) matter
        only as overrides on these, or below a hidden element (:attr:`shows_again`)."""
        keys = {rule.key for rule in self.rules if _hides_or_strikes(rule.declarations)}
        if ("any", "") in keys:
            return root.iter()
        found: dict[etree._Element, None] = {}
        tags = sorted(value for kind, value in keys if kind == "tag")
        if tags:
            found.update(dict.fromkeys(root.iter(*tags)))
        ids = {value for kind, value in keys if kind == "id"}
        classes = {value for kind, value in keys if kind == "class"}
        if ids or classes:
            for el in cast("list[etree._Element]", root.xpath(".//*[@class or @id]")):
                if (el.get("id") or "").lower() in ids or classes.intersection((el.get("class") or "").lower().split()):
                    found[el] = None
        return found


def _hides_or_strikes(declarations: dict[str, tuple[str, bool]]) -> bool:
    """Whether declarations hide, strike through, raise or lower text."""
    return (
        declarations.get("display", ("", False))[0] == "none"
        or declarations.get("visibility", ("", False))[0] in ("hidden", "collapse")
        or "line-through" in declarations.get("text-decoration", ("", False))[0]
        or declarations.get("vertical-align", ("", False))[0] in ("super", "sub")
    )


def computed(el: etree._Element, sheet: Stylesheet) -> dict[str, str]:
    """The cascaded value of each property :data:`PROPERTIES` the page sets on ``el`` itself.

    >>> from lxml import etree
    >>> root = etree.fromstring('<div><p class="a" style="display:block">x</p></div>', etree.HTMLParser())
    >>> sheet = Stylesheet.parse("p.a {display:none; visibility:hidden} .a {visibility: visible !important}")
    >>> computed(root.find(".//p"), sheet)
    {'display': 'block', 'visibility': 'visible'}
    """
    best: dict[str, tuple[tuple[int, int, tuple[int, int, int], int], str]] = {}
    for rule in sheet.rules_for(el) if sheet.rules else ():
        if not rule.matches(el):
            continue
        for name, (value, important) in rule.declarations.items():
            rank = (int(important), 0, rule.specificity, rule.order)
            if name not in best or rank > best[name][0]:
                best[name] = (rank, value)
    style = el.get("style")
    if style:
        for name, (value, important) in inline_declarations(style).items():
            rank = (int(important), 1, (0, 0, 0), 0)
            if name not in best or rank > best[name][0]:
                best[name] = (rank, value)
    return {name: value for name, (_, value) in best.items()}
