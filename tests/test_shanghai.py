"""上海科委 2024: Markdown from a PDF converter, labels detached, one 总计 cell lost."""

from __future__ import annotations

import pytest

import govdisclose

from conftest import corpus_file, truth_file
from truthcheck import compare


@pytest.fixture(scope="module")
def report():
    return govdisclose.read_report(corpus_file("shanghai_stcsm_2024.txt"))


def test_every_truth_cell_exact(report):
    result = compare(report.metrics, truth_file("shanghai_stcsm_2024"))
    assert len(result["exact"]) == 200
    assert not result["wrong"] and not result["missing"] and not result["extra"] and not result["flagged"]


def test_identity(report):
    assert (report.agency, report.year, report.template) == ("上海市科委", 2024, "2021")


def test_lost_cell_reported_not_invented(report):
    m = report.metrics
    lost = m[(m["item"] == "carried_forward") & (m["applicant"] == "total")].iloc[0]
    assert lost["state"] == "blank"
    assert lost["value"] is pd_NA()
    findings = govdisclose.validate(m)
    row_total = findings[(findings["rule"] == "requests.row_total") & (findings["item"] == "carried_forward")]
    assert len(row_total) == 1
    assert row_total["severity"].iloc[0] == "warning"
    assert row_total["expected"].iloc[0] == 1  # the arithmetic implies 1
    assert "blank" in row_total["message"].iloc[0]
    assert findings.query("severity == 'error'").empty


def test_detached_labels_are_placed_by_position(report):
    placed = report.findings[report.findings["rule"] == "row.placed"]
    assert len(placed) == 10
    m = report.metrics
    # （六）1. 逾期不补正: its label was detached from its numbers "8 2 0 0 0 0 10"
    row = m[(m["item"] == "other_handling.no_correction")].set_index("applicant")["value"]
    assert row["natural_person"] == 8 and row["commercial_enterprise"] == 2 and row["total"] == 10


def test_table_four_without_header_row(report):
    m = report.metrics
    assert m.loc[m["item"] == "review.upheld", "value"].item() == 1
    assert m.loc[m["item"] == "review.total", "value"].item() == 1


def pd_NA():
    import pandas as pd

    return pd.NA
