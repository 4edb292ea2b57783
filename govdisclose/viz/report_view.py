"""One report's three tables as they are printed, with every problem cell marked.

:func:`report_view` lays a report's cells out in the template's own grid (table 2 by blocks
under their article headings, table 3 under its three header rows and the outcome span, table 4
under its three-level header; Chinese labels from :mod:`govdisclose.template.printed`, the grids
of :mod:`govdisclose.synth.grids`) and shows

* each cell as printed: a number by its printed text, ``/`` and other placeholders as printed
  (class ``gd-na``), a blank as an empty hatched cell (``gd-blank``, never ``0``), an unreadable
  cell as ``?`` (``gd-unreadable``, the reason on hover), a cell the frame lacks as ``gd-absent``;
* the cells of every failed validator rule outlined (``gd-error`` / ``gd-warning``): all cells
  of the failed equation (its total and its parts), the cell a domain, cross-year or narrative
  finding names, and for the validator's one-per-rule ``unfilled`` summary the cells of every
  equation it stands for;
* each cell's location (where it was read), state, raw text and findings in its ``title``
  (shown on hover).

The view is HTML for notebooks (``_repr_html_``, self-contained CSS, no script), so it also
appears in the rendered HTML reports (the ``paper_tables`` notebook shows the reports whose
arithmetic fails); :attr:`ReportView.cells` is the same as a DataFrame, one row per cell;
:meth:`ReportView.frame` gives one table as a frame with the template's labels and
:meth:`ReportView.styler` the same as a pandas ``Styler`` (marks as classes, the hover text as
each cell's ``title``).

>>> import govdisclose
>>> view = report_view(govdisclose.read_report(govdisclose.sample_path("pingtan_zrz_2020.txt")))
>>> sorted(view.highlighted("error"))[:2]
[('requests', 'denied.administrative_query', 'legal_service_org'), ('requests', 'denied.administrative_query', 'total')]
>>> len(view.highlighted("error")), len(view.highlighted())
(40, 40)
>>> len(report_view(govdisclose.read_report(govdisclose.sample_path("mfa_2023.txt"))).highlighted())
0
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from govdisclose.exceptions import GovDiscloseError
from govdisclose.template import arithmetic
from govdisclose.template.arithmetic import CellKey, Equation
from govdisclose.template.catalogue import TEMPLATES, template_cells
from govdisclose.template.printed import SECTIONS

__all__ = ["ReportView", "report_view", "finding_cells", "CELL_COLUMNS", "VIEW_TABLES"]

#: The three tables of a report, in printed order, with their section headings.
VIEW_TABLES: tuple[str, ...] = ("active_disclosure", "requests", "review_litigation")
_HEADINGS = dict(zip(VIEW_TABLES, SECTIONS[1:4]))
#: Columns of :attr:`ReportView.cells`.
CELL_COLUMNS: list[str] = ["table", "item", "applicant", "label_zh", "state", "shown", "raw", "location", "note", "highlight",
                           "rules"]
_RANK = {"error": 2, "warning": 1, "": 0}

_STYLE = (
    "<style>.gd-rv table{border-collapse:collapse;margin:0.3em 0 1.2em 0;font-size:12px}"
    ".gd-rv th,.gd-rv td{border:1px solid #888;padding:2px 5px;vertical-align:middle}"
    ".gd-rv table th{background:#f3f3f3;font-weight:normal;text-align:center!important}"  # over Jupyter's right-aligned th
    ".gd-rv table td{text-align:right;min-width:2.2em;font-variant-numeric:tabular-nums}"
    ".gd-rv td.gd-blank{background:repeating-linear-gradient(45deg,#fff,#fff 3px,#e4e4e4 3px,#e4e4e4 5px)}"
    ".gd-rv td.gd-na{color:#555;font-style:italic;text-align:center}"
    ".gd-rv td.gd-unreadable{background:#ffe0f0;color:#a0005a;font-weight:bold;text-align:center}"
    ".gd-rv td.gd-absent{background:#d8d8d8}"
    ".gd-rv td.gd-warning{outline:2px solid #e69500;outline-offset:-2px;background-color:#fff4d6}"
    ".gd-rv td.gd-error{outline:3px solid #d00000;outline-offset:-3px;background-color:#ffd9d9}"
    ".gd-rv .gd-legend span{display:inline-block;border:1px solid #888;padding:0 6px;margin-right:6px}"
    ".gd-rv ul{font-size:12px}</style>"
)


@dataclass(frozen=True)
class _Cell:
    state: str
    shown: str
    raw: str
    label: str
    location: str
    note: str


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _shown(state: str, value: Any, raw: str) -> str:
    if state == "blank":
        return ""
    if state == "unreadable":
        return "?"
    if raw.strip():
        return raw.strip()
    if state == "number" and not pd.isna(value):
        return f"{float(value):g}"
    return raw


def _cells(metrics: pd.DataFrame) -> dict[CellKey, _Cell]:
    out: dict[CellKey, _Cell] = {}
    columns = {c: metrics[c] if c in metrics else [None] * len(metrics) for c in ("raw", "location", "note", "label_zh", "applicant_zh")}
    for table, item, applicant, state, value, raw, location, note, label, who in zip(
            metrics["table"], metrics["item"], metrics["applicant"], metrics["state"], metrics["value"], columns["raw"],
            columns["location"], columns["note"], columns["label_zh"], columns["applicant_zh"]):
        key = (str(table), str(item), None if pd.isna(applicant) else str(applicant))
        raw_text = _text(raw)
        label_text = " · ".join(t for t in (_text(label), _text(who)) if t)
        out[key] = _Cell(str(state), _shown(str(state), value, raw_text), raw_text, label_text, _text(location), _text(note))
    return out


def _equation_index(equations: Iterable[Equation]) -> dict[tuple[str, str, str | None, str | None], Equation]:
    return {(eq.rule, eq.table, eq.item, eq.applicant): eq for eq in equations}


def finding_cells(finding: Mapping[str, Any], equations: Iterable[Equation],
                  cells: Mapping[CellKey, Any] | None = None) -> tuple[CellKey, ...]:
    """The cells one validator finding (a row of :func:`govdisclose.validate`) is about.

    An arithmetic finding: every cell of its equation (found by rule, table, item and applicant);
    the ``unfilled`` summary the validator gives once per rule (no item, no applicant): the cells
    of every equation of that rule whose verdict is ``unfilled`` on ``cells`` (the report's
    ``(state, value)`` by key). Any other finding: the cell it names, if it names one.

    >>> eqs = arithmetic.equations("2021", tables=("review_litigation",))
    >>> finding_cells({"rule": "review_litigation.block_total", "table": "review_litigation", "item": "review.total",
    ...                "applicant": None}, eqs)[:2]
    (('review_litigation', 'review.total', None), ('review_litigation', 'review.upheld', None))
    >>> finding_cells({"rule": "domain", "table": "requests", "item": "granted", "applicant": "total"}, eqs)
    (('requests', 'granted', 'total'),)
    """
    rule, table, item, applicant = (None if pd.isna(finding.get(k)) else str(finding.get(k))
                                    for k in ("rule", "table", "item", "applicant"))
    if rule in arithmetic.RULES and table is not None:
        eqs = list(equations)
        eq = _equation_index(eqs).get((rule, table, item, applicant))
        if eq is not None:
            return eq.cells
        if item is None and applicant is None and cells is not None:
            found = [eq for eq in eqs if eq.rule == rule and arithmetic.evaluate(eq, cells).status == "unfilled"]
            return tuple(dict.fromkeys(k for eq in found for k in eq.cells))
        return ()
    if table is not None and item is not None:
        return ((table, item, applicant),)
    return ()


class ReportView:
    """One report's printed tables with their problem cells marked (see the module docstring).

    ``cells`` has one row per cell of the report's template layout (:data:`CELL_COLUMNS`;
    ``highlight`` is ``error``, ``warning`` or empty, ``rules`` the findings' rules);
    ``findings`` are the validator findings shown; ``unplaced`` those that name no cell.
    """

    def __init__(self, *, agency: str, year: Any, template: str, source: str, layout: dict[str, list[Any]],
                 cells: dict[CellKey, _Cell], marks: dict[CellKey, list[tuple[str, str, str]]], findings: pd.DataFrame,
                 unplaced: pd.DataFrame, keys: dict[str, CellKey]) -> None:
        self.agency, self.year, self.template, self.source = agency, year, template, source
        self._layout, self._cells, self._marks, self._keys = layout, cells, marks, keys
        self.findings, self.unplaced = findings, unplaced

    def highlight(self, key: CellKey) -> str:
        """``error``, ``warning`` or ``""`` for one cell: the most serious finding about it."""
        return max((sev for sev, _, _ in self._marks.get(key, [])), key=_RANK.__getitem__, default="")

    def highlighted(self, severity: str | None = None) -> set[CellKey]:
        """The cells marked (of one severity, or of any)."""
        return {k for k in self._marks if (self.highlight(k) == severity if severity else self.highlight(k))}

    @property
    def cells(self) -> pd.DataFrame:
        """Every cell of the layout as a row (:data:`CELL_COLUMNS`), in printed order."""
        rows = []
        for key in self._keys.values():
            cell = self._cells.get(key)
            marks = self._marks.get(key, [])
            rows.append({"table": key[0], "item": key[1], "applicant": key[2], "label_zh": cell.label if cell else "",
                         "state": cell.state if cell else "absent", "shown": cell.shown if cell else "",
                         "raw": cell.raw if cell else "", "location": cell.location if cell else "",
                         "note": cell.note if cell else "", "highlight": self.highlight(key),
                         "rules": ", ".join(dict.fromkeys(rule for _, rule, _ in marks))})
        return pd.DataFrame(rows, columns=CELL_COLUMNS)

    def cells_keys(self) -> list[CellKey]:
        """The cell keys of the layout, in printed order."""
        return list(self._keys.values())

    def cell_title(self, key: CellKey) -> str:
        """What hovering over a cell shows: its label, state (and raw text), where it was read,
        the reader's note, and every finding about it."""
        cell = self._cells.get(key)
        state = cell.state if cell else "absent"
        lines = [cell.label if cell and cell.label else " · ".join(k for k in key if k)]
        lines.append(f"{state}" + (f": {cell.raw!r}" if cell and cell.raw and state != "number" else ""))
        lines.append(f"location: {cell.location}" if cell and cell.location else "location: not read (the cell is not in the frame)")
        if cell and cell.note:
            lines.append(f"note: {cell.note}")
        lines += [f"{sev} {rule}: {message}" for sev, rule, message in self._marks.get(key, [])]
        return "\n".join(lines)

    def frame(self, table: str) -> pd.DataFrame:
        """One table as a frame of the cells as shown, rows and columns by the template's labels."""
        from govdisclose.viz.printed_frames import printed_frame

        return printed_frame(self, table)[0]

    def styler(self, table: str) -> Any:
        """One table as a pandas ``Styler`` (problem cells marked, locations as hover titles)."""
        from govdisclose.viz.printed_frames import printed_styler

        return printed_styler(self, table)

    def _td(self, key: CellKey | None, span: Any) -> str:
        spans = (f' rowspan="{span.rows}"' if span.rows > 1 else "") + (f' colspan="{span.cols}"' if span.cols > 1 else "")
        if key is None:
            return f"<td{spans}></td>"
        cell = self._cells.get(key)
        state = cell.state if cell else "absent"
        classes = [f"gd-{state}" if state != "number" else "gd-number"]
        if self.highlight(key):
            classes.append(f"gd-{self.highlight(key)}")
        title = html.escape(self.cell_title(key), quote=True)
        shown = html.escape(cell.shown if cell else "")
        return f'<td class="{" ".join(classes)}" title="{title}" data-cell="{html.escape(" ".join(k or "" for k in key))}"{spans}>{shown}</td>'

    def table_html(self, table: str) -> str:
        """One table (``active_disclosure``, ``requests`` or ``review_litigation``) as an HTML table."""
        rows = []
        for row in self._layout[table]:
            parts = []
            for span in row:
                if span.value:
                    parts.append(self._td(self._keys.get(span.text), span))
                else:
                    spans = (f' rowspan="{span.rows}"' if span.rows > 1 else "") + (f' colspan="{span.cols}"' if span.cols > 1 else "")
                    parts.append(f"<th{spans}>{html.escape(span.text)}</th>")
            rows.append("<tr>" + "".join(parts) + "</tr>")
        return f'<table class="gd-rv-{table}"><tbody>' + "".join(rows) + "</tbody></table>"

    def to_html(self) -> str:
        """The whole view: heading, legend, the three tables, and the findings that name no cell."""
        counts = {s: len(self.highlighted(s)) for s in ("error", "warning")}
        head = (f"<p><b>{html.escape(str(self.agency))} {html.escape(str(self.year))}</b> (template {html.escape(self.template)}, "
                f"{html.escape(str(self.source).replace(chr(92), '/').rsplit('/', 1)[-1])}): {counts['error']} cell(s) in failed rules "
                f"(error), {counts['warning']} in warnings; hover over a cell for where it was read.</p>")
        parts = [_STYLE, '<div class="gd-rv">', head, _legend()]
        for table in VIEW_TABLES:
            parts.append(f"<p><b>{html.escape(_HEADINGS[table])}</b></p>")
            parts.append(self.table_html(table))
        if len(self.unplaced):
            parts.append("<p>Findings that name no cell:</p><ul>" + "".join(
                f"<li>{html.escape(str(r['severity']))} {html.escape(str(r['rule']))}: {html.escape(str(r['message']))}</li>"
                for r in self.unplaced.to_dict("records")) + "</ul>")
        parts.append("</div>")
        return "".join(parts)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return (f"<ReportView {self.agency} {self.year}: {len(self.highlighted('error'))} error cell(s), "
                f"{len(self.highlighted('warning'))} warning cell(s)>")


