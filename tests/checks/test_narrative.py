"""The narrative rule on real reports: restated figures against the table cells, both locations."""

from pathlib import Path

import govdisclose
from govdisclose.checks.narrative import narrative_claims, narrative_findings

from conftest import corpus_file

DATA = Path(govdisclose.sample_dir())


def test_pingtan_2023_in_force_393_against_the_table_470():
    report = govdisclose.read_report(DATA / "pingtan_2023.txt")
    findings = narrative_findings(report)
    assert [(f.severity, f.item, f.expected) for f in findings] == [("warning", "normative_documents.in_force", 393.0)]
    f = findings[0]
    assert "470" in f.message and "393" in f.message
    assert f.location is not None and f.location.line == 10  # the prose paragraph
    assert "现行有效行政规范性文件393件" in f.location.detail  # the quoted phrase
    assert "chars 1835–1842" in f.location.detail  # and the table cell


def test_pingtan_2023_outcomes_restated_agree_with_the_table():
    report = govdisclose.read_report(DATA / "pingtan_2023.txt")
    claims = {c.item: c.prose_value for c in narrative_claims(report.sections, year=report.year)}
    # 予以公开及部分公开42件 (22 + 20), 不予公开5件 (four reasons), 行政诉讼案件7件 (5 direct + 2 after review)
    assert claims["granted_or_partial"] == 42 and claims["denied"] == 5 and claims["litigation.total"] == 7
    assert claims["review.total"] == 2 and claims["unable"] == 31 and claims["new_received"] == 81
    assert "partially_granted" not in claims  # the sum is not read as 部分公开42件
    assert not [f for f in narrative_findings(report) if f.item != "normative_documents.in_force"]


def test_a_changed_outcome_figure_is_a_warning(tmp_path):
    text = (DATA / "pingtan_2023.txt").read_text(encoding="utf-8").replace("无法提供31件", "无法提供30件")
    path = tmp_path / "pingtan_2023.txt"
    path.write_text(text, encoding="utf-8")
    found = {f.item: (f.expected, f.actual) for f in narrative_findings(govdisclose.read_report(path))}
    assert found["unable"] == (30.0, 31.0)


def test_sub_unit_other_year_and_cumulative_figures_are_not_claims():
    sections = {"一": "2023年，区直部门共受理政府信息公开申请15件。2022年受理政府信息公开申请40件。"
                      "累计受理政府信息公开申请300件。全区共受理政府信息公开申请81件。"}
    assert [(c.item, c.prose_value) for c in narrative_claims(sections, year=2023)] == [("new_received", 81)]


def test_hongze_2024_prose_17_against_table_95():
    report = govdisclose.read_report(corpus_file("hongze_2024.pdf"))  # skips (saying why) only where the shared corpus is absent
    found = [f for f in narrative_findings(report) if f.item == "new_received"]
    assert [(f.severity, f.expected, f.actual) for f in found] == [("warning", 17.0, 95.0)]
    assert found[0].location is not None and found[0].location.page == 1 and "17" in found[0].location.detail
    assert "page 3, table 2" in found[0].location.detail
