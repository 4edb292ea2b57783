"""Frames formatted for reading in a notebook or a rendered report (the frames themselves are
unchanged: this is presentation only).

:func:`table` shows counts as integers (``23``, not ``23.0``), rates as percentages (by the
frame's ``kind`` column or by name), missing numbers as ``<NA>``, no index column unless the index
means something (then it becomes ordinary columns), full text that wraps (never cut with "…"),
file paths relative to a folder (never an absolute local path), and a sentence instead of a table
with headers only when there are no rows.

>>> import pandas as pd
>>> t = table(pd.DataFrame({"agency": ["外交部"], "value": [18.0], "kind": ["count"]}), ["agency", "value"], empty="none")
>>> print(t)
agency value
   外交部    18
>>> print(table(pd.DataFrame({"rule": []}), empty="No findings."))
No findings.
"""

from __future__ import annotations

import html
import math
import os
import re
from collections.abc import Sequence
from numbers import Number
from pathlib import Path, PurePath
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Table", "table", "indicator_summary", "format_number", "Bullets", "bullets"]

#: Columns holding a value of the row's indicator (formatted by the row's ``kind``).
_KIND_COLUMNS = ("value", "previous_value")
#: Columns that are always fractions, shown as percentages.
_PERCENT_COLUMNS = ("relative_change", "share")
#: Columns holding years: never thousands separators, never decimals.
_YEAR_COLUMNS = ("year", "previous_year")
#: Printed cells shown as text but aligned as numbers: "12", "−3", "1,024", "[blank]", "/".
_NUMBER_TEXT = re.compile(r"[-−+]?[\d,]+(\.\d+)?%?|\[[^\]]*\]|/")
_STYLE = (
    "<style>table.gd-table{border-collapse:collapse;margin:0.4em 0 1em 0;font-size:13px}"
    "table.gd-table th,table.gd-table td{border-bottom:1px solid #ddd;padding:3px 8px;vertical-align:top;"
    "text-align:left;white-space:normal;overflow-wrap:break-word;max-width:38em}"
    "table.gd-table td.num,table.gd-table th.num{text-align:right;white-space:nowrap}"
    "table.gd-table th{border-bottom:2px solid #999;white-space:nowrap}p.gd-note{font-size:12px;color:#555;margin-top:-0.6em}</style>"
)


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def format_number(value: Any, kind: str = "count", *, signed: bool = False) -> str:
    """One number as a reader wants it: ``kind`` ``"ratio"`` → percent with one decimal (a
    signed change of a rate in percentage points), else an integer when the value is whole.

    >>> format_number(23.0), format_number(0.5186, "ratio"), format_number(-0.06, "ratio", signed=True)
    ('23', '51.9%', '−6.0 pp')
    >>> format_number(2.5), format_number(float("nan"))
    ('2.5', '<NA>')
    """
    if _missing(value):
        return "<NA>"
    number = float(value)
    sign = "+" if signed and number > 0 else ""
    if kind == "ratio":
        text = f"{sign}{number * 100:.1f}" + (" pp" if signed else "%")
    elif number.is_integer():
        text = f"{sign}{int(number)}"
    else:
        text = f"{sign}{number:.3f}".rstrip("0").rstrip(".")
    return text.replace("-", "−")


def _relative(value: str | PurePath, base: Path | None) -> str:
    path = Path(value)
    if base is not None:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return path.name


def _is_path(value: Any) -> bool:
    return isinstance(value, PurePath) or (isinstance(value, str) and os.path.isabs(value) and len(Path(value).parts) > 2)


def _flatten(frame: pd.DataFrame) -> pd.DataFrame:
    """A meaningful index becomes columns; a RangeIndex (or a filtered one) is dropped."""
    frame = frame.copy()
    frame.attrs = {}
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [" ".join(str(p) for p in parts if str(p)) for parts in frame.columns]
    frame.columns = [str(c) for c in frame.columns]
    frame.columns.name = None
    named = [n for n in frame.index.names if n is not None]
    if named:
        frame = frame.reset_index()
    else:
        frame = frame.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    return frame


