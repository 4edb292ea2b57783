"""Who an agency is, from its printed name: the rules for place, level, scope and kind.

In order (the first that applies decides):

1. **override**: the user's alias/override file (:mod:`.overrides`); ``same_as`` resolves the
   name as the other one;
2. **central**: a State Council department (``data/central.csv``: 外交部, 财政部, 国家税务总局 …),
   or a name starting 国务院/中华人民共和国: level ``central``, no province;
3. **synthetic**: a name starting 示例 (made by :mod:`govdisclose.synth`): level from its place
   suffix (县/区 → county, 市 → city), no real place;
4. **gazetteer**: the places the name starts with (:func:`.gazetteer.match_places`): the
   innermost gives ``division_code`` and ``level``; a zone (平潭综合实验区) gives its territory's
   code and the level it administers at (``data/zones.csv`` says why); a township's government
   (…镇/乡/街道 + 人民政府/办事处) after a county is level ``township``;
5. anything else is **unknown**: every identity field ``<NA>`` and ``note`` says why.

Scope: ``whole_area`` when nothing follows the place but 人民政府 (or, for a zone, its 管理委员会),
``department`` otherwise — a government's 办公厅/办公室 included. Kind (departments only): the
category of ``data/kinds.csv`` whose keyword appears first in the department's name (公安, 财政,
发改, 行政审批 …), ``其他`` when none does.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from govdisclose.analysis.identity import gazetteer
from govdisclose.analysis.identity.names import canonical_suffix, normalise

__all__ = ["FIELDS", "resolve", "department_kind", "OTHER_KIND"]

#: The identity fields, in column order.
FIELDS: tuple[str, ...] = (
    "agency_id", "name", "canonical_name", "province", "city", "county", "division_code", "level", "scope", "department_kind",
    "resolved", "identity_note",
)
OTHER_KIND = "其他"
_GOVERNMENT = "人民政府"
_ZONE_BODY = "管理委员会"
_TOWNSHIP = re.compile(r"^(.{1,10}?(?:镇|乡|街道))(?:人民政府|办事处)$")
_SYNTHETIC = re.compile(r"^示例(.+?\d*[县区市])(.*)$")


def _data(name: str) -> list[dict[str, str]]:
    with resources.files("govdisclose.analysis.identity").joinpath(f"data/{name}").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def _kinds() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((r["kind"], tuple(k for k in r["keywords"].split(";") if k)) for r in _data("kinds.csv"))


@lru_cache(maxsize=1)
def _central() -> dict[str, str]:
    out = {}
    for r in _data("central.csv"):
        out[r["name"]] = r["name"]
        for alias in filter(None, r["aliases"].split(";")):
            out[alias] = r["name"]
    return out


def department_kind(name: str) -> str:
    """The kind of a department (the category whose keyword appears first in ``name``).

    >>> department_kind("平潭综合实验区自然资源与生态环境局"), department_kind("宿迁市公安局交通警察支队")
    ('自然资源', '公安')
    >>> department_kind("某某县档案馆")
    '其他'
    """
    best: tuple[int, int, str] | None = None
    for order, (kind, keywords) in enumerate(_kinds()):
        for keyword in keywords:
            at = name.find(keyword)
            if at >= 0 and (best is None or (at, order) < best[:2]):
                best = (at, order, kind)
    return best[2] if best else OTHER_KIND


def _empty(name: str, resolved: str, note: str | None) -> dict[str, Any]:
    info: dict[str, Any] = dict.fromkeys(FIELDS)
    info.update(name=name, resolved=resolved, identity_note=note)
    return info


def _from_places(name: str, norm: str) -> dict[str, Any]:
    places = gazetteer.match_places(norm)
    notes = list(places.corrections)
    if places.problems or not places.codes:
        why = "; ".join(places.problems) or "no place of the national division table or zone list starts the name"
        info = _empty(name, "unknown", f"{why}: identity not resolved (add it to the alias/override file)")
        info["agency_id"] = f"unresolved:{canonical_suffix(norm)}"
        return info
    inner = places.codes[-1]
    zone = gazetteer.zones()[inner[len(gazetteer.ZONE_PREFIX):]] if inner.startswith(gazetteer.ZONE_PREFIX) else None
    code = zone.division_code if zone else inner
    level = zone.level if zone else gazetteer.division(code).level
    province, city, county = gazetteer.full_names(code)
    rest = canonical_suffix(places.rest) if places.rest else ""
    place_name = "".join(n for n in (province, city, county) if n)
    if zone is not None:
        notes.append(f"zone {zone.name}: {zone.note}")
        unit = zone.name + ("" if rest in ("", _ZONE_BODY, _GOVERNMENT) else rest)
        scope = "whole_area" if rest in ("", _ZONE_BODY, _GOVERNMENT) else "department"
        canonical = f"{province}{zone.name}" + ("" if scope == "whole_area" else rest)
    else:
        township = _TOWNSHIP.match(rest) if level == "county" else None
        if township:
            level, unit, scope = "township", township.group(1), "whole_area"
            notes.append(f"township {township.group(1)} is not checked against a gazetteer (none below county level is shipped)")
        else:
            unit = rest or _GOVERNMENT
            scope = "whole_area" if unit == _GOVERNMENT else "department"
        canonical = place_name + unit
    info = _empty(name, "zone" if zone else "gazetteer", "; ".join(notes) or None)
    info.update(agency_id=f"{code}:{unit}", canonical_name=canonical, province=province, city=city, county=county,
                division_code=code, level=level, scope=scope, department_kind=None if scope == "whole_area" else department_kind(unit))
    return info


def resolve(name: str, overrides: Mapping[str, Mapping[str, str]], _seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """The identity of one printed name (see the module docstring)."""
    norm = normalise(name)
    entry = overrides.get(norm)
    if entry is not None and entry.get("same_as"):
        target = normalise(entry["same_as"])
        if target in _seen or target == norm:
            return _empty(name, "unknown", f"alias loop: {' → '.join((*_seen, norm, target))}")
        info = resolve(entry["same_as"], overrides, (*_seen, norm))
        info.update({k: v for k, v in entry.items() if k != "same_as"})
        info["name"] = name
        info["resolved"] = "override"
        info["identity_note"] = "; ".join(filter(None, [f"alias of {entry['same_as']} (override file)", info.get("identity_note")]))
        return info
    full = canonical_suffix(norm)
    central = _central().get(norm) or _central().get(full)
    if central is None and norm.startswith(("国务院", "中华人民共和国")) and len(norm) > 4:
        central = norm.removeprefix("中华人民共和国")
    if central is not None:
        info = _empty(name, "central", None)
        info.update(agency_id=f"central:{central}", canonical_name=central, level="central", scope="department",
                    department_kind=department_kind(central))
    elif synthetic := _SYNTHETIC.match(norm):
        place, rest = synthetic.groups()
        unit = canonical_suffix(rest) if rest else _GOVERNMENT
        scope = "whole_area" if unit == _GOVERNMENT else "department"
        info = _empty(name, "synthetic", "a SYNTHETIC agency (govdisclose.synth): no real place")
        info.update(agency_id=f"synthetic:{place}:{unit}", canonical_name=f"示例{place}{unit}",
                    level="city" if place.endswith("市") else "county", scope=scope,
                    department_kind=None if scope == "whole_area" else department_kind(unit))
    else:
        info = _from_places(name, norm)
    if entry is not None:
        if "agency_id" not in entry and str(info["agency_id"]).startswith("unresolved:"):
            info["agency_id"] = f"override:{full}"
        info.update(entry)
        info["resolved"] = "override"
        info["identity_note"] = "; ".join(filter(None, ["fields set by the override file", info.get("identity_note")]))
    return info
