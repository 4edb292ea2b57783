"""The seed report (外交部 2023, tab-separated text): every one of its 200 cells exact."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

import govdisclose

from conftest import DATA
from truthcheck import load_truth

SEED = DATA / "mfa_2023.txt"
TRUTH = load_truth(DATA / "truth" / "mfa_2023.csv")


@pytest.fixture(scope="module")
def seed() -> govdisclose.Report:
    return govdisclose.read_report(SEED)


@pytest.fixture(scope="module")
def cells(seed) -> dict:
    out = {}
    for row in seed.metrics.itertuples(index=False):
        out[(row.table, row.item, None if pd.isna(row.applicant) else row.applicant)] = row
    return out


def test_identity(seed):
    assert seed.agency == "外交部"
    assert seed.year == 2023
    assert seed.template == "2021"
    assert seed.title == "外交部政府信息公开工作 2023年度报告"
    assert seed.format == "text"
    assert seed.source.endswith("mfa_2023.txt")


def test_one_row_per_printed_cell(seed):
    assert len(seed.metrics) == 200
    assert seed.metrics.groupby("table", observed=True).size().to_dict() == {
        "active_disclosure": 10, "requests": 175, "review_litigation": 15,
    }
    assert not seed.metrics.duplicated(["table", "item", "applicant"]).any()
    assert set(seed.metrics["state"]) == {"number"}


@pytest.mark.parametrize(
    "table,item,applicant,value",
    [(t.table, t.item, t.applicant or None, t.value) for t in TRUTH.itertuples(index=False)],
    ids=[f"{t.item}-{t.applicant}" if t.applicant else t.item for t in TRUTH.itertuples(index=False)],
)
def test_cell_exact(cells, table, item, applicant, value):
    row = cells[(table, item, applicant)]
    assert row.state == "number"
    assert Decimal(str(row.value)) == Decimal(value)


def test_units_and_raw_text(cells):
    fee = cells[("active_disclosure", "fees.amount", None)]
    assert fee.raw == "5270.6597万元"
    assert fee.value == pytest.approx(5270.6597)
    assert fee.unit == "万元"
    assert fee.label_zh.startswith("行政事业性收费")


def test_locations_point_at_the_line(cells):
    lines = SEED.read_text(encoding="utf-8").splitlines()
    for key in [("requests", "new_received", "natural_person"), ("requests", "other_handling.other", "total"),
                ("review_litigation", "review.upheld", None), ("active_disclosure", "regulations.in_force", None)]:
        row = cells[key]
        line_no = int(row.location.split(",")[0].removeprefix("line "))
        cell_no = int(row.location.split("cell ")[1])
        assert lines[line_no - 1].split("\t")[cell_no - 1].strip() == row.raw


def test_page_break_inside_table_three(cells):
    # the table is cut by a blank line between （六）1. and （六）2.: both sides are read
    assert cells[("requests", "other_handling.no_correction", "total")].value == 0
    assert cells[("requests", "other_handling.other", "natural_person")].value == 3
    assert cells[("requests", "total_processed", "total")].value == 17


def test_sections_mended(seed):
    assert list(seed.sections) == ["一", "二", "三", "四", "五", "六"]
    assert "围绕双多边重大外交活动" in seed.sections["一"]
    assert "利用多元化渠道" in seed.sections["一"]
    assert seed.sections["六"].startswith("六、其他需要报告的事项")
    assert "信息处理费" in seed.sections["六"]
    assert seed.sections["五"].startswith("五、政府信息公开工作存在的主要问题及改进情况")


def test_seed_is_clean(seed):
    findings = govdisclose.validate(seed.metrics)
    assert findings.empty, findings


def test_wide(seed):
    wide = seed.wide()
    assert wide.shape == (1, 200)
    assert wide.loc[("外交部", 2023), ("requests", "total_processed", "total")] == 17
