"""Figures a paper can use, drawn from the tidy frames of :mod:`govdisclose.analysis.compare`, :mod:`govdisclose.analysis.composition` and
:mod:`govdisclose.analysis.measures`.

Every function returns a :class:`~govdisclose.viz.figure.ReportFigure`: a matplotlib figure not
managed by pyplot (nothing is shown twice in a notebook, nothing leaks) that displays itself in
Jupyter without ``%matplotlib inline`` and saves with :func:`save_figure` (PNG, PDF, SVG), with
Chinese labels in a real CJK font (:func:`govdisclose.viz.fonts.use_cjk_font`). Value axes of
counts and rates start at 0. Missing values are left out and named, never drawn as 0;
small denominators are hatched and labelled.

>>> import govdisclose
>>> from govdisclose.analysis.composition import outcome_composition
>>> fig = outcome_composition_plot(outcome_composition(govdisclose.load_sample(), "平潭综合实验区"))
>>> [t.get_text().split()[0] for t in fig.axes[0].get_xticklabels()]
['2019', '2021', '2023', '2024']
>>> len(fig.axes[0].patches)  # 4 years × 6 outcome groups
24
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from govdisclose.analysis.composition import OUTCOME_GROUPS
from govdisclose.exceptions import GovDiscloseError
from govdisclose.template.printed import SHORT_WORDS
from govdisclose.viz.figure import ReportFigure, new_figure, save_figure

__all__ = [
    "outcome_composition_plot",
    "ranking_plot",
    "outcome_heatmap",
    "applicant_mix_plot",
    "trend_plot",
    "distribution_plot",
    "peer_benchmark_plot",
    "save_figure",
    "OUTCOME_COLORS",
]

#: One colour per outcome group of table 3, in printed order (colour-blind safe).
OUTCOME_COLORS: dict[str, str] = {
    "granted": "#1b9e77", "partially_granted": "#66c2a5", "denied": "#d95f02",
    "unable": "#7570b3", "not_processed": "#e7298a", "other_handling": "#a6a6a6",
}
_APPLICANT_COLORS = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"]
_SCOPE_COLORS = {"whole_area": "#4c72b0", "department": "#dd8452"}
_SCOPE_LABELS = {"whole_area": "全域报告 whole area", "department": "部门报告 department"}


def _figure(width: float = 7.0, height: float = 4.0) -> tuple[ReportFigure, Axes]:
    fig = new_figure(width, height)
    return fig, fig.add_subplot()


def _from_zero(ax: Axes, values: np.ndarray, kind: str, axis: str = "y") -> None:
    """A value axis from 0 (rates and counts are never negative): up to 100% for a rate that
    reaches it, otherwise a little above the largest value, so one point is not centred on a
    meaningless ±0.04 range."""
    top = float(np.nanmax(values)) if np.isfinite(values).any() else 0.0
    if kind == "ratio":
        upper = 1.0 if top > 0.85 else max(top * 1.15, 0.1)
        (ax.set_ylim if axis == "y" else ax.set_xlim)(0, upper * 1.04)  # room for a point at 100%
        (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(PercentFormatter(1.0))
    else:
        (ax.set_ylim if axis == "y" else ax.set_xlim)(0, max(top * 1.15, 1.0))


def _need(frame: pd.DataFrame, columns: set[str], what: str) -> None:
    missing = columns - set(frame.columns)
    if missing:
        raise GovDiscloseError(f"{what} needs a frame with columns {', '.join(sorted(columns))}; missing {', '.join(sorted(missing))}")
    if frame.empty:
        raise GovDiscloseError(f"{what}: nothing to plot (the frame is empty)")


def _floats(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series).to_numpy(dtype=float, na_value=np.nan)


def _row_label(frame: pd.DataFrame) -> pd.Series:
    """'2023' when one agency, '外交部' when one year, else '外交部 2023'."""
    agencies, years = frame["agency"].nunique(), frame["year"].nunique()
    if agencies == 1:
        return frame["year"].astype(str)
    if years == 1:
        return frame["agency"].astype(str)
    return frame["agency"].astype(str) + " " + frame["year"].astype(str)


def _stacked(frame: pd.DataFrame, part: str, label: str, order: list[str], colors: list[str], *, title: str, horizontal: bool) -> ReportFigure:
    frame = frame.copy()
    frame["row"] = _row_label(frame)
    rows = list(dict.fromkeys(frame.sort_values(["agency", "year"])["row"]))
    shares = frame.pivot_table(index="row", columns=part, values="share", aggfunc="first", observed=True, dropna=False)
    shares = shares.reindex(index=rows, columns=order)
    labels = frame.drop_duplicates(part).set_index(part)[label].reindex(order)
    small = frame.groupby("row", sort=False, observed=True)["small_denominator"].any().reindex(rows).fillna(False)
    totals = frame.groupby("row", sort=False, observed=True)["total"].first().reindex(rows)
    fig, ax = _figure(7.5, max(3.0, 0.45 * len(rows) + 1.8) if horizontal else 4.2)
    positions = np.arange(len(rows))
    base = np.zeros(len(rows))
    missing_rows = []
    for code, color in zip(order, colors):
        values = _floats(shares[code]) if code in shares else np.full(len(rows), np.nan)
        drawn = np.nan_to_num(values, nan=0.0)
        hatches = ["//" if s else "" for s in small]
        bars = (ax.barh if horizontal else ax.bar)(positions, drawn, 0.7, base, color=color, label=labels[code], edgecolor="white")
        for bar, hatch in zip(bars, hatches):
            bar.set_hatch(hatch)
        base += drawn
        missing_rows += [rows[i] for i in np.flatnonzero(np.isnan(values))]
    tick_labels = []
    for i, row in enumerate(rows):
        total = totals.iloc[i]
        text = "n=?" if pd.isna(total) else f"n={total:g}"
        if row in missing_rows:
            text += " 部分缺失"
        tick_labels.append(f"{row}  {text}" if horizontal else f"{row}\n{text}")
    if horizontal:
        ax.set_yticks(positions, tick_labels)
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlim(0, 1)
    else:
        ax.set_xticks(positions, tick_labels)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylim(0, 1)
    handles, names = ax.get_legend_handles_labels()
    if small.any():
        handles.append(Patch(facecolor="white", edgecolor="grey", hatch="//"))
        names.append("分母较小 small n")
    fig.legend(handles, names, loc="outside right upper", fontsize=8, frameon=False)
    ax.set_title(title)
    if missing_rows:
        _note(ax, "部分缺失 = some parts are blank or unreadable: left out, not counted as 0 (" + ", ".join(dict.fromkeys(missing_rows)) + ")")
    return fig


def _note(ax, text: str, width: int = 90) -> None:
    """A wrapped note under the axes (as the x label, so the layout makes room for it)."""
    import textwrap

    ax.set_xlabel("\n".join(textwrap.wrap(text, width)), fontsize=7, loc="left")


def outcome_composition_plot(composition: pd.DataFrame, *, title: str | None = None, horizontal: bool | None = None) -> ReportFigure:
    """Stacked shares of the outcome groups of concluded requests, one bar per (agency, year).

    Takes :func:`govdisclose.analysis.composition.outcome_composition`; bars over years for one agency,
    horizontal bars across agencies otherwise. A bar with a missing part says so below the plot.

    >>> import govdisclose
    >>> from govdisclose.analysis.composition import outcome_composition
    >>> fig = outcome_composition_plot(outcome_composition(govdisclose.load_sample(), years=[2023]))
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['外交部  n=17', '平潭综合实验区  n=81', '平潭综合实验区社会事业局  n=1', '平潭综合实验区自然资源与生态环境局  n=? 部分缺失', '沭阳县发展和改革局  n=26']
    """
    _need(composition, {"agency", "year", "outcome", "outcome_zh", "share", "total", "small_denominator"}, "outcome_composition_plot")
    order = [code for code, _, _ in OUTCOME_GROUPS]
    if horizontal is None:
        horizontal = composition["agency"].nunique() > 1
    if title is None:
        agencies = composition["agency"].unique()
        title = f"{agencies[0]}：{SHORT_WORDS['outcomes']}构成" if len(agencies) == 1 else f"{SHORT_WORDS['outcomes']}构成 outcome composition"
    return _stacked(composition, "outcome", "outcome_zh", order, [OUTCOME_COLORS[c] for c in order], title=title, horizontal=horizontal)


def applicant_mix_plot(mix: pd.DataFrame, *, title: str | None = None) -> ReportFigure:
    """Stacked shares of new requests by applicant type (自然人, 商业企业 …), one bar per report.

    Takes :func:`govdisclose.analysis.composition.applicant_mix`.

    >>> import govdisclose
    >>> from govdisclose.analysis.composition import applicant_mix
    >>> fig = applicant_mix_plot(applicant_mix(govdisclose.load_sample(), "上海市科委"))
    >>> fig.axes[0].get_yticklabels()[0].get_text()
    '2024  n=34'
    """
    _need(mix, {"agency", "year", "applicant", "applicant_zh", "share", "total", "small_denominator"}, "applicant_mix_plot")
    order = list(dict.fromkeys(mix["applicant"]))
    agencies = mix["agency"].unique()
    if title is None:
        title = (f"{agencies[0]}：申请人构成（{SHORT_WORDS['new_received']}）" if len(agencies) == 1
                 else f"申请人构成 applicant mix（{SHORT_WORDS['new_received']}）")
    return _stacked(mix, "applicant", "applicant_zh", order, _APPLICANT_COLORS[: len(order)], title=title, horizontal=True)


def _format_value(value: float, kind: str) -> str:
    return f"{value:.0%}" if kind == "ratio" else f"{value:,.0f}"


def ranking_plot(ranking: pd.DataFrame, *, title: str | None = None) -> ReportFigure:
    """Horizontal bars of one indicator across agencies, ranked; takes
    :func:`govdisclose.analysis.compare.compare_agencies`.

    Bars are coloured by scope (whole-area vs department report), hatched where the denominator is
    small, and labelled with the value and n; agencies without a value are listed, not drawn as 0.

    >>> import govdisclose
    >>> from govdisclose.analysis.compare import compare_agencies
    >>> fig = ranking_plot(compare_agencies(govdisclose.load_sample(), 2024, indicator="requests_received"))
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()], fig.axes[0].get_title()
    (['平潭综合实验区', '平潭综合实验区自然资源与生态环境局', '上海市科委', '平潭综合实验区社会事业局'], '本年新收申请数（2024年）')
    """
    _need(ranking, {"agency", "value", "kind", "scope", "small_denominator", "denominator", "label_zh", "year"}, "ranking_plot")
    drawn = ranking[ranking["value"].notna()].sort_values("value", ascending=False)
    missing = ranking[ranking["value"].isna()]
    kind = str(ranking["kind"].iloc[0])
    fig, ax = _figure(7.0, max(2.6, 0.45 * len(drawn) + 1.8))
    positions = np.arange(len(drawn))
    values = _floats(drawn["value"])
    bars = ax.barh(positions, values, 0.65, color=[_SCOPE_COLORS.get(s, "grey") for s in drawn["scope"]], edgecolor="white")
    for bar, small, value, den in zip(bars, drawn["small_denominator"], values, drawn["denominator"]):
        if small:
            bar.set_hatch("//")
        label = _format_value(value, kind) + ("" if pd.isna(den) else f"  (n={den:g})")
        ax.annotate(label, (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(positions, list(drawn["agency"].astype(str)))
    ax.invert_yaxis()
    top = float(np.nanmax(values)) if len(values) else 0.0
    if kind == "ratio":
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlim(0, min(1.0, max(top, 0.05)) * 1.3)
        ax.set_xticks([t for t in ax.get_xticks() if 0 <= t <= 1.0 + 1e-9])  # room for labels, no ticks past 100%
    else:
        ax.set_xlim(0, max(top, 1.0) * 1.3)
    scopes = [s for s in _SCOPE_COLORS if s in set(drawn["scope"])]
    handles = [Patch(color=_SCOPE_COLORS[s]) for s in scopes]
    names = [_SCOPE_LABELS[s] for s in scopes]
    if drawn["small_denominator"].any():
        handles.append(Patch(facecolor="white", edgecolor="grey", hatch="//"))
        names.append("分母较小 small n")
    if handles:
        ax.legend(handles, names, fontsize=8, loc="lower right", frameon=False)
    label = ranking["label_zh"].iloc[0]
    ax.set_title(title or f"{label}（{int(ranking['year'].iloc[0])}年）")
    if len(missing):
        _note(ax, "无数值 no value (not 0): " + "; ".join(f"{a}: {r}" for a, r in zip(missing["agency"], missing["reason"].fillna(""))))
    return fig


def outcome_heatmap(composition: pd.DataFrame, *, title: str | None = None) -> ReportFigure:
    """Agency × outcome heatmap of shares (annotated in %); missing cells are left blank.

    Takes :func:`govdisclose.analysis.composition.outcome_composition` (one row label per agency, or per
    agency and year when several years are present).

    >>> import govdisclose
    >>> from govdisclose.analysis.composition import outcome_composition
    >>> fig = outcome_heatmap(outcome_composition(govdisclose.load_sample(), years=[2024]))
    >>> [t.get_text() for t in fig.axes[0].texts][:2]
    ['26%', '0%']
    """
    import seaborn as sns

    _need(composition, {"agency", "year", "outcome", "outcome_zh", "share"}, "outcome_heatmap")
    frame = composition.copy()
    frame["row"] = _row_label(frame) if frame["agency"].nunique() > 1 else frame["agency"].astype(str) + " " + frame["year"].astype(str)
    order = [label for _, label, _ in OUTCOME_GROUPS]
    table = frame.pivot_table(index="row", columns="outcome_zh", values="share", aggfunc="first", observed=True, dropna=False)
    table = table.reindex(columns=[c for c in order if c in table.columns])
    data = pd.DataFrame(table.to_numpy(dtype=float, na_value=np.nan), index=table.index, columns=table.columns)
    fig, ax = _figure(7.5, max(2.6, 0.5 * len(data) + 1.6))
    sns.heatmap(data, ax=ax, annot=True, fmt=".0%", cmap="Blues", vmin=0, vmax=1, mask=data.isna(), linewidths=0.5,
                cbar_kws={"format": PercentFormatter(1.0), "label": "占已办结 share of concluded"})
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="y", labelrotation=0)  # agency names read horizontally, however few rows
    ax.tick_params(axis="x", labelrotation=0)
    ax.set_title(title or f"{SHORT_WORDS['outcomes']}构成 outcome shares")
    return fig


def trend_plot(years: pd.DataFrame, *, title: str | None = None) -> ReportFigure:
    """One indicator of one agency over the years, from :func:`govdisclose.analysis.compare.compare_years`
    (filtered to one indicator). Steps that are not comparable (template or scope change) are
    dotted; missing years are gaps, not zeros.

    >>> import govdisclose
    >>> from govdisclose.analysis.compare import compare_years
    >>> y = compare_years(govdisclose.load_sample(), "平潭综合实验区", indicators="review_count")
    >>> trend_plot(y).axes[0].get_title()
    '平潭综合实验区：行政复议数'
    """
    _need(years, {"agency", "indicator", "year", "value", "comparable", "template", "kind", "label_zh"}, "trend_plot")
    if years["indicator"].nunique() != 1:
        raise GovDiscloseError("trend_plot draws one indicator: filter the frame first, e.g. frame[frame.indicator == 'disclosure_rate']")
    frame = years.sort_values("year")
    kind = str(frame["kind"].iloc[0])
    fig, ax = _figure(6.5, 3.6)
    xs = frame["year"].astype(int).to_numpy()
    ys = _floats(frame["value"])
    comparable = frame["comparable"].fillna(False).to_numpy(dtype=bool)
    for i in range(1, len(xs)):
        if np.isnan(ys[i]) or np.isnan(ys[i - 1]):
            continue
        style = "-" if comparable[i] else ":"
        ax.plot(xs[i - 1:i + 1], ys[i - 1:i + 1], style, color="#4c72b0")
    ax.plot(xs, ys, "o", color="#4c72b0")
    templates = list(frame["template"].astype(str))
    for i in range(1, len(xs)):
        if templates[i] != templates[i - 1]:
            ax.axvline((xs[i] + xs[i - 1]) / 2, color="grey", linestyle="--", linewidth=0.8)
            ax.annotate(f"模板 {templates[i - 1]}→{templates[i]}", ((xs[i] + xs[i - 1]) / 2, 1.0), xycoords=("data", "axes fraction"),
                        ha="center", va="bottom", fontsize=7, color="grey")
    ax.set_xticks(xs, [str(x) for x in xs])
    ax.set_xlim(xs.min() - 0.5, xs.max() + 0.5)
    if np.nanmin(ys, initial=0.0) >= 0:
        _from_zero(ax, ys, kind)
    elif kind == "ratio":
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    missing = [str(x) for x, y in zip(xs, ys) if np.isnan(y)]
    if missing:
        _note(ax, "无数值 no value (not 0): " + ", ".join(missing))
    ax.set_title(title or f"{frame['agency'].iloc[0]}：{frame['label_zh'].iloc[0]}", pad=14)
    return fig


def distribution_plot(values: pd.DataFrame, indicator: str, *, highlight_year: int | None = None, title: str | None = None) -> ReportFigure:
    """Every report's value of one indicator, one row of dots per year (from
    :func:`govdisclose.indicators`); hollow dots have a small denominator.

    >>> import govdisclose
    >>> fig = distribution_plot(govdisclose.indicators(govdisclose.load_sample()), "denial_rate", highlight_year=2024)
    >>> len(fig.axes[0].collections)  # one dot per report with a value: 16 reports, zrz 2023's (七) unreadable
    15
    """
    _need(values, {"agency", "year", "indicator", "value", "kind", "small_denominator"}, "distribution_plot")
    frame = values[(values["indicator"] == indicator) & values["value"].notna()].sort_values("year")
    if frame.empty:
        raise GovDiscloseError(f"distribution_plot: no values of {indicator!r} to plot")
    kind = str(frame["kind"].iloc[0])
    years = sorted(frame["year"].astype(int).unique())
    fig, ax = _figure(6.5, max(2.4, 0.5 * len(years) + 1.4))
    for rec in frame.to_dict("records"):
        y = years.index(int(rec["year"]))
        strong = highlight_year is None or int(rec["year"]) == int(highlight_year)
        face = "white" if rec["small_denominator"] else ("#4c72b0" if strong else "#b8c5de")
        ax.scatter(float(rec["value"]), y, s=40, facecolor=face, edgecolor="#4c72b0", zorder=3)
        ax.annotate(str(rec["agency"]), (float(rec["value"]), y), xytext=(0, 6), textcoords="offset points",
                    ha="center", fontsize=7, color="black" if strong else "grey")
    ax.set_yticks(range(len(years)), [str(y) for y in years])
    ax.set_ylim(-0.6, len(years) - 0.4)
    xs = _floats(frame["value"])
    if np.nanmin(xs) >= 0:
        _from_zero(ax, xs, kind, axis="x")
    elif kind == "ratio":
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    from govdisclose.analysis.measures import indicator_definitions

    labels = indicator_definitions().set_index("indicator")["label_zh"]
    ax.set_title(title or f"{labels.get(indicator, indicator)}：各报告分布 distribution")
    return fig


def peer_benchmark_plot(bench: pd.DataFrame, indicator: str, *, title: str | None = None) -> ReportFigure:
    """One agency's indicator by year (dots) beside its peer group's quartiles (bar) and median
    (tick), from :func:`govdisclose.peer_benchmarks`; ``n`` under each year, small groups hatched.

    >>> import govdisclose
    >>> b = govdisclose.peer_benchmarks(govdisclose.load_sample(), "requests_received", agencies="平潭综合实验区")
    >>> [t.get_text().split() for t in peer_benchmark_plot(b, "requests_received").axes[0].get_xticklabels()][-1]
    ['2024', 'n=1']
    """
    _need(bench, {"agency", "year", "indicator", "value", "kind", "group_n", "group_median", "group_q1", "group_q3", "small_group"}, "peer_benchmark_plot")
    frame = bench[bench["indicator"] == indicator].sort_values("year")
    if frame.empty or frame["agency"].nunique() != 1:
        raise GovDiscloseError(f"peer_benchmark_plot draws one agency's {indicator!r}: filter the frame to one agency first")
    kind, xs = str(frame["kind"].iloc[0]), frame["year"].astype(int).to_numpy()
    low, mid, high, ys = (_floats(frame[c]) for c in ("group_q1", "group_median", "group_q3", "value"))
    fig, ax = _figure(6.5, 3.6)
    small = frame["small_group"].fillna(True).to_numpy(dtype=bool)
    ax.bar(xs, high - low, bottom=low, width=0.5, color="#d0d7e5", edgecolor="#8c9bb5", hatch=[("//" if s else "") for s in small],
           label="同组四分位 peer quartiles")
    ax.scatter(xs, mid, marker="_", s=400, color="#4c4c4c", zorder=3, label="同组中位数 peer median")
    ax.scatter(xs, ys, color="#dd8452", zorder=4, label=str(frame["agency"].iloc[0]))
    ns = ["" if pd.isna(n) else f"n={int(n)}" for n in frame["group_n"]]
    ax.set_xticks(xs, [f"{x}\n{n}" for x, n in zip(xs, ns)])
    _from_zero(ax, np.concatenate([ys, high]), kind)
    ax.legend(fontsize=7, loc="upper left")
    if small.any():
        _note(ax, "斜线 hatched: small peer group (fewer reports than the benchmark's min_group)")
    missing = [str(x) for x, y in zip(xs, ys) if np.isnan(y)]
    if missing:
        _note(ax, "无数值 no value (not 0): " + ", ".join(missing))
    ax.set_title(title or f"{frame['agency'].iloc[0]}：{frame['label_zh'].iloc[0]} · {frame['peer_group'].iloc[0]}")
    return fig
