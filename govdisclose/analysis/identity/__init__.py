"""Who each report is from: one agency id across title variants, its place in the national
division table, its level, its scope and the kind of department.

:func:`agency_info` resolves one printed name; :func:`identity` adds the same columns to any frame
with an agency column. The rules (:mod:`.rules`), the gazetteer (:mod:`.gazetteer`, package data
built from the national division codes, ``data/SOURCE.md``) and the user's alias/override file
(:mod:`.overrides`) are documented in their modules. A name the rules cannot place is never
guessed: its fields are ``<NA>``, ``resolved`` is ``unknown``, ``identity_note`` says why, and
:func:`identity` issues an :class:`~govdisclose.exceptions.AgencyIdentityWarning`.

>>> info = agency_info("沭阳县发展和改革局")
>>> info["province"], info["city"], info["county"], info["division_code"], info["level"], info["scope"], info["department_kind"]
('江苏省', '宿迁市', '沭阳县', '321322', 'county', 'department', '发改')
>>> agency_info("平潭综合实验区管委会")["agency_id"] == agency_info("平潭综合实验区")["agency_id"]
True
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

from govdisclose.analysis.identity.overrides import Aliases, load_overrides
from govdisclose.analysis.identity.rules import FIELDS, resolve
from govdisclose.exceptions import AgencyIdentityWarning, GovDiscloseError

__all__ = ["AgencyInfo", "agency_info", "identity", "identity_table", "title_variants", "IDENTITY_COLUMNS", "IDENTITY_DOCS", "FIELDS"]

#: The columns :func:`identity` adds (``name`` is the agency column itself).
IDENTITY_COLUMNS: list[str] = [f for f in FIELDS if f != "name"]

#: What each identity column means (codebooks of exported tables use it).
IDENTITY_DOCS: dict[str, str] = {
    "agency_id": "canonical agency id: division code (or 'central') and the body's name; one id across title variants",
    "canonical_name": "the agency's name in canonical form (title variants and corrected spellings resolved)",
    "province": "province-level unit the agency belongs to (full name, e.g. 江苏省); <NA> for central departments",
    "city": "prefecture-level unit (full name, e.g. 宿迁市); <NA> where not applicable (municipalities, provinces)",
    "county": "county-level unit (full name, e.g. 沭阳县); <NA> where not applicable",
    "division_code": "national administrative division code (6 digits) of the agency's area",
    "level": "central, province, city, county or township (a zone at the level it administers at)",
    "scope": "whole_area (a government's or zone's own report) or department (an office or bureau, 办公厅 included)",
    "department_kind": "kind of department (公安, 财政, 发改, 行政审批, 交通 …); <NA> for whole-area reports",
    "resolved": "how the identity was found: gazetteer, zone, central, override, synthetic or unknown",
    "identity_note": "why a field is <NA>, or which correction was made (e.g. 沐阳县 → 沭阳县)",
}


class AgencyInfo(Mapping[str, Any]):
    """One agency's identity: a read-only mapping with the keys of ``FIELDS`` (missing
    values are ``pd.NA``), also readable as attributes (``info.province``)."""

    def __init__(self, fields: Mapping[str, Any]) -> None:
        self._fields = {k: (pd.NA if fields.get(k) is None else fields[k]) for k in FIELDS}

    def __getitem__(self, key: str) -> Any:
        return self._fields[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __getattr__(self, key: str) -> Any:
        try:
            return self.__dict__["_fields"][key]
        except KeyError:
            raise AttributeError(key) from None

    def __repr__(self) -> str:
        return f"AgencyInfo({self._fields!r})"

    def describe(self) -> str:
        """One line for a reader: place (division code), level, scope and kind.

        >>> agency_info("沭阳县发展和改革局").describe()
        '江苏省 宿迁市 沭阳县 (321322) · county level · department (发改)'
        >>> agency_info("外交部").describe()
        'central government · central level · department (外交)'
        """
        f = self._fields
        if f["resolved"] == "unknown":
            return f"identity not resolved: {f['identity_note']}"
        places = " ".join(str(f[k]) for k in ("province", "city", "county") if not pd.isna(f[k]))
        where = f"{places} ({f['division_code']})" if places else ("central government" if f["level"] == "central" else "no real place")
        if f["resolved"] == "zone":
            where = f"zone on the territory of {where}"
        kind = "" if pd.isna(f["department_kind"]) else f" ({f['department_kind']})"
        return f"{where} · {f['level']} level · {str(f['scope']).replace('_', ' ')}{kind}"


def agency_info(name: str, *, aliases: Aliases = None) -> AgencyInfo:
    """The identity of the agency printed as ``name``.

    Keys: ``agency_id`` (canonical and stable: ``<division code>:<unit>``, ``central:<name>``,
    ``synthetic:…``, or ``unresolved:<name>``), ``name`` (as given), ``canonical_name``,
    ``province``, ``city``, ``county`` (full names, ``<NA>`` where a level does not apply),
    ``division_code`` (6 digits), ``level`` (central, province, city, county, township),
    ``scope`` (whole_area, department), ``department_kind`` (公安, 财政, 发改 …; ``<NA>`` for
    a whole area), ``resolved`` (override, central, zone, gazetteer, synthetic, unknown) and
    ``identity_note`` (corrections made, why a name is unresolved). ``aliases``: an override file or
    mapping (default: ``$GOVDISCLOSE_AGENCY_ALIASES`` or the user's config folder, see
    :mod:`.overrides`).

    >>> i = agency_info("洪泽区人民政府")
    >>> i["agency_id"], i["city"], i["level"], i["scope"]
    ('320813:人民政府', '淮安市', 'county', 'whole_area')
    >>> i = agency_info("沐阳县发展和改革局")
    >>> i["county"], i["identity_note"]
    ('沭阳县', '沐阳县 → 沭阳县 (confusable 沐/沭)')
    >>> agency_info("鼓楼区人民政府")["level"]
    <NA>
    """
    if not isinstance(name, str) or not name.strip():
        raise GovDiscloseError(f"agency_info needs an agency name, not {name!r}")
    return AgencyInfo(resolve(name, load_overrides(aliases)))


def identity_table(names: Any, *, aliases: Aliases = None) -> pd.DataFrame:
    """One row per distinct name: ``name`` and the identity columns (nullable ``string`` dtype).

    >>> identity_table(["外交部", "上海市科委"])[["name", "agency_id", "province", "level"]].values.tolist()
    [['外交部', 'central:外交部', <NA>, 'central'], ['上海市科委', '310000:科学技术委员会', '上海市', 'province']]
    """
    overrides = load_overrides(aliases)
    unique = list(dict.fromkeys(str(n) for n in names if not pd.isna(n)))
    rows = [dict(AgencyInfo(resolve(n, overrides))) for n in unique]
    frame = pd.DataFrame(rows, columns=list(FIELDS)).astype("string")
    unknown = frame[frame["resolved"] == "unknown"]
    frame.attrs["unresolved"] = unknown[["name", "identity_note"]].reset_index(drop=True)
    return frame


def identity(frame: pd.DataFrame, column: str = "agency", *, aliases: Aliases = None, warn: bool = True) -> pd.DataFrame:
    """A copy of ``frame`` with the identity columns (:data:`IDENTITY_COLUMNS`) joined on its
    agency column and placed right after it (a column of the same name already in the frame, such
    as the ``scope`` of :func:`~govdisclose.compare_agencies`, is replaced by the identity's). Names
    that cannot be resolved keep ``<NA>`` and are
    listed in ``attrs["unresolved"]`` (``name, identity_note``); ``warn=True`` also issues an
    :class:`~govdisclose.exceptions.AgencyIdentityWarning` naming them.

    >>> import govdisclose
    >>> m = identity(govdisclose.load_sample())
    >>> m.drop_duplicates("agency_id")[["agency", "level", "scope"]].sort_values("agency").values.tolist()[:3]
    [['上海市科委', 'province', 'department'], ['外交部', 'central', 'department'], ['平潭综合实验区', 'city', 'whole_area']]
    """
    if column not in frame.columns:
        raise GovDiscloseError(f"identity: the frame has no {column!r} column")
    table = identity_table(frame[column].dropna().unique(), aliases=aliases)
    unresolved = table.attrs["unresolved"]
    keyed = table.set_index("name")[IDENTITY_COLUMNS]
    out = frame.drop(columns=[c for c in IDENTITY_COLUMNS if c in frame.columns and c != column])
    joined = keyed.reindex(out[column].astype("string")).reset_index(drop=True)
    joined.index = out.index
    at = list(out.columns).index(column) + 1
    for k, name in enumerate(IDENTITY_COLUMNS):
        out.insert(at + k, name, joined[name].astype("string"))
    out.attrs = {**frame.attrs, "unresolved": unresolved}
    if warn and len(unresolved):
        warnings.warn(f"{len(unresolved)} agency name(s) not resolved (identity <NA>): "
                      + "; ".join(f"{n} ({why})" for n, why in zip(unresolved["name"], unresolved["identity_note"])),
                      AgencyIdentityWarning, stacklevel=2)
    return out


def title_variants(metrics: pd.DataFrame, *, aliases: Aliases = None) -> dict[str, str]:
    """``{printed name: name of the same agency in its latest report}`` for every agency printed
    under more than one title — the ``aliases`` that :func:`~govdisclose.compare_years` takes to
    follow one agency across its title variants.

    >>> import govdisclose
    >>> m = govdisclose.load_sample()
    >>> early = (m["agency"] == "平潭综合实验区") & (m["year"] == 2019)
    >>> m["agency"] = m["agency"].astype("string").mask(early, "平潭综合实验区管委会")
    >>> title_variants(m)
    {'平潭综合实验区管委会': '平潭综合实验区'}
    """
    names = metrics[["agency", "year"]].dropna().drop_duplicates()
    table = identity_table(names["agency"].unique(), aliases=aliases).set_index("name")
    names = names.assign(agency_id=names["agency"].map(table["agency_id"])).sort_values(["year", "agency"])
    latest = names.groupby("agency_id", observed=True)["agency"].last()
    return {str(n): str(latest[i]) for n, i in zip(names["agency"], names["agency_id"]) if latest[i] != n}
