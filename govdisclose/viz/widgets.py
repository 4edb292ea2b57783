"""ipywidgets explorers: thin shells over :mod:`govdisclose.analysis.compare` and :mod:`govdisclose.viz.plots`.

Each explorer holds its controls, an ``Output`` area and the last ``result`` (a DataFrame) and
``figure``; changing a control recomputes them with the package functions and replaces the
output. Nothing here needs a browser, so the callbacks are tested headlessly (set ``.value``, look
at ``.result`` and ``.output.outputs``). In a static HTML rendering the explorer shows one line
saying it is interactive; the notebooks show the same views as ordinary output above it.

>>> import govdisclose
>>> ex = agency_explorer(govdisclose.load_sample(), agency="平潭综合实验区", indicator="requests_received")
>>> ex.result["value"].tolist()
[23.0, 70.0, 81.0, 218.0]
>>> ex.controls["indicator"].value = "disclosure_rate"
>>> round(float(ex.result["value"].iloc[-1]), 3)
0.459
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from govdisclose.analysis.agencies import agency_list, resolve_agency
from govdisclose.analysis.compare import compare_agencies, compare_years
from govdisclose.analysis.measures import indicator_definitions
from govdisclose.analysis.peers import peer_benchmarks, peer_groups
from govdisclose.exceptions import GovDiscloseError

__all__ = ["Explorer", "agency_explorer", "cross_agency_explorer", "findings_explorer", "peer_explorer", "indicator_options",
           "PEER_DEFINITIONS"]

_ALL = "（全部 all）"
#: The peer-group definitions offered by the selectors: a label and the identity columns it groups by.
PEER_DEFINITIONS: list[tuple[str, tuple[str, ...]]] = [
    ("同级同类 level · scope · kind", ("level", "scope", "department_kind")),
    ("同级 level · scope", ("level", "scope")),
    ("同层级 level", ("level",)),
]


def indicator_options(kinds: Iterable[str] = ("count", "ratio")) -> list[tuple[str, str]]:
    """``(label, code)`` pairs for an indicator dropdown, in the order of ``indicators.csv``.

    >>> indicator_options()[0]
    ('本年新收申请数 requests_received', 'requests_received')
    """
    defs = indicator_definitions()
    defs = defs[defs["kind"].isin(list(kinds))]
    return [(f"{row.label_zh} {row.indicator}", str(row.indicator)) for row in defs.itertuples()]


def _bundle(obj: object) -> dict:
    """One output of an Output widget (a Jupyter display_data message) for a frame, figure or text."""
    from matplotlib.figure import Figure

    from govdisclose.viz.tables import table

    if isinstance(obj, pd.DataFrame):
        shown = table(obj, empty="No rows match.")
        data = {"text/html": shown._repr_html_(), "text/plain": repr(shown)}
    elif isinstance(obj, Figure):
        buffer = io.BytesIO()
        obj.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        data = {"image/png": base64.b64encode(buffer.getvalue()).decode("ascii"), "text/plain": "<figure>"}
    else:
        data = {"text/plain": str(obj)}
    return {"output_type": "display_data", "data": data, "metadata": {}}


class Explorer:
    """Controls + an output area, recomputed by ``compute(**values)`` whenever a control changes.

    ``compute`` returns ``(result_frame, figure_or_None, notes)``; a
    :class:`~govdisclose.exceptions.GovDiscloseError` is shown as a message instead (and kept in
    ``error``), so a bad combination of controls never breaks the live notebook.
    """

    def __init__(self, title: str, controls: dict, compute: Callable[..., tuple]) -> None:
        import ipywidgets

        self.title = title
        self.controls = controls
        self.compute = compute
        self.output = ipywidgets.Output()
        self.result: pd.DataFrame | None = None
        self.figure = None
        self.error: str | None = None
        self.widget = ipywidgets.VBox([ipywidgets.HBox(list(controls.values())), self.output])
        for control in controls.values():
            control.observe(self.refresh, names="value")
        self.refresh()

    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self, change: object = None) -> None:
        """Recompute from the current control values and replace the output."""
        try:
            result, figure, notes = self.compute(**self.values())
        except GovDiscloseError as exc:
            self.result, self.figure, self.error = None, None, str(exc)
            self.output.outputs = (_bundle(f"⚠ {exc}"),)
            return
        self.result, self.figure, self.error = result, figure, None
        shown = [result] + ([figure] if figure is not None else []) + [f"注意 caveat: {n}" for n in notes]
        self.output.outputs = tuple(_bundle(obj) for obj in shown)

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"[{self.title}: interactive controls, live in Jupyter only; the same views are shown above]"
        return bundle


def _agency_controls(metrics: pd.DataFrame, agency: str | None, indicator: str, who: str) -> dict[str, Any]:
    """The agency and indicator dropdowns an explorer starts from (the agency resolved by name)."""
    import ipywidgets

    names = agency_list(metrics)
    if not names:
        raise GovDiscloseError(f"{who}: the metrics frame holds no reports")
    chosen = resolve_agency(agency, names) if agency else names[0]
    return {
        "agency": ipywidgets.Dropdown(options=names, value=chosen, description="机关 agency"),
        "indicator": ipywidgets.Dropdown(options=indicator_options(), value=indicator, description="指标"),
    }


def agency_explorer(metrics: pd.DataFrame, agency: str | None = None, indicator: str = "disclosure_rate") -> Explorer:
    """Agency and indicator dropdowns → the indicator's year-over-year table and trend figure.

    >>> import govdisclose
    >>> ex = agency_explorer(govdisclose.load_sample(), "外交部", "requests_received")
    >>> ex.controls["agency"].value = "上海市科委"
    >>> ex.result["value"].tolist()
    [34.0]
    """

    from govdisclose.viz.plots import trend_plot

    controls = _agency_controls(metrics, agency, indicator, "agency_explorer")

    def compute(agency: str, indicator: str) -> tuple:
        years = compare_years(metrics, agency, indicators=[indicator], warn=False)
        table = years[["year", "template", "value", "change", "relative_change", "small_denominator", "comparable", "caveat", "reason"]]
        figure = trend_plot(years) if years["value"].notna().any() else None
        return table.reset_index(drop=True), figure, list(years.attrs.get("caveats", []))

    return Explorer("agency explorer", controls, compute)


def cross_agency_explorer(
    metrics: pd.DataFrame, year: int | None = None, indicator: str = "disclosure_rate", agencies: Iterable[str] = ()
) -> Explorer:
    """Year slider, indicator dropdown and agency multi-select (none selected = all) → the
    ranking table and bar chart of :func:`govdisclose.analysis.compare.compare_agencies`.

    >>> import govdisclose
    >>> ex = cross_agency_explorer(govdisclose.load_sample(), year=2023, indicator="requests_received")
    >>> ex.controls["year"].value = 2024
    >>> ex.result["agency"].tolist()
    ['平潭综合实验区', '平潭综合实验区自然资源与生态环境局', '上海市科委', '平潭综合实验区社会事业局']
    >>> ex.controls["peer_group"].value = "city · department"   # the peer-group selector
    >>> ex.result["agency"].tolist()
    ['平潭综合实验区自然资源与生态环境局', '平潭综合实验区社会事业局']

    The ``peer_group`` selector (groups of :func:`govdisclose.analysis.peers.peer_groups` by level
    and scope) keeps the agencies of one group; an explicit selection of agencies wins over it.
    """
    import ipywidgets

    from govdisclose.viz.plots import ranking_plot

    years = sorted(int(y) for y in metrics["year"].dropna().unique())
    if not years:
        raise GovDiscloseError("cross_agency_explorer: the metrics frame holds no reports")
    year = int(year) if year is not None else years[-1]
    if year not in years:
        raise GovDiscloseError(f"no reports for {year}; years available: {', '.join(map(str, years))}")
    controls = {
        "year": ipywidgets.SelectionSlider(options=years, value=year, description="年份 year"),
        "indicator": ipywidgets.Dropdown(options=indicator_options(), value=indicator, description="指标"),
        "agencies": ipywidgets.SelectMultiple(options=agency_list(metrics), value=tuple(agencies), description="机关", rows=5),
    }
    groups = peer_groups(metrics, by=("level", "scope"))
    members = {str(g): sorted(rows["agency"].astype(str)) for g, rows in groups.dropna(subset=["peer_group"]).groupby("peer_group", observed=True)}
    controls["peer_group"] = ipywidgets.Dropdown(options=[_ALL, *members], value=_ALL, description="同组 peers")

    def compute(year: int, indicator: str, agencies: tuple, peer_group: str) -> tuple:
        in_year = set(metrics.loc[metrics["year"] == year, "agency"].astype(str))
        chosen = list(agencies) or ([a for a in members[peer_group] if a in in_year] if peer_group != _ALL else [])
        if peer_group != _ALL and not chosen:
            raise GovDiscloseError(f"no agency of the peer group {peer_group} has a report for {year}")
        ranking = compare_agencies(metrics, year, chosen, indicator)
        table = ranking[["rank", "agency", "value", "numerator", "denominator", "small_denominator", "scope", "caveat", "reason"]]
        figure = ranking_plot(ranking) if ranking["value"].notna().any() else None
        return table, figure, list(ranking.attrs.get("caveats", []))

    return Explorer("cross-agency explorer", controls, compute)


def findings_explorer(findings: pd.DataFrame) -> Explorer:
    """Agency and rule dropdowns → the matching validation findings (from ``validate``).

    >>> import govdisclose
    >>> ex = findings_explorer(govdisclose.validate(govdisclose.load_sample()))
    >>> ex.controls["agency"].value = "沭阳县发展和改革局"
    >>> ex.result["rule"].tolist()
    ['requests.row_total']
    """
    import ipywidgets

    agencies = [_ALL] + sorted(findings["agency"].dropna().astype(str).unique())
    rules = [_ALL] + sorted(findings["rule"].dropna().astype(str).unique())
    controls = {
        "agency": ipywidgets.Dropdown(options=agencies, value=_ALL, description="机关 agency"),
        "rule": ipywidgets.Dropdown(options=rules, value=_ALL, description="规则 rule"),
    }

    def compute(agency: str, rule: str) -> tuple:
        rows = findings
        if agency != _ALL:
            rows = rows[rows["agency"].astype(str) == agency]
        if rule != _ALL:
            rows = rows[rows["rule"].astype(str) == rule]
        columns = [c for c in ("agency", "year", "rule", "severity", "item", "applicant", "message") if c in rows.columns]
        return rows[columns].reset_index(drop=True), None, []

    return Explorer("findings explorer", controls, compute)


def peer_explorer(metrics: pd.DataFrame, agency: str | None = None, indicator: str = "requests_received",
                  by: tuple[str, ...] = PEER_DEFINITIONS[0][1]) -> Explorer:
    """Agency, indicator and peer-group definition (:data:`PEER_DEFINITIONS`) → the agency's
    value beside its peer group's median and quartiles, by year, and the benchmark figure
    (:func:`govdisclose.peer_benchmarks`, :func:`govdisclose.viz.plots.peer_benchmark_plot`).

    >>> import govdisclose
    >>> ex = peer_explorer(govdisclose.load_sample(), "平潭综合实验区社会事业局", "requests_received")
    >>> ex.result["group_n"].tolist()
    [1, 1, 1]
    >>> ex.controls["peers"].value = ("level", "scope")
    >>> ex.result["group_n"].tolist(), ex.result["peer_group"].iloc[0]
    ([2, 2, 2], 'city · department')
    """
    import ipywidgets

    from govdisclose.viz.plots import peer_benchmark_plot

    controls = _agency_controls(metrics, agency, indicator, "peer_explorer")
    controls["peers"] = ipywidgets.Dropdown(options=PEER_DEFINITIONS, value=tuple(by), description="同组 peers")

    def compute(agency: str, indicator: str, peers: tuple[str, ...]) -> tuple:
        bench = peer_benchmarks(metrics, indicator, agencies=[agency], by=peers)
        shown = bench[["year", "value", "peer_group", "group_n", "group_median", "group_q1", "group_q3", "small_group", "note"]]
        figure = peer_benchmark_plot(bench, indicator) if bench["value"].notna().any() else None
        notes = [f"small peer groups: fewer than {bench.attrs['min_group']} reports"] if bench["small_group"].fillna(False).any() else []
        return shown.reset_index(drop=True), figure, notes

    return Explorer("peer explorer", controls, compute)