def _numeric(series: pd.Series) -> bool:
    values = [v for v in series if not _missing(v)]
    return bool(values) and all(isinstance(v, Number) and not isinstance(v, (bool, np.bool_)) for v in values)


def _format_column(frame: pd.DataFrame, name: str, percent: Sequence[str], base: Path | None) -> tuple[list[str], bool]:
    """The cells of one column as text, and whether it is numeric (right-aligned)."""
    series = frame[name]
    kinds = frame["kind"].astype(str).tolist() if "kind" in frame.columns else ["count"] * len(frame)
    if name in _KIND_COLUMNS or name == "change":
        return [format_number(v, k, signed=name == "change") for v, k in zip(series, kinds)], True
    if name in percent or name in _PERCENT_COLUMNS:
        return [format_number(v, "ratio", signed=name == "relative_change").replace(" pp", "%") for v in series], True
    if name in _YEAR_COLUMNS and _numeric(series):
        return [format_number(v) for v in series], True
    if _numeric(series):
        return [format_number(v) for v in series], True
    cells = []
    numeric_text = all(_NUMBER_TEXT.fullmatch(str(v)) for v in series if not _missing(v)) and series.notna().any()
    for value in series:
        if _missing(value):
            cells.append("")
        elif isinstance(value, (bool, np.bool_)):
            cells.append("yes" if value else "no")
        elif _is_path(value):
            cells.append(_relative(value, base))
        else:
            cells.append(str(value))
    return cells, bool(numeric_text)


class Table:
    """A formatted frame: HTML in notebooks (``_repr_html_``), aligned text elsewhere."""

    def __init__(self, columns: list[str], cells: list[list[str]], numeric: list[bool], empty: str, note: str = "") -> None:
        self.columns, self.cells, self.numeric, self.empty, self.note = columns, cells, numeric, empty, note

    def __len__(self) -> int:
        return len(self.cells)

    def frame(self) -> pd.DataFrame:
        """The shown text as a frame of strings."""
        return pd.DataFrame(self.cells, columns=self.columns)

    def _repr_html_(self) -> str:
        if not self.cells:
            return f"<p><em>{html.escape(self.empty)}</em></p>"
        # alignment inline: Jupyter's own stylesheet right-aligns every cell with a stronger selector
        align = ['class="num" style="text-align:right"' if n else 'style="text-align:left"' for n in self.numeric]
        head = "".join(f"<th {a}>{html.escape(c)}</th>" for c, a in zip(self.columns, align))
        rows = "".join("<tr>" + "".join(f"<td {a}>{html.escape(v)}</td>" for v, a in zip(row, align)) + "</tr>" for row in self.cells)
        note = f'<p class="gd-note">{html.escape(self.note)}</p>' if self.note else ""
        return f'{_STYLE}<table class="gd-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{note}'

    def __repr__(self) -> str:
        if not self.cells:
            return self.empty
        text = self.frame().to_string(index=False)
        return text + (f"\n{self.note}" if self.note else "")


