"""The user's alias/override file: what the identity rules get wrong, corrected by hand.

One file, CSV or YAML, found in this order:

1. the ``aliases`` argument of :func:`~govdisclose.agency_info` / :func:`~govdisclose.identity`
   (a path, or a mapping already in memory);
2. the environment variable ``GOVDISCLOSE_AGENCY_ALIASES`` (a path; it must exist);
3. ``agency_aliases.csv``, ``.yml`` or ``.yaml`` in the user's configuration folder
   (:func:`platformdirs.user_config_dir`: ``~/.config/govdisclose`` on Linux), if present.

Each entry names an agency as printed (compared after normalisation) and either ``same_as``
(another name of the same agency: it then shares that agency's id, province, level …) or any of
the identity fields to set: ``agency_id, province, city, county, division_code, level, scope,
department_kind``. A CSV has these as columns (empty = keep what the rules say)::

    name,same_as,agency_id,province,city,county,division_code,level,scope,department_kind
    沭阳发改,沭阳县发展和改革局,,,,,,,,
    某某新区管委会,,,河北省,,,130600,city,whole_area,

A YAML file maps each name to its ``same_as`` name or to a mapping of fields::

    沭阳发改: 沭阳县发展和改革局
    某某新区管委会: {province: 河北省, division_code: "130600", level: city, scope: whole_area}

>>> load_overrides({"沭阳发改": "沭阳县发展和改革局"})["沭阳发改"]
{'same_as': '沭阳县发展和改革局'}
"""

from __future__ import annotations

import csv
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from govdisclose.analysis.identity.names import normalise
from govdisclose.exceptions import GovDiscloseError, PathNotFoundError

__all__ = ["FIELDS", "ENV_VAR", "Aliases", "load_overrides", "default_path"]

ENV_VAR = "GOVDISCLOSE_AGENCY_ALIASES"
#: The fields an entry may set.
FIELDS: tuple[str, ...] = ("same_as", "agency_id", "province", "city", "county", "division_code", "level", "scope", "department_kind")
_LEVELS = ("central", "province", "city", "county", "township")
_SCOPES = ("whole_area", "department")

Overrides = dict[str, dict[str, str]]
#: What an ``aliases`` argument may be: a path, a mapping already in memory, or None (the default file).
Aliases = str | os.PathLike[str] | Mapping[str, Any] | None


def default_path() -> Path | None:
    """The override file in use when no ``aliases`` argument is given, or ``None``."""
    env = os.environ.get(ENV_VAR)
    if env:
        path = Path(env).expanduser()
        if not path.exists():
            raise PathNotFoundError(str(path), f"no such file (named by {ENV_VAR})")
        return path
    import platformdirs

    folder = Path(platformdirs.user_config_dir("govdisclose", appauthor=False))
    for suffix in (".csv", ".yml", ".yaml"):
        if (folder / f"agency_aliases{suffix}").exists():
            return folder / f"agency_aliases{suffix}"
    return None


def _entry(name: str, value: Any, where: str) -> dict[str, str]:
    if isinstance(value, str):
        value = {"same_as": value}
    if not isinstance(value, Mapping):
        raise GovDiscloseError(f"{where}: the entry for {name!r} must be a name or a mapping of fields")
    unknown = set(value) - set(FIELDS) - {"name", "note"}
    if unknown:
        raise GovDiscloseError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))} for {name!r}; known: {', '.join(FIELDS)}")
    entry = {k: str(v).strip() for k, v in value.items() if k in FIELDS and v is not None and str(v).strip()}
    if entry.get("level") and entry["level"] not in _LEVELS:
        raise GovDiscloseError(f"{where}: level of {name!r} must be one of {', '.join(_LEVELS)}")
    if entry.get("scope") and entry["scope"] not in _SCOPES:
        raise GovDiscloseError(f"{where}: scope of {name!r} must be one of {', '.join(_SCOPES)}")
    if entry.get("division_code") and not (entry["division_code"].isdigit() and len(entry["division_code"]) == 6):
        raise GovDiscloseError(f"{where}: division_code of {name!r} must be 6 digits")
    return entry


def _read(path: Path) -> Mapping[str, Any]:
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        if rows and "name" not in rows[0]:
            raise GovDiscloseError(f"{path}: a CSV override file needs a 'name' column")
        return {r["name"]: {k: v for k, v in r.items() if k != "name"} for r in rows if r.get("name")}
    if path.suffix.lower() in (".yml", ".yaml"):
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, Mapping):
            raise GovDiscloseError(f"{path}: a YAML override file maps names to entries")
        return data
    raise GovDiscloseError(f"{path}: an override file is .csv, .yml or .yaml")


def load_overrides(aliases: Aliases = None) -> Overrides:
    """The override entries by normalised name (see the module docstring for where they come from)."""
    where = "aliases"
    if aliases is None:
        path = default_path()
        if path is None:
            return {}
        aliases, where = _read(path), str(path)
    elif not isinstance(aliases, Mapping):
        path = Path(aliases).expanduser()
        if not path.exists():
            raise PathNotFoundError(str(path), "no such alias file")
        aliases, where = _read(path), str(path)
    return {normalise(str(name)): _entry(str(name), value, where) for name, value in aliases.items()}
