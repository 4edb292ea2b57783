"""Reports before the 2019 template (issue 15, spec §7): the headline figures of four real 2012–2018
reports (tests/fixtures/pre2019, figures read by eye in figures.csv) and the traps of §7 in
reports made in the 2008–2018 style."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import govdisclose
from govdisclose.exceptions import ReportNotFoundError
from govdisclose.mapping.headline import split_year_cumulative
from govdisclose.template.catalogue import catalogue

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "pre2019"
HEADLINE = set(catalogue().query("table == 'headline'")["item"])
REAL = {"pingtan_2018.txt": "pingtan_2018.txt", "pingtanxian_2012.txt": "pingtanxian_2012.txt",
        "pingtanxian_2012.html": "pingtanxian_2012.txt", "pingtan_dishui_2013.txt": "pingtan_dishui_2013.txt"}


def _figures() -> list[dict[str, str]]:
    with open(HERE / "figures.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _read(name: str) -> pd.DataFrame:
    return govdisclose.read_report(HERE / name).metrics.set_index("item")


def _measure() -> tuple[int, int, int, list[str]]:
    exact = flagged = wrong = 0
    problems = []
    for name, truth_file in REAL.items():
        m = _read(name)
        for row in _figures():
            if row["file"] != truth_file or row["figure"] not in HEADLINE:
                continue
            item, value = row["figure"], float(row["value"])
            if item not in m.index:
                problems.append(f"{name} {item}: missing")
                continue
            cell = m.loc[item]
            if cell["state"] == "unreadable":
                flagged += 1
            elif float(cell["value"]) == value:
                exact += 1
            else:
                wrong += 1
                problems.append(f"{name} {item}: {cell['value']} != {value}")
    return exact, flagged, wrong, problems


def test_real_reports_read_their_stated_headline_figures() -> None:
    exact, flagged, wrong, problems = _measure()
    total = exact + flagged + wrong
    print(f"pre2019 headline: {total} stated figures: exact {exact} flagged {flagged} wrong {wrong}")
    assert wrong == 0, problems
    assert total == 15 and exact / total >= 0.95, problems


def test_real_appendix_year_figures() -> None:
    """The appendix's year column (figures.csv ``stat_table.<code>_year``) where it has a headline code."""
    checked = 0
    for name, truth_file in REAL.items():
        m = _read(name)
        for row in _figures():
            figure = row["figure"]
            if row["file"] != truth_file or not (figure.startswith("stat_table.") and figure.endswith("_year")):
                continue
            code = figure[len("stat_table."):-len("_year")].replace("active_disclosed", "active_disclosed_items")
            if code in HEADLINE:
                checked += 1
                assert m.loc[code, "state"] == "number" and float(m.loc[code, "value"]) == float(row["value"]), (name, figure)
    assert checked == 4 + 2 * 7


@pytest.mark.parametrize("name", list(REAL))
def test_real_reports_are_pre2019_with_title_year(name: str) -> None:
    report = govdisclose.read_report(HERE / name)
    truth = next(r for r in _figures() if r["file"] == REAL[name])
    assert report.template == "pre2019" and report.year == int(truth["year"])
    assert set(report.metrics["table"]) == {"headline"}
    assert set(report.metrics["template"]) == {"pre2019"}


@pytest.mark.parametrize("name", list(REAL))
def test_never_a_subunit_cumulative_or_other_figure(name: str) -> None:
    m = _read(name)
    rows = [r for r in _figures() if r["file"] == REAL[name]]
    stated = {r["figure"]: float(r["value"]) for r in rows if r["figure"] in HEADLINE}
    for row in rows:
        code, _, part = row["figure"].partition(".")
        if row["figure"].startswith("stat_table.") and row["figure"].endswith("_cumulative"):
            code = row["figure"][len("stat_table."):-len("_cumulative")].replace("active_disclosed", "active_disclosed_items")
        elif not part or code not in HEADLINE:
            continue
        value = float(row["value"])
        if code in m.index and value != stated.get(code) and m.loc[code, "state"] == "number":
            assert float(m.loc[code, "value"]) != value, f"{name}: {row['figure']} {value} read as {code}"
    # context figures never become headline figures: 受理审批事项117件, 政府信息公开费用1万元
    if name == "pingtan_dishui_2013.txt":
        assert "fees" not in m.index and float(m.loc["requests_received", "value"]) == 0


@pytest.mark.parametrize("name", list(REAL))
def test_location_quotes_the_phrase(name: str) -> None:
    m = _read(name)
    for row in _figures():
        if row["file"] == REAL[name] and row["figure"] in HEADLINE:
            location = m.loc[row["figure"], "location"]
            assert "line" in location
            if "appendix" not in m.loc[row["figure"], "note"] or "agrees" in m.loc[row["figure"], "note"] \
                    or "splits so" in m.loc[row["figure"], "note"]:
                assert row["quote"].replace(" ", "") in location.replace(" ", ""), (row["figure"], location)


