"""The tables and figures of a paper, from a corpus, into one folder (what the ``paper_tables``
notebook runs).

:func:`paper_tables` writes

* ``tables/``: ``corpus`` (reports, agencies and cell states per year), ``indicators`` (per
  indicator and year: reports with a value, missing, median and quartiles), ``ranking`` (one
  indicator across agencies in one year, the top ``top``), ``findings`` (validator findings by
  rule and severity) — each as CSV and as a booktabs LaTeX table — with ``sources.csv`` (every
  report file and its SHA-256) and ``codebook.csv`` (every column and code of them);
* ``figures/``: ``indicator_by_year`` (box plot of one indicator per year) and ``ranking``, as
  PDF and SVG with the CJK font embedded (and PNG for the notebook);
* ``report_views/``: the printed tables of the reports with validator errors, problem cells
  marked (:func:`govdisclose.viz.report_view.report_view`), one HTML page each;
* ``paper.tex``: a XeLaTeX document (xeCJK) holding every table and figure.

>>> import govdisclose
>>> sample = govdisclose.load_sample()
>>> corpus = corpus_table(sample, govdisclose.validate(sample)).set_index("year")
>>> corpus.loc[2023, ["reports", "blank_cells"]].tolist()  # 外交部, 平潭 and its two departments, 沭阳发改局 (125 blank)
[5, 125]
>>> int(corpus["reports_with_errors"].sum())  # 平潭 自然资源与生态环境局 2020, 2021, 2023
3
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from govdisclose.exceptions import GovDiscloseError
from govdisclose.viz.paper.latex import DEFAULT_CJK_FONT, escape_latex, latex_document, to_latex

__all__ = ["PaperOutputs", "paper_tables", "by_kind", "corpus_table", "indicator_distribution", "findings_table", "indicator_boxplot",
           "DEFAULT_INDICATORS"]

#: The indicators summarised by default.
DEFAULT_INDICATORS: tuple[str, ...] = ("requests_received", "disclosure_rate", "denial_rate", "not_held_share", "backlog_ratio",
                                       "review_count", "litigation_count", "review_correction_rate")


@dataclass
class PaperOutputs:
    """What :func:`paper_tables` wrote: the tables (frames), figures, report views and files."""

    folder: Path
    tables: dict[str, pd.DataFrame]
    figures: dict[str, Any]
    report_views: dict[str, Any] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def tex(self) -> Path:
        return self.folder / "paper.tex"


def corpus_table(metrics: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """Per year: reports, agencies, templates, cells read, blank and unreadable cells, reports with errors."""
    errors = findings[findings["severity"].astype(str) == "error"]
    rows = []
    for year, part in metrics.groupby("year", observed=True):
        sources = set(part["source"])
        rows.append({"year": int(str(year)), "reports": len(sources), "agencies": part["agency"].nunique(),
                     "template": ", ".join(sorted(part["template"].dropna().astype(str).unique())), "cells": len(part),
                     "blank_cells": int((part["state"] == "blank").sum()), "unreadable_cells": int((part["state"] == "unreadable").sum()),
                     "reports_with_errors": len(sources & set(errors["source"]))})
    return pd.DataFrame(rows, columns=["year", "reports", "agencies", "template", "cells", "blank_cells", "unreadable_cells",
                                       "reports_with_errors"])


def indicator_distribution(values: pd.DataFrame, indicators: Sequence[str]) -> pd.DataFrame:
    """Per indicator and year: reports, with a value, missing, median, first and third quartile."""
    from govdisclose.analysis.measures import indicator_definitions

    labels = indicator_definitions().set_index("indicator")["label_zh"]
    rows = []
    for indicator in indicators:
        part = values[values["indicator"] == indicator]
        for year, group in part.groupby("year", observed=True):
            present = group["value"].dropna().astype(float)
            q = np.quantile(present, [0.25, 0.5, 0.75]) if len(present) else [pd.NA] * 3
            rows.append({"indicator": indicator, "label_zh": labels.get(indicator, ""), "kind": group["kind"].iloc[0],
                         "year": int(str(year)), "reports": len(group), "with_value": len(present), "missing": len(group) - len(present),
                         "median": q[1], "q1": q[0], "q3": q[2]})
    out = pd.DataFrame(rows, columns=["indicator", "label_zh", "kind", "year", "reports", "with_value", "missing", "median", "q1", "q3"])
    for column in ("median", "q1", "q3"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("Float64")
    return out


def findings_table(findings: pd.DataFrame) -> pd.DataFrame:
    """Validator findings by rule and severity: findings, reports, and what the rule checks."""
    from govdisclose.checks.rules import RULES

    if findings.empty:
        return pd.DataFrame(columns=["rule", "description", "severity", "findings", "reports"])
    grouped = findings.assign(severity=findings["severity"].astype(str)).groupby(["rule", "severity"], observed=True)
    out = grouped.agg(findings=("message", "size"), reports=("source", "nunique")).reset_index()
    out.insert(1, "description", out["rule"].map(lambda r: RULES.get(r, "")))
    return out


def indicator_boxplot(values: pd.DataFrame, indicator: str) -> Any:
    """One indicator per year as box plots over the reports with a value (n under each box)."""
    from matplotlib.ticker import PercentFormatter

    from govdisclose.analysis.measures import indicator_definitions
    from govdisclose.viz.figure import new_figure

    part = values[(values["indicator"] == indicator) & values["value"].notna()]
    if part.empty:
        raise GovDiscloseError(f"indicator_boxplot: no values of {indicator!r}")
    years = sorted(int(y) for y in part["year"].unique())
    data = [part.loc[part["year"] == y, "value"].astype(float).to_numpy() for y in years]
    fig = new_figure(6.5, 3.6)
    ax = fig.add_subplot()
    ax.boxplot(data, positions=range(len(years)), widths=0.55)
    ax.set_xticks(range(len(years)), [f"{y}\nn={len(d)}" for y, d in zip(years, data)])
    if str(part["kind"].iloc[0]) == "ratio":
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(bottom=0)
    labels = indicator_definitions().set_index("indicator")["label_zh"]
    ax.set_title(f"{labels.get(indicator, indicator)}（{indicator}）")
    return fig


def _figure_tex(name: str, caption: str) -> str:
    return "\n".join([r"\begin{figure}[htbp]", r"\centering", rf"\includegraphics[width=0.9\linewidth]{{figures/{name}.pdf}}",
                      rf"\caption{{{escape_latex(caption)}}}", r"\end{figure}"])


def paper_tables(metrics: pd.DataFrame, output_dir: str | os.PathLike[str], *, year: int | None = None,
                 indicators: Sequence[str] = DEFAULT_INDICATORS, ranking_indicator: str = "disclosure_rate", top: int = 20,
                 report_views: int = 5, cjk_font: str = DEFAULT_CJK_FONT, data_dir: str | os.PathLike[str] | None = None) -> PaperOutputs:
    """Write a paper's tables, figures, report views and ``paper.tex`` (see the module docstring)
    into ``output_dir``; ``year`` (default: the latest) is the year of the ranking, ``top`` its
    length, ``report_views`` how many reports with errors get a page (most error cells first).
    ``data_dir`` is the corpus folder, for naming the sources relative to it."""
    import warnings

    from govdisclose.analysis.compare import ComparabilityWarning, compare_agencies
    from govdisclose.analysis.measures import indicators as compute
    from govdisclose.checks.rules import validate
    from govdisclose.viz import plots
    from govdisclose.viz.paper.export import export_tables, save_figures
    from govdisclose.viz.report_view import report_view

    if metrics.empty:
        raise GovDiscloseError("paper_tables: the corpus has no reports")
    root = Path(output_dir)
    year = int(year if year is not None else metrics["year"].dropna().max())
    findings = validate(metrics)
    values = compute(metrics, list(dict.fromkeys([*indicators, ranking_indicator])))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ComparabilityWarning)  # the caveats travel in the frame's caveat column
        ranking = compare_agencies(metrics, year, indicator=ranking_indicator)
    ranking = ranking.sort_values(["rank", "agency"], na_position="last", kind="stable").head(top).reset_index(drop=True)
    tables = {"corpus": corpus_table(metrics, findings), "indicators": indicator_distribution(values, indicators),
              "ranking": ranking[["rank", "agency", "year", "indicator", "label_zh", "kind", "value", "numerator", "denominator",
                                  "small_denominator", "scope", "caveat"]],
              "findings": findings_table(findings)}
    label = str(ranking["label_zh"].iloc[0]) if len(ranking) else ranking_indicator
    latex = {
        "corpus": to_latex(tables["corpus"], caption="Reports, agencies and cells per year", label="tab:corpus"),
        "indicators": to_latex(by_kind(tables["indicators"]), ["indicator", "year", "with_value", "missing", "median", "q1", "q3"],
                               caption="Indicators per year: median and quartiles over the reports with a value",
                               label="tab:indicators", font_size="small"),
        "ranking": to_latex(tables["ranking"], ["rank", "agency", "value", "numerator", "denominator"],
                            caption=f"{label} ({ranking_indicator}), {year}: top {top}", label="tab:ranking", font_size="small"),
        "findings": to_latex(tables["findings"], ["rule", "severity", "findings", "reports"], caption="Validator findings",
                             label="tab:findings"),
    }
    files = export_tables(tables, root / "tables", metrics=metrics, latex=latex, relative_to=data_dir)
    figures: dict[str, Any] = {"indicator_by_year": indicator_boxplot(values, ranking_indicator)}
    if ranking["value"].notna().any():
        figures["ranking"] = plots.ranking_plot(ranking)
    files.update(save_figures(figures, root / "figures", formats=(".pdf", ".svg", ".png")))
    views = _report_views(metrics, findings, report_views, root / "report_views", report_view)
    files.update({f"{name}.html": root / "report_views" / f"{name}.html" for name in views})
    captions = {"indicator_by_year": f"{ranking_indicator} per year (box: quartiles; n: reports with a value)",
                "ranking": f"{label}, {year}"}
    parts = [latex[name] for name in latex] + [_figure_tex(name, captions[name]) for name in figures]
    corpus = tables["corpus"]
    title = (f"Government information disclosure annual reports: {int(corpus['reports'].sum())} reports, "
             f"{corpus['year'].min()}-{corpus['year'].max()}")
    tex = latex_document(parts, title=title, cjk_font=cjk_font)
    (root / "paper.tex").write_text(tex, encoding="utf-8")
    files["paper.tex"] = root / "paper.tex"
    return PaperOutputs(root, tables, figures, views, files)


def by_kind(frame: pd.DataFrame) -> pd.DataFrame:
    """The statistics of ratio indicators in %, of counts as numbers (as text, for the table)."""
    from govdisclose.viz.tables import format_number

    out = frame.copy()
    for column in ("median", "q1", "q3"):
        out[column] = [format_number(v, str(k)) for v, k in zip(frame[column], frame["kind"])]
    return out


def _report_views(metrics: pd.DataFrame, findings: pd.DataFrame, limit: int, folder: Path, view: Any) -> dict[str, Any]:
    errors = findings[findings["severity"].astype(str) == "error"]
    order = errors.groupby("source", observed=True).size().sort_values(ascending=False, kind="stable")
    views: dict[str, Any] = {}
    for source in list(order.index)[:limit]:
        one = metrics[metrics["source"] == source]
        if str(one["template"].iloc[0]) not in ("2019", "2021"):
            continue
        shown = view(one, findings)
        name = Path(str(source)).stem
        folder.mkdir(parents=True, exist_ok=True)
        page = f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(name)}</title></head><body>{shown.to_html()}</body></html>'
        (folder / f"{name}.html").write_text(page, encoding="utf-8")
        views[name] = shown
    return views
