"""The validator's blank policy on real reports (spec §4): a blank is an unknown count ≥ 0, so a
printed part above its printed total is an error even where other cells of the equation are blank."""

from __future__ import annotations

import pandas as pd
import pytest

import govdisclose
from govdisclose.records import FINDING_COLUMNS
from govdisclose.template.arithmetic import legal_person_columns

from conftest import DATA

_LEGAL = legal_person_columns()  # the five 法人或其他组织 columns


@pytest.fixture(scope="module")
def pingtan_2019() -> pd.DataFrame:
    return govdisclose.read_report(DATA / "pingtan_2019.html").metrics


@pytest.fixture(scope="module")
def blank_2019(pingtan_2019) -> pd.DataFrame:
    """平潭 2019 with the five 法人 columns left blank where they print 0 (as 沭阳 2023 prints them),
    and table 4's zero parts left blank: every equation still agrees with the blanks as 0."""
    m = pingtan_2019.copy()
    legal = m["applicant"].isin(_LEGAL) & m["value"].eq(0)
    review_zero = (m["table"] == "review_litigation") & ~m["item"].str.endswith(".total") & m["value"].eq(0)
    m.loc[legal | review_zero, ["value", "state"]] = [pd.NA, "blank"]
    assert (m.loc[m["applicant"].isin(_LEGAL), "state"] == "blank").all()
    return m


def _cell(m: pd.DataFrame, item: str, applicant: str | None):
    mask = (m["item"] == item) & (m["applicant"].isna() if applicant is None else m["applicant"] == applicant)
    assert mask.sum() == 1, (item, applicant)
    return mask


def _with(m: pd.DataFrame, item: str, applicant: str | None, value) -> pd.DataFrame:
    m = m.copy()
    m.loc[_cell(m, item, applicant), ["value", "state"]] = [value, "number"]
    return m


def test_the_blank_heavy_2019_report_has_warnings_only(pingtan_2019, blank_2019):
    assert govdisclose.validate(pingtan_2019).empty  # as printed: clean
    findings = govdisclose.validate(blank_2019)
    assert not findings.empty and (findings["severity"] == "warning").all()
    assert findings["message"].str.startswith("unfilled").all()
    assert list(findings.columns) == list(FINDING_COLUMNS)


def test_a_printed_part_above_its_printed_total_is_an_error_despite_blanks(blank_2019):
    # 自然人 予以公开 7 → 9 while 总计 prints 7 and the five 法人 cells are blank: no blank ≥ 0 can fix it
    m = _with(blank_2019, "granted", "natural_person", 9)
    errors = govdisclose.validate(m).query("severity == 'error'")
    row = errors[errors["rule"] == "requests.row_total"]
    assert (row["item"].item(), row["applicant"].item(), row["expected"].item(), row["actual"].item()) == ("granted", "total", 9, 7)
    assert "blank" in row["message"].item()
    # …and the 自然人 column's outcome rows now exceed its printed (七)总计 of 23
    outcome = errors[errors["rule"] == "requests.outcome_total"]
    assert list(outcome["applicant"]) == ["natural_person"]
    assert (outcome["expected"].item(), outcome["actual"].item()) == (25, 23)


def test_a_shortfall_the_blanks_could_fill_stays_a_warning(blank_2019):
    # 自然人 予以公开 7 → 5: 总计 7 = 5 + blanks, the blank 法人 cells could hold the 2
    m = _with(blank_2019, "granted", "natural_person", 5)
    findings = govdisclose.validate(m)
    row = findings[(findings["rule"] == "requests.row_total") & (findings["item"] == "granted")]
    assert (row["severity"].item(), row["expected"].item(), row["actual"].item()) == ("warning", 5, 7)
    assert "would have to hold 2" in row["message"].item()
    # the 自然人 column is fully printed, so its outcome total is a plain error
    outcome = findings[(findings["rule"] == "requests.outcome_total") & (findings["applicant"] == "natural_person")]
    assert outcome["severity"].item() == "error"


def test_a_review_part_above_its_block_total_is_an_error_despite_blanks(blank_2019):
    m = blank_2019
    total = m.loc[_cell(m, "review.total", None), "value"].item()
    assert m.loc[_cell(m, "review.upheld", None), "state"].item() == "blank"
    m = _with(m, "review.corrected", None, total + 1)
    errors = govdisclose.validate(m).query("severity == 'error'")
    assert list(errors["rule"]) == ["review_litigation.block_total"]
    assert (errors["item"].item(), errors["expected"].item(), errors["actual"].item()) == ("review.total", total + 1, total)


def test_a_balance_side_with_blanks_above_the_fully_printed_side(blank_2019):
    # 商业企业: 新收 and 上年结转 blank, (七) and 结转 blank too; print 新收 1 and 上年结转 0 and (七) 0:
    # the 新收 side (1) can only grow, the other side's blank 结转 could be 1 — a shortfall, not an error
    m = _with(blank_2019, "new_received", "commercial_enterprise", 1)
    m = _with(m, "carried_over", "commercial_enterprise", 0)
    m = _with(m, "total_processed", "commercial_enterprise", 0)
    f = govdisclose.validate(m)
    balance = f[(f["rule"] == "requests.balance") & (f["applicant"] == "commercial_enterprise")]
    assert balance["severity"].item() == "warning"
    # print 结转 0 as well: 1 + 0 > 0 + 0 with every cell of the smaller side printed — an error
    m = _with(m, "carried_forward", "commercial_enterprise", 0)
    f = govdisclose.validate(m)
    balance = f[(f["rule"] == "requests.balance") & (f["applicant"] == "commercial_enterprise")]
    assert (balance["severity"].item(), balance["expected"].item(), balance["actual"].item()) == ("error", 1, 0)


def test_real_blank_heavy_report_part_above_total(data_dir):
    # 沭阳 2023 prints 自然人 26 and 总计 26 with the 法人 columns blank; 27 in 自然人 cannot be right
    m = govdisclose.read_report(data_dir / "shuyang_fgj_2023.html").metrics
    assert govdisclose.validate(m).query("severity == 'error'").empty
    m = _with(m, "new_received", "natural_person", 27)
    errors = govdisclose.validate(m).query("severity == 'error'")
    assert set(zip(errors["rule"], errors["applicant"])) == {("requests.row_total", "total"), ("requests.balance", "natural_person")}


def test_blank_total_beside_a_printed_part_is_a_warning(data_dir):
    # 上海科委 2024 prints 结转下年度 总计 blank beside a 1: never taken as 0, never an error
    f = govdisclose.validate(govdisclose.read_report(data_dir / "shanghai_stcsm_2024.txt").metrics)
    assert (f["severity"] == "warning").all()
    row = f[f["rule"] == "requests.row_total"]
    assert (row["item"].item(), row["expected"].item()) == ("carried_forward", 1) and pd.isna(row["actual"].item())
    assert "a blank total is not taken as 0" in row["message"].item()


def test_findings_are_the_shared_type(pingtan_2019):
    from govdisclose.checks.rules import _arithmetic_rules, _Report
    from govdisclose.records import Finding

    rep = _Report(_with(pingtan_2019, "review.total", None, 99))
    assert _arithmetic_rules(rep) == []
    assert [type(f) for f in rep.findings] == [Finding] and rep.findings[0].location is not None
