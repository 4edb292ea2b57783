"""The gazetteer: national administrative division codes (package data) and the places an agency's
name starts with.

``data/divisions.csv`` holds the 34 provincial, 333 prefecture-level and 2,843 county-level units
with their 6-digit codes (see ``data/SOURCE.md``); ``data/zones.csv`` the zones (综合实验区 …) that
are not units of the code table, each tied to the code of its territory. :func:`match_places`
reads the place names at the start of an agency's name, each one a child of the one before;
a name that is not in the gazetteer is tried against it with one visually confusable character
replaced (``data/confusables.csv``: 沐/沭 …), and that correction is accepted only when exactly
one place fits — and recorded.

>>> d = division("321322")
>>> d.name, d.level, full_names("321322")
('沭阳县', 'county', ('江苏省', '宿迁市', '沭阳县'))
>>> m = match_places("沐阳县发展和改革局")
>>> m.codes, m.rest, m.corrections
(('321322',), '发展和改革局', ('沐阳县 → 沭阳县 (confusable 沐/沭)',))
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Division", "Zone", "Places", "division", "divisions", "zones", "full_names", "match_places", "ZONE_PREFIX"]

#: Codes of zones in the place index start with this (they are not division codes).
ZONE_PREFIX = "zone:"
_LONGEST = 12


@dataclass(frozen=True)
class Division:
    """One unit of the national code table: ``level`` is province, city or county."""

    code: str
    name: str
    level: str
    parent: str | None


@dataclass(frozen=True)
class Zone:
    """A zone (综合实验区 …): its name, other names, the code of its territory, its level."""

    name: str
    aliases: tuple[str, ...]
    division_code: str
    level: str
    note: str


@dataclass(frozen=True)
class Places:
    """The places read from the start of a name: their codes (outermost first; a zone as
    ``zone:<name>``), the rest of the name, corrections made and problems met."""

    codes: tuple[str, ...]
    rest: str
    corrections: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


def _rows(name: str) -> Iterator[dict[str, str]]:
    with resources.files("govdisclose.analysis.identity").joinpath(f"data/{name}").open(encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    """Every unit of the code table by code."""
    return {r["code"]: Division(r["code"], r["name"], r["level"], r["parent"] or None) for r in _rows("divisions.csv")}


@lru_cache(maxsize=1)
def zones() -> dict[str, Zone]:
    """The zones by name."""
    out = {}
    for r in _rows("zones.csv"):
        zone = Zone(r["name"], tuple(a for a in r["aliases"].split(";") if a), r["division_code"], r["level"], r["note"])
        out[zone.name] = zone
    return out


def division(code: str) -> Division:
    """The unit with this code (:class:`KeyError` if there is none)."""
    return divisions()[code]


def full_names(code: str) -> tuple[str | None, str | None, str | None]:
    """(province, city, county) of a unit; ``None`` where a level does not apply (the districts
    of 上海市 have no prefecture-level city; a city has no county)."""
    found: dict[str, str] = {}
    current: str | None = code
    while current:
        unit = divisions()[current]
        found[unit.level] = unit.name
        current = unit.parent
    return found.get("province"), found.get("city"), found.get("county")


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for unit in divisions().values():
        index.setdefault(unit.name, []).append(unit.code)
    for zone in zones().values():
        for name in (zone.name, *zone.aliases):
            index.setdefault(name, []).append(ZONE_PREFIX + zone.name)
    return {name: tuple(codes) for name, codes in index.items()}


@lru_cache(maxsize=1)
def _confusable() -> dict[str, tuple[str, ...]]:
    pairs: dict[str, set[str]] = {}
    for r in _rows("confusables.csv"):
        pairs.setdefault(r["a"], set()).add(r["b"])
        pairs.setdefault(r["b"], set()).add(r["a"])
    return {k: tuple(sorted(v)) for k, v in pairs.items()}


def _under(code: str, parent: str | None) -> bool:
    """Whether ``code`` can follow ``parent`` in a name (a child, grandchild or the zone of a
    territory inside it)."""
    if parent is None:
        return True
    if parent.startswith(ZONE_PREFIX):
        return False
    if code.startswith(ZONE_PREFIX):
        code = zones()[code[len(ZONE_PREFIX):]].division_code
    level = divisions()[parent].level
    if level == "province":
        return code != parent and code[:2] == parent[:2]
    if level == "city":
        return code != parent and code[:4] == parent[:4]
    return False


def _candidates(name: str, pos: int, parent: str | None) -> tuple[int, tuple[str, ...]]:
    index = _index()
    for length in range(min(_LONGEST, len(name) - pos), 1, -1):
        codes = tuple(c for c in index.get(name[pos:pos + length], ()) if _under(c, parent))
        if codes:
            return length, codes
    return 0, ()


def _confused(name: str, pos: int, parent: str | None) -> tuple[int, str, set[str], str]:
    """(length, corrected text, codes, the pair) of a one-character confusion, longest first."""
    index, confusable = _index(), _confusable()
    for length in range(min(_LONGEST, len(name) - pos), 2, -1):
        text = name[pos:pos + length]
        found: dict[str, tuple[str, str]] = {}
        for j, char in enumerate(text[:-1]):  # the ending (县, 市, 区 …) is never the confused one
            for other in confusable.get(char, ()):
                fixed = text[:j] + other + text[j + 1:]
                for code in index.get(fixed, ()):
                    if _under(code, parent):
                        found[code] = (fixed, f"{char}/{other}")
        if found:
            fixed, pair = next(iter(found.values()))
            return length, fixed, set(found), pair
    return 0, "", set(), ""


def match_places(name: str) -> Places:
    """The places ``name`` starts with, outermost first (see the module docstring).

    A first place whose name several units share (鼓楼区) is a problem, not a guess; so is a
    confusable spelling that fits more than one place.

    >>> match_places("淮安市洪泽区人民政府").codes
    ('320800', '320813')
    >>> match_places("鼓楼区人民政府").problems[0]
    'place 鼓楼区 is ambiguous: 320106, 320302, 350102, 410204'
    """
    codes: list[str] = []
    corrections: list[str] = []
    problems: list[str] = []
    pos = 0
    while pos < len(name):
        parent = codes[-1] if codes else None
        if parent is not None and (parent.startswith(ZONE_PREFIX) or divisions()[parent].level == "county"):
            break
        length, found = _candidates(name, pos, parent)
        if not length:
            length, fixed, fixes, pair = _confused(name, pos, parent)
            if not length:
                break
            if len(fixes) > 1:
                problems.append(f"{name[pos:pos + length]} looks like more than one place ({', '.join(sorted(fixes))}): not corrected")
                break
            corrections.append(f"{name[pos:pos + length]} → {fixed} (confusable {pair})")
            found = tuple(fixes)
        if len(found) > 1:
            problems.append(f"place {name[pos:pos + length]} is ambiguous: {', '.join(sorted(found))}")
            break
        codes.append(found[0])
        pos += length
    return Places(tuple(codes), name[pos:], tuple(corrections), tuple(problems))
