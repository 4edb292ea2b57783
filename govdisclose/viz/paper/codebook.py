"""The codebook of exported tables: every column (its meaning, type and unit), every code a coded
column holds (indicators with their formulas, catalogue items, applicant columns, validator
rules), and the source files with their SHA-256 content hashes.

Descriptions come from, in order: ``describe`` (``{column: text}`` or ``{file: {column: text}}``),
the frame's own ``attrs["columns"]`` (a dict of descriptions a producer may attach, e.g. a peer
or anomaly table), the indicator definitions (a column named after an indicator), the catalogue
(a column named ``item`` or ``item@applicant``) and :data:`COLUMN_DOCS`. A column none of them
describes is listed with ``documented = False``, never left out.

>>> import govdisclose
>>> sample = govdisclose.load_sample()
>>> book = codebook({"ranking": govdisclose.compare_agencies(sample, 2023, indicator="disclosure_rate")})
>>> bool(book.query("section == 'column'")["documented"].all())
True
>>> book.query("section == 'code' and code == 'disclosure_rate'")["formula"].item()
'(granted@total + partially_granted@total) / (total_processed@total)'
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from govdisclose.analysis.identity import IDENTITY_DOCS
from govdisclose.analysis.measures import indicator_definitions
from govdisclose.template.catalogue import APPLICANT_LABELS, catalogue

__all__ = ["codebook", "sources_table", "file_sha256", "COLUMN_DOCS", "CODEBOOK_COLUMNS", "SOURCE_COLUMNS"]

CODEBOOK_COLUMNS: list[str] = ["section", "file", "column", "code", "dtype", "description", "label_zh", "label_en", "unit",
                               "formula", "sha256", "documented"]
SOURCE_COLUMNS: list[str] = ["source", "agency", "year", "template", "format", "bytes", "sha256"]

#: What the columns of the package's frames mean (the tidy frame, indicators, comparisons,
#: findings and the paper's own summary tables): ``column -> (description, unit)``.
COLUMN_DOCS: dict[str, tuple[str, str]] = {
    "agency": ("agency name as printed in the report title (normalised for comparison)", ""),
    "year": ("report year (the calendar year the report covers)", "year"),
    "template": ("State-Council template of the report: 2019, 2021 or pre2019 (before the template)", ""),
    "table": ("report table code: active_disclosure (table 2), requests (table 3), review_litigation (table 4), headline", ""),
    "item": ("catalogue item code of the cell (see the codes of this column)", ""),
    "applicant": ("applicant column of table 3 (see the codes); empty in the other tables", ""),
    "value": ("the number: the cell as printed (tidy frames) or the row's indicator value; <NA> where not printed or not computable, "
              "never 0", "by row: the item's or indicator's unit"),
    "unit": ("unit of the value as printed", ""),
    "state": ("cell state: number, blank (nothing printed), na (a placeholder such as /) or unreadable", ""),
    "raw": ("the cell's text exactly as printed", ""),
    "source": ("the file the report was read from (see sources.csv for its hash)", ""),
    "location": ("where in the file the cell was read (page, table, row, column, line, box)", ""),
    "note": ("why a cell is unreadable, or how it was read", ""),
    "label_zh": ("the template's Chinese label of the item or indicator", ""),
    "label_en": ("English label", ""),
    "applicant_zh": ("the template's Chinese label of the applicant column", ""),
    "indicator": ("indicator code (see the codes of this column for the formula)", ""),
    "group": ("indicator group", ""),
    "kind": ("count (a number of cases) or ratio (a fraction between 0 and 1)", ""),
    "numerator": ("the indicator formula's numerator, summed over its cells", "count"),
    "denominator": ("the indicator formula's denominator, summed over its cells", "count"),
    "small_denominator": ("True where the denominator is below the indicator's min_denominator (a rate on few cases)", ""),
    "reason": ("why a value is <NA>, or which blank cells were taken as 0", ""),
    "rank": ("rank among the agencies compared (1 = highest value)", "rank"),
    "area": ("the area an agency belongs to, told from its name", ""),
    "caveat": ("why the comparison needs care (template change, scope, small denominator)", ""),
    "previous_year": ("the year compared with", "year"),
    "previous_value": ("the indicator's value in previous_year", "by row: the indicator's unit"),
    "change": ("value - previous_value", "by row: the indicator's unit"),
    "relative_change": ("change / previous_value", "fraction"),
    "comparable": ("whether the two years can be compared (same template meaning)", ""),
    "rule": ("validator rule code (see the codes of this column)", ""),
    "severity": ("error (the printed figures cannot agree) or warning", ""),
    "expected": ("what the rule expects (the parts' sum)", "count"),
    "actual": ("what is printed (the total)", "count"),
    "message": ("the finding in words", ""),
    "reports": ("number of reports (one per agency and year)", "reports"),
    "agencies": ("number of distinct agencies", "agencies"),
    "cells": ("number of table cells read", "cells"),
    "unreadable_cells": ("cells that could not be read with confidence (state unreadable)", "cells"),
    "blank_cells": ("cells printed blank", "cells"),
    "reports_with_errors": ("reports with at least one validator error", "reports"),
    "with_value": ("reports where the indicator could be computed", "reports"),
    "missing": ("reports where the indicator is <NA> (a needed cell blank, / or unreadable)", "reports"),
    "median": ("median over the reports with a value", "by row: the indicator's unit"),
    "q1": ("first quartile (25th percentile) over the reports with a value", "by row: the indicator's unit"),
    "q3": ("third quartile (75th percentile) over the reports with a value", "by row: the indicator's unit"),
    "findings": ("number of findings", "findings"),
    "description": ("what the rule checks", ""),
    "format": ("file format, by the file's suffix", ""),
    "bytes": ("file size", "bytes"),
    "sha256": ("SHA-256 of the file's bytes (sha256sum): the exact file the figures were read from", ""),
    **{name: (text, "") for name, text in IDENTITY_DOCS.items()},  # who the agency is (govdisclose.agency_info)
}


def _indicator_formulas() -> dict[str, dict[str, str]]:
    out = {}
    for row in indicator_definitions().to_dict("records"):
        formula = f"({row['numerator']}) / ({row['denominator']})" if row["denominator"] else str(row["numerator"])
        unit = "fraction (0-1)" if row["kind"] == "ratio" else "count"
        out[str(row["indicator"])] = {"label_zh": str(row["label_zh"]), "label_en": str(row["label_en"]), "unit": unit,
                                      "formula": formula, "description": str(row["definition"])}
    return out


def _catalogue_items() -> dict[str, dict[str, str]]:
    return {str(r["item"]): {"label_zh": str(r["label_zh"]), "label_en": str(r["label_en"]), "unit": str(r["unit"]),
                             "description": f"catalogue cell of table {r['table']}"} for r in catalogue().to_dict("records")}


def _rules() -> dict[str, str]:
    from govdisclose.checks.rules import RULES

    return dict(RULES)


def _column_entry(name: str, frame: pd.DataFrame, describe: Mapping[str, str]) -> dict[str, Any]:
    attached = frame.attrs.get("columns")
    own: Mapping[str, Any] = attached if isinstance(attached, Mapping) else {}
    indicators, items = _indicator_formulas(), _catalogue_items()
    entry: dict[str, Any] = {"description": "", "label_zh": "", "label_en": "", "unit": "", "formula": ""}
    item, _, applicant = name.partition("@")
    if name in describe:
        entry["description"] = describe[name]
    elif name in own:
        entry["description"] = str(own[name])
    elif name in indicators:
        entry.update(indicators[name])
    elif item in items and (not applicant or applicant in APPLICANT_LABELS):
        entry.update(items[item])
        if applicant:
            entry["label_zh"] = f"{entry['label_zh']} {APPLICANT_LABELS[applicant]}"
    elif name in COLUMN_DOCS:
        entry["description"], entry["unit"] = COLUMN_DOCS[name]
    entry["documented"] = bool(entry["description"])
    return entry


def _codes(column: str, values: Iterable[Any]) -> list[dict[str, Any]]:
    present = sorted({str(v) for v in values if v is not None and not (isinstance(v, float) and v != v) and str(v) not in ("", "<NA>")})
    rows: list[dict[str, Any]] = []
    if column == "indicator":
        known = _indicator_formulas()
        rows = [{"code": c, **known.get(c, {"description": ""})} for c in present]
    elif column == "item":
        known = _catalogue_items()
        rows = [{"code": c, **known.get(c, {"description": ""})} for c in present]
    elif column == "applicant":
        rows = [{"code": c, "label_zh": APPLICANT_LABELS.get(c, ""), "description": "applicant column of table 3"} for c in present]
    elif column == "rule":
        rules = _rules()
        rows = [{"code": c, "formula": rules.get(c, ""), "description": rules.get(c, "")} for c in present]
    for row in rows:
        row["documented"] = bool(row.get("description") or row.get("label_zh"))
    return rows


def codebook(tables: Mapping[str, pd.DataFrame], *, describe: Mapping[str, Any] | None = None,
             sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per column of every table (``section == 'column'``), per code found in its
    coded columns (``section == 'code'``: ``indicator``, ``item``, ``applicant``, ``rule``) and,
    given ``sources`` (:func:`sources_table`), per report file with its SHA-256
    (``section == 'source'``), in :data:`CODEBOOK_COLUMNS`. ``file`` is the table's export name
    (``<name>.csv``).

    >>> import pandas as pd
    >>> book = codebook({"t": pd.DataFrame({"disclosure_rate": [0.5], "mystery": [1]})})
    >>> book[["column", "unit", "documented"]].values.tolist()
    [['disclosure_rate', 'fraction (0-1)', True], ['mystery', '', False]]
    """
    describe = dict(describe or {})
    rows: list[dict[str, Any]] = []
    for name, frame in tables.items():
        flat = frame.reset_index() if any(n is not None for n in frame.index.names) else frame
        file = f"{name}.csv"
        given = describe.get(name)
        specific: dict[str, str] = dict(given) if isinstance(given, Mapping) else {}
        general = {k: v for k, v in describe.items() if isinstance(v, str)}
        for column in flat.columns:
            col = "@".join(str(p) for p in column if str(p)) if isinstance(column, tuple) else str(column)
            entry = _column_entry(col, frame, {**general, **specific})
            rows.append({"section": "column", "file": file, "column": col, "code": "", "dtype": str(flat[column].dtype), **entry})
        for column in ("indicator", "item", "applicant", "rule"):
            if column in flat.columns:
                for code in _codes(column, flat[column]):
                    rows.append({"section": "code", "file": file, "column": column, "dtype": "", **code})
    if sources is not None:
        for r in sources.to_dict("records"):
            rows.append({"section": "source", "file": "sources.csv", "column": "source", "code": r["source"], "dtype": "",
                         "description": f"report of {r['agency']} {r['year']} (template {r['template']}), {r['bytes']} bytes",
                         "sha256": r["sha256"] or "", "documented": bool(r["sha256"])})
    blank: dict[str, Any] = {**dict.fromkeys(CODEBOOK_COLUMNS, ""), "documented": False}
    book = pd.DataFrame([{**blank, **{k: v for k, v in r.items() if v is not None}} for r in rows], columns=CODEBOOK_COLUMNS)
    book["documented"] = book["documented"].astype(bool)
    return book


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes (what ``sha256sum`` prints).

    >>> import govdisclose
    >>> len(file_sha256(govdisclose.sample_path("mfa_2023.txt")))
    64
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sources_table(metrics: pd.DataFrame, *, relative_to: str | Path | None = None) -> pd.DataFrame:
    """The report files behind a tidy frame: one row per source with agency, year, template,
    format (the suffix), size and SHA-256 (:data:`SOURCE_COLUMNS`); ``source`` relative to
    ``relative_to`` where the file lies under it, else the file name.

    >>> import govdisclose
    >>> s = sources_table(govdisclose.load_sample())
    >>> len(s), s["sha256"].str.len().unique().tolist()
    (16, [64])
    """
    reports = metrics.drop_duplicates("source")
    base = Path(relative_to).resolve() if relative_to else None
    rows = []
    for r in reports.to_dict("records"):
        path = Path(str(r["source"]))
        shown = path.name
        if base is not None and path.resolve().is_relative_to(base):
            shown = path.resolve().relative_to(base).as_posix()
        exists = path.is_file()
        rows.append({"source": shown, "agency": r.get("agency"), "year": r.get("year"), "template": r.get("template"),
                     "format": path.suffix.lower().lstrip("."), "bytes": path.stat().st_size if exists else None,
                     "sha256": file_sha256(path) if exists else None})
    out = pd.DataFrame(rows, columns=SOURCE_COLUMNS)
    out["year"] = out["year"].astype("Int64")
    out["bytes"] = out["bytes"].astype("Int64")
    return out.sort_values(["agency", "year", "source"], kind="stable").reset_index(drop=True)