def _legend() -> str:
    items = [("gd-number", "12", "number"), ("gd-blank", "&nbsp;&nbsp;&nbsp;", "blank (printed empty)"),
             ("gd-na", "/", "placeholder as printed"), ("gd-unreadable", "?", "unreadable"),
             ("gd-absent", "&nbsp;&nbsp;&nbsp;", "not in the frame"), ("gd-error", "&nbsp;&nbsp;&nbsp;", "in a failed rule"),
             ("gd-warning", "&nbsp;&nbsp;&nbsp;", "in a warning")]
    return ('<table class="gd-legend"><tbody><tr>' + "".join(f'<td class="{c}">{t}</td><th>{w}</th>' for c, t, w in items)
            + "</tr></tbody></table>")


def _one_report(report: Any) -> tuple[pd.DataFrame, Any]:
    if isinstance(report, pd.DataFrame):
        sources: list[Any] = list(report["source"].unique()) if "source" in report else []
        if len(sources) != 1:
            raise GovDiscloseError(f"report_view() shows one report: the frame holds {len(sources)} sources; select one "
                                   "(metrics[metrics['source'] == path])")
        return report, report
    if hasattr(report, "metrics"):
        return report.metrics, report
    raise GovDiscloseError(f"report_view() needs a Report (govdisclose.read_report) or one report's metrics frame, not {type(report).__name__}")


