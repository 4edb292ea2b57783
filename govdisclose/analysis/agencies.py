"""Agency names: looking them up (with "did you mean …") and telling a whole area from a department.

A report's agency is its name as printed in the title (外交部, 平潭综合实验区, 沭阳县发展和改革局).
Two kinds of report must never be added together: a government's whole-area report (全市/全区,
县人民政府 …), whose figures include its departments', and a department's own report. The scope
is judged from the name (a heuristic, stated in :func:`agency_scope`).

>>> resolve_agency("外交部", ["外交部", "平潭综合实验区"])
'外交部'
>>> resolve_agency("平潭", ["外交部", "平潭综合实验区"])
Traceback (most recent call last):
...
govdisclose.UnknownAgencyError: unknown agency '平潭'; did you mean 平潭综合实验区?
>>> agency_scope("沭阳县发展和改革局")
Scope(level='department', area='沭阳县')
>>> agency_scope("平潭综合实验区")
Scope(level='whole_area', area='平潭综合实验区')
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import NamedTuple

import pandas as pd

from govdisclose.analysis.identity.names import fold
from govdisclose.exceptions import UnknownAgencyError

__all__ = ["Scope", "agency_list", "normalise_name", "resolve_agency", "resolve_agencies", "agency_scope", "nested_pairs"]

#: Endings of a government's own name: its report covers the whole area.
_AREA_ENDINGS = ("人民政府", "政府", "自治区", "自治州", "自治县", "实验区", "新区", "开发区", "省", "市", "县", "区", "旗", "州", "盟")
#: Endings of a department's name (ministries, bureaus, commissions, offices …).
_DEPARTMENT_ENDINGS = ("局", "委", "委员会", "厅", "部", "办", "办公室", "中心", "院", "署", "所", "馆", "站", "队", "会", "处", "室", "行", "司")
#: One administrative level at the start of a name: two or more characters then a level suffix.
_LEVEL = re.compile(r"[^省市县区旗州盟]{2,10}?(?:自治区|自治州|自治县|实验区|新区|开发区|省|市|县|区|旗|州|盟)")
#: The national level: State Council ministries and commissions have no area in their name.
NATIONAL = "全国"


class Scope(NamedTuple):
    """What a report covers: ``level`` is ``whole_area`` or ``department``; ``area`` the place."""

    level: str
    area: str


def normalise_name(name: str) -> str:
    """An agency name as compared: full-width forms folded (NFKC), spaces removed.

    >>> normalise_name(" 外交部 ")
    '外交部'
    """
    return fold(name)


def agency_list(metrics: pd.DataFrame | Iterable[str]) -> list[str]:
    """The agencies present in a tidy frame (or an iterable of names), sorted, without duplicates.

    >>> agency_list(["外交部", "平潭综合实验区", "外交部"])
    ['外交部', '平潭综合实验区']
    """
    if isinstance(metrics, pd.DataFrame):
        names: Iterable[str] = metrics["agency"].dropna().astype(str)
    else:
        names = (str(n) for n in metrics)
    return sorted({n for n in names if n})


def resolve_agency(name: str, known: pd.DataFrame | Iterable[str]) -> str:
    """The known agency called ``name``, or :class:`~govdisclose.exceptions.UnknownAgencyError`
    listing close matches (names containing it, or similar by characters).

    Matching is exact after :func:`normalise_name`; a partial name is never accepted silently.

    >>> import govdisclose
    >>> resolve_agency("外交 部", govdisclose.load_sample())
    '外交部'
    """
    names = agency_list(known)
    wanted = normalise_name(name)
    by_norm = {normalise_name(n): n for n in names}
    if wanted in by_norm:
        return by_norm[wanted]
    containing = [n for norm, n in by_norm.items() if wanted and (wanted in norm or norm in wanted)]
    similar = difflib.get_close_matches(wanted, list(by_norm), n=3, cutoff=0.4)
    suggestions = list(dict.fromkeys(containing + [by_norm[s] for s in similar]))[:5]
    raise UnknownAgencyError(str(name), suggestions)


def resolve_agencies(names: Iterable[str] | str | None, known: pd.DataFrame | Iterable[str]) -> list[str]:
    """Several names at once (``None``, ``""`` or an empty list mean every known agency).

    >>> resolve_agencies([], ["外交部", "平潭综合实验区"])
    ['外交部', '平潭综合实验区']
    """
    if names is None or (isinstance(names, str) and not names.strip()):
        return agency_list(known)
    if isinstance(names, str):
        names = [names]
    names = list(names)
    if not names:
        return agency_list(known)
    return list(dict.fromkeys(resolve_agency(n, known) for n in names))


def _area_prefix(name: str) -> str:
    area, rest = "", name
    while match := _LEVEL.match(rest):
        area += match.group(0)
        rest = rest[match.end():]
    return area


def agency_scope(name: str) -> Scope:
    """Whether a report covers a whole area or one department, judged from the agency's name.

    Whole area or department is the agency identity's judgement (:func:`govdisclose.agency_info`,
    with the user's override file) wherever it places the name; for a name it cannot place, the
    name rule decides: a name that ends in 人民政府/政府 or in a place suffix (省, 市, 县, 区,
    实验区, 新区 …) is a government's whole-area report, anything else a department. The area is
    the place names the name starts with (沭阳县发展和改革局 → 沭阳县; 外交部 → 全国, the national
    level).

    >>> agency_scope("淮安市洪泽区人民政府")
    Scope(level='whole_area', area='淮安市洪泽区')
    >>> agency_scope("上海市科委")
    Scope(level='department', area='上海市')
    >>> agency_scope("外交部")
    Scope(level='department', area='全国')
    """
    by_name = _scope_from_name(normalise_name(name))
    if not normalise_name(name):  # no name to place: the name rule's answer (a department, national)
        return by_name
    from govdisclose.analysis.identity import agency_info

    info = agency_info(name)
    if info["resolved"] == "unknown" or pd.isna(info["scope"]):
        return by_name
    return Scope(str(info["scope"]), by_name.area)


def _scope_from_name(name: str) -> Scope:
    """The name rule of :func:`agency_scope` (``name`` normalised)."""
    for ending in ("人民政府", "政府"):
        if name.endswith(ending) and len(name) > len(ending):
            return Scope("whole_area", name[: -len(ending)])
    area = _area_prefix(name)
    if area and area == name:
        return Scope("whole_area", name)
    if not area and name.endswith(_AREA_ENDINGS) and not name.endswith(_DEPARTMENT_ENDINGS):
        return Scope("whole_area", name)
    return Scope("department", area or NATIONAL)


def nested_pairs(names: Iterable[str]) -> list[tuple[str, str]]:
    """``(whole_area, department)`` pairs among ``names`` where the department lies inside the area:
    their figures overlap, so they must never be summed.

    >>> nested_pairs(["淮安市人民政府", "淮安市洪泽区人民政府", "外交部"])
    [('淮安市人民政府', '淮安市洪泽区人民政府')]
    """
    names = list(dict.fromkeys(names))
    scopes = {n: agency_scope(n) for n in names}
    pairs = []
    for outer in names:
        if scopes[outer].level != "whole_area":
            continue
        for inner in names:
            if inner == outer:
                continue
            inner_area = scopes[inner].area
            if inner_area.startswith(scopes[outer].area) and (scopes[inner].level == "department" or len(inner_area) > len(scopes[outer].area)):
                pairs.append((outer, inner))
    return pairs