def table(frame: pd.DataFrame, columns: Sequence[str] | None = None, *, empty: str, percent: Sequence[str] = (),
          paths_relative_to: str | os.PathLike[str] | None = None, note: str = "") -> Table:
    """``frame`` (or its ``columns``) formatted for reading; ``empty`` is the sentence shown when
    it has no rows ("No validation findings." rather than a header-only table).

    Numbers follow the row's ``kind`` in ``value``/``previous_value``/``change`` (ratio → %,
    change of a ratio → percentage points), ``percent`` names further fraction columns, whole
    numbers print without decimals, booleans as yes/no, paths relative to ``paths_relative_to``
    (else the file name). ``note`` is a line printed under the table.

    >>> import govdisclose
    >>> r = govdisclose.compare_agencies(govdisclose.load_sample(), 2023, indicator="disclosure_rate")
    >>> table(r, ["rank", "agency", "value", "denominator", "small_denominator"], empty="-").frame().iloc[0].tolist()
    ['1', '沭阳县发展和改革局', '100.0%', '26', 'no']
    """
    flat = _flatten(frame)
    shown = list(columns) if columns is not None else [c for c in flat.columns if c != "kind" or columns is not None]
    missing = [c for c in shown if c not in flat.columns]
    if missing:
        from govdisclose.exceptions import GovDiscloseError

        raise GovDiscloseError(f"table: no column(s) {', '.join(missing)} (the frame has {', '.join(flat.columns)})")
    base = Path(paths_relative_to) if paths_relative_to else None
    formatted = [_format_column(flat, c, percent, base) for c in shown]
    cells = [list(row) for row in zip(*(cells for cells, _ in formatted))] if len(flat) else []
    return Table(shown, cells, [numeric for _, numeric in formatted], empty, note)


def indicator_summary(values: pd.DataFrame, columns: str = "year") -> Table:
    """The output of :func:`govdisclose.indicators` as one row per indicator and one column per
    year (or agency): counts as integers, rates as percentages, ``*`` on a rate with a small
    denominator, ``<NA>`` where there is no value (the ``reason`` column of the frame says why).

    >>> import govdisclose
    >>> t = indicator_summary(govdisclose.indicators(govdisclose.load_sample().query("agency == '外交部'")))
    >>> t.frame().set_index("indicator").loc[["requests_received", "disclosure_rate"], "2023"].tolist()
    ['18', '29.4% *']
    """
    from govdisclose.analysis.measures import indicator_definitions

    defs = indicator_definitions().set_index("indicator")
    frame = values.copy()
    frame.attrs = {}
    frame["shown"] = [format_number(v, str(k)) + (" *" if not _missing(s) and bool(s) and not _missing(v) else "")
                      for v, k, s in zip(frame["value"], frame["kind"], frame["small_denominator"])]
    order = [i for i in defs.index if i in set(frame["indicator"])]
    wide = frame.pivot_table(index="indicator", columns=columns, values="shown", aggfunc="first", observed=True).reindex(order)
    wide.columns = [str(c) for c in wide.columns]
    wide.insert(0, "label_zh", defs.loc[order, "label_zh"])
    wide = wide.fillna("<NA>").reset_index()[["label_zh", "indicator", *wide.columns[1:]]]
    numeric = [False, False] + [True] * (wide.shape[1] - 2)
    note = "* small denominator: a rate on few requests, read with care" if frame["shown"].str.endswith("*").any() else ""
    return Table(list(wide.columns), wide.astype(str).to_numpy().tolist(), numeric, "No indicators.", note)


class Bullets:
    """A Markdown list (``_repr_markdown_`` in notebooks, plain lines elsewhere)."""

    def __init__(self, items: Sequence[str], title: str = "", empty: str = "") -> None:
        self.items, self.title, self.empty = [str(i) for i in items], title, empty

    def _repr_markdown_(self) -> str:
        if not self.items:
            return f"_{self.empty}_" if self.empty else ""
        head = f"**{self.title}**\n\n" if self.title else ""
        return head + "\n".join(f"- {item}" for item in self.items)

    def __repr__(self) -> str:
        if not self.items:
            return self.empty
        return "\n".join(([self.title] if self.title else []) + [f"- {item}" for item in self.items])


def bullets(items: Sequence[str], *, title: str = "", empty: str = "") -> Bullets:
    """Caveats or notes as a bulleted list, each shown once and in full.

    >>> print(bullets(["no report for 2020", "no report for 2020", "small denominator"], title="Caveats"))
    Caveats
    - no report for 2020
    - small denominator
    """
    return Bullets(list(dict.fromkeys(items)), title, empty)
