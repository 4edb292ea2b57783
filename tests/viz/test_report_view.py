"""The report view: a report's three tables as printed, with the cells of every failed validator
rule marked, blank / 0 / `/` / unreadable told apart, and each cell's location on hover.

The expected marked cells are computed here from ``validate()``'s findings and the template's
equations (each finding names its equation by rule, table, item and applicant), and, for 洪泽
2023, from the source errors listed in the corpus notes."""

from __future__ import annotations

import html as htmllib
import re

import pandas as pd
import pytest

import govdisclose
from govdisclose.exceptions import GovDiscloseError
from govdisclose.template import arithmetic
from govdisclose.template.catalogue import template_cells
from govdisclose.viz.report_view import report_view

from conftest import corpus_file

_TD = re.compile(r'<td class="([^"]*)" title="([^"]*)" data-cell="([^"]*)"[^>]*>(.*?)</td>', re.S)


def _tds(page: str) -> dict[tuple, dict]:
    """The value cells of a view's HTML by (table, item, applicant): classes, title, text."""
    out = {}
    for classes, title, key, text in _TD.findall(page):
        parts = htmllib.unescape(key).split(" ")
        cell = (parts[0], parts[1], parts[2] if len(parts) > 2 and parts[2] else None)
        out[cell] = {"classes": set(classes.split()), "title": htmllib.unescape(title), "text": htmllib.unescape(text)}
    return out


def _key(row) -> tuple:
    return tuple(None if pd.isna(row[k]) else str(row[k]) for k in ("table", "item", "applicant"))


def expected_cells(metrics: pd.DataFrame, findings: pd.DataFrame, severity: str) -> set[tuple]:
    """The cells of the findings of one severity: an equation's every cell, else the cell named;
    the validator's 'unfilled' summary names its rows in the message: those rows' equations."""
    cells = {(t, i, None if pd.isna(a) else a) for t, i, a in zip(metrics["table"], metrics["item"], metrics["applicant"])}
    eqs = arithmetic.report_equations(cells, str(metrics["template"].iloc[0]))
    out: set[tuple] = set()
    for row in findings[findings["severity"].astype(str) == severity].to_dict("records"):
        table, item, applicant = _key(row)
        if row["rule"] in arithmetic.RULES:
            match = [e for e in eqs if (e.rule, e.table, e.item, e.applicant) == (row["rule"], table, item, applicant)]
            if not match and item is None and applicant is None:  # "unfilled: 25 requests.row_total checks … (a, b, …)"
                named = re.search(r"\(([^()]*)\)$", row["message"]).group(1).split(", ")
                match = [e for e in eqs if e.rule == row["rule"] and (e.item in named or e.applicant in named)]
                assert match, row["message"]
            assert len(match) >= 1
            for e in match:
                out |= set(e.totals) | set(e.parts)
        elif item is not None:
            out.add((table, item, applicant))
    return out


def test_hongze_2023_marks_exactly_the_two_broken_blocks():
    report = govdisclose.read_report(corpus_file("hongze_2023.pdf"))
    findings = govdisclose.validate(report)
    view = report_view(report)
    assert view.highlighted("error") == expected_cells(report.metrics, findings, "error")
    assert view.highlighted("warning") == expected_cells(report.metrics, findings, "warning") == set()
    # the corpus notes: 行政复议 总计 printed 0 (parts 10+1+0+0), 复议后起诉 总计 printed 0 (维持 5); nothing else is wrong
    blocks = {("review_litigation", f"{b}.{p}", None) for b in ("review", "litigation_after_review")
              for p in ("upheld", "corrected", "other", "pending", "total")}
    assert view.highlighted() == blocks
    tds = _tds(view.to_html())
    assert len(tds) == len(template_cells("2021", True))  # every cell of the (mixed) layout is drawn: 10 + 161 + 15
    assert [tds[("review_litigation", f"review.{p}", None)]["text"] for p in ("upheld", "corrected", "other", "pending", "total")] \
        == ["10", "1", "0", "0", "0"]
    assert tds[("review_litigation", "litigation_after_review.upheld", None)]["text"] == "5"
    marked = {k for k, td in tds.items() if "gd-error" in td["classes"]}
    assert marked == blocks and not any("gd-warning" in td["classes"] for td in tds.values())
    total = tds[("review_litigation", "review.total", None)]["title"]
    assert "review_litigation.block_total" in total and "printed 0, the parts sum to 11" in total
    assert "page 4" in total  # where it was read: the table is on page 4 of the PDF


def test_a_clean_report_marks_nothing():
    report = govdisclose.read_report(govdisclose.sample_path("mfa_2023.txt"))
    assert govdisclose.validate(report).empty
    view = report_view(report)
    assert view.highlighted() == set()
    page = view.to_html()
    tds = _tds(page)
    assert len(tds) == 200 and not any({"gd-error", "gd-warning"} & td["classes"] for td in tds.values())


@pytest.mark.parametrize("name", ["pingtan_zrz_2020.txt", "shanghai_stcsm_2024.txt", "shuyang_fgj_2023.html", "pingtan_2023.txt",
                                  "pingtan_2019.html"])
def test_bundled_reports_mark_the_cells_of_their_findings(name):
    report = govdisclose.read_report(govdisclose.sample_path(name))
    findings = govdisclose.validate(report)
    view = report_view(report)
    for severity in ("error", "warning"):
        expected = expected_cells(report.metrics, findings, severity)
        # a cell in both an error and a warning is shown as an error
        assert view.highlighted(severity) == expected - (expected_cells(report.metrics, findings, "error") if severity == "warning" else set())
    marked = {k for k, td in _tds(view.to_html()).items() if {"gd-error", "gd-warning"} & td["classes"]}
    assert marked == view.highlighted()