def test_the_appendix_run_splits_with_the_cumulative_rule() -> None:
    # pingtan_2018: 主动公开文件数条206912106 = 2069 | 12106 (figures.csv)
    assert (2069, 12106) in split_year_cumulative("206912106")
    assert all(b >= a for a, b in split_year_cumulative("206912106"))
    m = _read("pingtanxian_2012.txt")  # appendix only: 2.同意部分公开答复数条22, 3.否决公开答复数条22
    assert float(m.loc["requests_partially_granted", "value"]) == 2 and float(m.loc["requests_denied", "value"]) == 2
    assert "22" in m.loc["requests_denied", "location"]


# --- reports made in the 2008–2018 style: each trap of spec §7 -------------------------------------

def test_made_county_subunits_cumulative_previous_year_and_none() -> None:
    m = _read("made_county_2016.txt")
    # 2016年全县主动公开政府信息1500条 — not 县直部门1200, 乡镇300, 累计10037, 2015年的1300, 比上年增加200
    assert float(m.loc["active_disclosed_items", "value"]) == 1500
    assert "全县主动公开政府信息1500条" in m.loc["active_disclosed_items", "location"]
    # 全县共受理…申请23件 — not 县国土资源局受理…9件 (a bureau's share), not 受理审批事项117件
    assert float(m.loc["requests_received", "value"]) == 23
    values = {k: float(m.loc[k, "value"]) for k in
              ("requests_granted", "requests_partially_granted", "requests_denied", "requests_not_held", "review_count")}
    assert values == {"requests_granted": 17, "requests_partially_granted": 3, "requests_denied": 2,
                      "requests_not_held": 1, "review_count": 1}
    # 未收取任何费用 = 0 (the 经费支出1万元 is spending, not fees); 没有发生行政诉讼 = 0
    assert float(m.loc["fees", "value"]) == 0 and "未收取" in m.loc["fees", "location"]
    assert float(m.loc["litigation_count", "value"]) == 0
    assert (m["state"] == "number").all()


def test_made_bureau_disagreement_previous_year_column_and_absent() -> None:
    m = _read("made_bureau_2014.html")
    # prose 受理…申请12件, appendix 本年 14: flagged with both values and both places
    cell = m.loc["requests_received"]
    assert cell["state"] == "unreadable" and pd.isna(cell["value"])
    assert "12" in cell["note"] and "14" in cell["note"] and "table 1, row 3" in cell["note"] and "paragraph" in cell["note"]
    # the 2013年 column (290, 9, 7, 2, 1, 30) is never read; 收取费用 0 元 in the 2014 column
    assert float(m.loc["active_disclosed_items", "value"]) == 356
    assert float(m.loc["review_count", "value"]) == 0 and float(m.loc["litigation_count", "value"]) == 0
    assert float(m.loc["fees", "value"]) == 0 and float(m.loc["requests_partially_granted", "value"]) == 1
    # not stated anywhere: absent, never 0
    assert "requests_not_held" not in m.index and "requests_denied" not in m.index


def test_made_town_runs_ambiguous_glued_numbering_and_disagreement() -> None:
    m = _read("made_town_2017.txt")
    # 主动公开信息数条3121256: 3|121256, 31|21256, 312|1256 — the prose gives no figure (村务信息 is not it)
    cell = m.loc["active_disclosed_items"]
    assert cell["state"] == "unreadable" and "312" in cell["note"] and "31," in cell["note"]
    # prose 收到…申请6件 vs the run 58 = 5|8
    assert m.loc["requests_received", "state"] == "unreadable" and "prose 6" in m.loc["requests_received", "note"]
    # 1.同意公开答复数条442.同意部分… : the row numbering 2 is glued to 44
    assert float(m.loc["requests_granted", "value"]) == 4 and float(m.loc["requests_partially_granted", "value"]) == 1
    assert float(m.loc["review_count", "value"]) == 0 and float(m.loc["litigation_count", "value"]) == 1


def test_a_2019_or_later_text_without_tables_still_raises(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("某某县人民政府2020年政府信息公开工作年度报告\n2020年全县主动公开政府信息1500条。\n", encoding="utf-8")
    with pytest.raises(ReportNotFoundError):
        govdisclose.read_report(path)


def test_validate_accepts_a_pre2019_frame() -> None:
    frames = [govdisclose.read_report(HERE / n).metrics for n in ("pingtan_2018.txt", "made_county_2016.txt")]
    found = govdisclose.validate(pd.concat(frames, ignore_index=True))
    assert not (found["severity"] == "error").any()


def test_compare_years_across_the_2018_2019_break_carries_a_caveat() -> None:
    from govdisclose.analysis.compare import compare_years

    sample = govdisclose.load_sample()
    pingtan = sample[sample["agency"] == "平潭综合实验区"]
    before = govdisclose.read_report(HERE / "pingtan_2018.txt").metrics
    frame = pd.concat([before, pingtan], ignore_index=True)
    y = compare_years(frame, "平潭综合实验区", indicators=["requests_received"], warn=False)
    first, second = y.iloc[0], y.iloc[1]
    # 2018年未收到有关政府信息公开申请 = 0; the 2019 table says 23 (the sample's doctest)
    assert (int(first["year"]), float(first["value"]), first["template"]) == (2018, 0.0, "pre2019")
    assert int(second["year"]) == 2019 and not bool(second["comparable"])
    assert "pre2019 → 2019" in second["caveat"] and "headline" in second["caveat"]