def report_view(report: Any, findings: pd.DataFrame | None = None) -> ReportView:
    """The printed tables of one report with its problem cells marked (see the module docstring).

    ``report`` is a :class:`~govdisclose.Report` or the tidy metrics of one report (one
    ``source``); ``findings`` are validator findings (default: ``govdisclose.validate(report)``,
    which for a Report includes the prose check; pass those of a whole corpus to include the
    cross-year rules; only the report's own rows are used).

    >>> import govdisclose
    >>> view = report_view(govdisclose.read_report(govdisclose.sample_path("shanghai_stcsm_2024.txt")))
    >>> view.cells.query("state == 'blank'")[["item", "applicant", "highlight"]].values.tolist()
    [['carried_forward', 'total', 'warning']]
    """
    from govdisclose.checks.rules import validate
    from govdisclose.synth.grids import active_grid, requests_grid, review_grid

    metrics, given = _one_report(report)
    if metrics.empty:
        raise GovDiscloseError("report_view(): the report has no cells")
    first = metrics.iloc[0]
    template = _text(first.get("template")) if "template" in metrics else ""
    if template not in TEMPLATES:
        raise GovDiscloseError(f"report_view() shows the template's tables; template {template!r} has none (pre-2019 reports "
                               "print headline figures only: see report.metrics)")
    source = str(first["source"])
    cells = _cells(metrics)
    single = ("requests", "other_handling", "total") in cells
    layout_keys = template_cells(template, single)
    keys = {f"\0{k}": key for k, key in enumerate(layout_keys)}
    tokens = _Tokens({key: token for token, key in keys.items()})
    layout = {"active_disclosure": active_grid(template, tokens),
              "requests": requests_grid("2019" if single else template, tokens), "review_litigation": review_grid(tokens)}
    if findings is None:
        findings = validate(given)
    mine = findings[findings["source"].astype(str) == source] if "source" in findings else findings
    mine = mine[mine["severity"].astype(str).isin(["error", "warning"])]
    equations = arithmetic.report_equations(cells, template)
    values = dict(zip(((str(t), str(i), None if pd.isna(a) else str(a)) for t, i, a in
                       zip(metrics["table"], metrics["item"], metrics["applicant"])), metrics["value"]))
    states = {k: (c.state, None if pd.isna(values.get(k)) else float(values[k])) for k, c in cells.items()}
    marks: dict[CellKey, list[tuple[str, str, str]]] = {}
    unplaced = []
    for row in mine.to_dict("records"):
        found = finding_cells({str(k): v for k, v in row.items()}, equations, states)
        if not found:
            unplaced.append(row)
        for key in found:
            marks.setdefault(key, []).append((str(row["severity"]), str(row["rule"]), str(row["message"])))
    return ReportView(agency=_text(first.get("agency")), year=first.get("year"), template=template, source=source, layout=layout,
                      cells=cells, marks=marks, findings=mine.reset_index(drop=True),
                      unplaced=pd.DataFrame(unplaced, columns=list(mine.columns)), keys=keys)


class _Tokens(dict):  # type: ignore[type-arg]
    """Cell key → the token a grid span carries (an unknown key gets a token of its own)."""

    _extra = itertools.count()

    def __missing__(self, key: Any) -> str:
        return f"\0missing{next(self._extra)}"