def test_known_errors_of_the_bundled_departments():
    # 平潭 自然资源与生态环境局 2020 (pingtan_depts/README): （七）总计 printed 0 in 法律服务机构 (parts 1) and 9 in 总计 (parts 10)
    view = report_view(govdisclose.read_report(govdisclose.sample_path("pingtan_zrz_2020.txt")))
    columns = {a for _, _, a in view.highlighted("error")}
    assert columns == {"legal_service_org", "total"}
    assert ("requests", "total_processed", "total") in view.highlighted("error")
    assert len(view.highlighted("error")) == 2 * 20  # the outcome total and its 19 leaf rows, in two columns


def test_every_cell_shows_its_state_and_location():
    report = govdisclose.read_report(govdisclose.sample_path("pingtan_2023.txt"))
    tds = _tds(report_view(report).to_html())
    m = report.metrics
    for row in m.to_dict("records"):
        td = tds[_key(row)]
        assert f"location: {row['location']}" in td["title"]
        assert f"gd-{row['state']}" in td["classes"]
        if row["state"] == "unreadable":
            assert td["text"] == "?" and row["note"] in td["title"]
        elif row["state"] == "number":
            assert td["text"] == str(row["raw"]).strip()
    assert sum(1 for td in tds.values() if "gd-unreadable" in td["classes"]) == int((m["state"] == "unreadable").sum()) == 3


def test_blank_zero_and_placeholder_look_different():
    m = govdisclose.read_report(govdisclose.sample_path("shanghai_stcsm_2024.txt")).metrics.copy()
    m["raw"] = m["raw"].astype("string")
    slash = (m["item"] == "carried_over") & (m["applicant"] == "other_org")
    assert m.loc[slash, "raw"].item() == "0"
    m.loc[slash, ["state", "raw"]] = ["na", "/"]
    m.loc[slash, "value"] = pd.NA
    tds = _tds(report_view(m).to_html())
    blank = tds[("requests", "carried_forward", "total")]  # the 总计 cell lost in conversion: blank, never 0
    zero = tds[("requests", "carried_over", "research_institution")]
    na = tds[("requests", "carried_over", "other_org")]
    assert (blank["text"], zero["text"], na["text"]) == ("", "0", "/")
    assert "gd-blank" in blank["classes"] and "gd-number" in zero["classes"] and "gd-na" in na["classes"]
    assert blank["title"].splitlines()[1] == "blank" and na["title"].splitlines()[1] == "na: '/'"


def test_cross_year_findings_given_with_the_corpus():
    sample = govdisclose.load_sample()
    chosen = (sample["agency"] == "平潭综合实验区") & (sample["year"] == 2024)
    cell = chosen & (sample["item"] == "carried_over") & (sample["applicant"] == "total")
    assert sample.loc[cell, "value"].item() == 0  # and 2023 carried forward 0: the chain holds as printed
    sample.loc[cell, "value"] = 3.0
    findings = govdisclose.validate(sample)
    carry = findings[findings["rule"] == "cross_year.carry_over"]
    assert carry[["year", "item", "applicant"]].values.tolist() == [[2024, "carried_over", "total"]]
    view = report_view(sample[chosen], findings)
    assert ("requests", "carried_over", "total") in view.highlighted()
    mine = findings[findings["source"] == carry["source"].item()]
    assert view.highlighted() == expected_cells(sample[chosen], mine, "error") | expected_cells(sample[chosen], mine, "warning")
    assert "cross_year.carry_over" in _tds(view.to_html())[("requests", "carried_over", "total")]["title"]


def test_what_cannot_be_shown_is_refused():
    sample = govdisclose.load_sample()
    with pytest.raises(GovDiscloseError, match="one report"):
        report_view(sample)
    with pytest.raises(GovDiscloseError, match="needs a Report"):
        report_view("mfa_2023.txt")


def test_a_pre2019_report_is_refused_with_the_reason():
    report = govdisclose.read_report(corpus_file("pre2019/pingtan_2018.txt"))
    assert report.template == "pre2019"
    with pytest.raises(GovDiscloseError, match="pre-2019"):
        report_view(report)


def test_the_tables_as_frames_and_as_a_styler():
    report = govdisclose.read_report(govdisclose.sample_path("pingtan_zrz_2020.txt"))
    view = report_view(report)
    m = report.metrics.set_index(["table", "item", "applicant"])
    requests = view.frame("requests")
    assert requests.shape == (23, 7)  # the 2019 template's 23 rows, six applicant columns and 总计
    assert requests.iloc[0].tolist() == [str(m.loc[("requests", "new_received", a), "raw"]) for a in
                                         ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
                                          "legal_service_org", "other_org", "total")]
    assert view.frame("review_litigation").shape == (3, 5)
    page = view.styler("requests").to_html()
    titled = re.findall(r'<td[^>]*class="([^"]*)"[^>]*title="([^"]*)"', page) or \
        [(c, t) for t, c in re.findall(r'<td[^>]*title="([^"]*)"[^>]*class="([^"]*)"', page)]
    marked = [t for c, t in titled if "gd-error" in c.split()]
    assert len(marked) == sum(1 for k in view.highlighted("error") if k[0] == "requests") == 40
    assert all("requests.outcome_total" in htmllib.unescape(t) and "location: " in htmllib.unescape(t) for t in marked)
