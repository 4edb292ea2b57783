"""The validator: every hard rule fires on a broken report and stays silent on a clean one."""

from __future__ import annotations

import pandas as pd
import pytest

import govdisclose
from govdisclose.checks.rules import RULES

from conftest import DATA


@pytest.fixture(scope="module")
def seed_metrics() -> pd.DataFrame:
    return govdisclose.read_report(DATA / "mfa_2023.txt").metrics


def _set(metrics: pd.DataFrame, item: str, applicant: str | None, value, state: str = "number") -> pd.DataFrame:
    m = metrics.copy()
    mask = m["item"] == item
    mask &= m["applicant"].isna() if applicant is None else (m["applicant"] == applicant)
    assert mask.sum() == 1, (item, applicant)
    m.loc[mask, "value"] = value
    m.loc[mask, "state"] = state
    return m


def _errors(findings: pd.DataFrame) -> pd.DataFrame:
    return findings[findings["severity"] == "error"]


def test_clean_report_has_no_findings(seed_metrics):
    findings = govdisclose.validate(seed_metrics)
    assert findings.empty
    assert list(findings.columns) == [
        "agency", "year", "rule", "severity", "table", "item", "applicant", "expected", "actual", "message", "source", "location",
    ]


_T3 = [(i, a) for i in govdisclose.catalogue().query("table == 'requests'")["item"] if i != "other_handling" for a in
       ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org", "other_org", "total")]
_T4 = list(govdisclose.catalogue().query("table == 'review_litigation'")["item"])


@pytest.mark.parametrize("item,applicant", _T3, ids=[f"{i}-{a}" for i, a in _T3])
def test_any_table3_cell_changed_is_an_error(seed_metrics, item, applicant):
    m = seed_metrics
    old = m.loc[(m["item"] == item) & (m["applicant"] == applicant), "value"].item()
    findings = govdisclose.validate(_set(m, item, applicant, old + 1))
    errors = _errors(findings)
    assert not errors.empty
    assert "requests.row_total" in set(errors["rule"])  # every cell sits in a row total
    assert (errors["applicant"].eq(applicant) | errors["item"].eq(item)).any()


@pytest.mark.parametrize("item", _T4)
def test_any_table4_cell_changed_is_an_error(seed_metrics, item):
    old = seed_metrics.loc[seed_metrics["item"] == item, "value"].item()
    errors = _errors(govdisclose.validate(_set(seed_metrics, item, None, old + 2)))
    assert list(errors["rule"]) == ["review_litigation.block_total"]
    block = item.rsplit(".", 1)[0]
    assert errors["item"].item() == f"{block}.total"


def test_row_total_error_values(seed_metrics):
    errors = _errors(govdisclose.validate(_set(seed_metrics, "new_received", "total", 20)))
    row = errors[errors["rule"] == "requests.row_total"].iloc[0]
    assert (row["item"], row["expected"], row["actual"]) == ("new_received", 18, 20)
    assert "printed 20" in row["message"] and "sum to 18" in row["message"]


def test_balance_fires_per_column(seed_metrics):
    # carried_forward natural_person 1 → 0 breaks the balance of that column (and the row total)
    errors = _errors(govdisclose.validate(_set(seed_metrics, "carried_forward", "natural_person", 0)))
    balance = errors[errors["rule"] == "requests.balance"]
    assert list(balance["applicant"]) == ["natural_person"]
    assert (balance["expected"].item(), balance["actual"].item()) == (18, 17)


def test_outcome_total_fires(seed_metrics):
    errors = _errors(govdisclose.validate(_set(seed_metrics, "total_processed", "total", 16)))
    assert set(errors["rule"]) == {"requests.outcome_total", "requests.row_total", "requests.balance"}


def test_domain_negative_and_fraction(seed_metrics):
    m = _set(seed_metrics, "licensing.decisions", None, -3)
    m = _set(m, "penalty.decisions", None, 2.5)
    domain = _errors(govdisclose.validate(m)).query("rule == 'domain'")
    assert set(domain["item"]) == {"licensing.decisions", "penalty.decisions"}


def test_an_infinite_value_is_a_domain_error_not_a_crash(seed_metrics):
    m = _set(seed_metrics, "licensing.decisions", None, float("inf"))
    m = _set(m, "fees.amount", None, float("-inf"))
    domain = _errors(govdisclose.validate(m)).query("rule == 'domain'")
    assert set(domain["item"]) == {"licensing.decisions", "fees.amount"}
    assert domain["message"].str.contains("not a finite number").all()


def test_fees_may_have_decimals_but_not_be_negative(seed_metrics):
    assert govdisclose.validate(seed_metrics).empty  # 5270.6597 is fine
    m = _set(seed_metrics, "fees.amount", None, -1.5)
    assert list(_errors(govdisclose.validate(m))["rule"]) == ["domain"]


def test_blank_component_is_unfilled_not_inconsistent(seed_metrics):
    m = _set(seed_metrics, "new_received", "commercial_enterprise", None, state="blank")
    findings = govdisclose.validate(m)
    assert _errors(findings).empty
    assert findings["message"].str.startswith("unfilled").all()


def test_blank_total_is_never_zero(seed_metrics):
    m = _set(seed_metrics, "carried_over", "total", None, state="blank")  # all parts are 0
    findings = govdisclose.validate(m)
    assert _errors(findings).empty
    assert (findings["severity"] == "warning").all()
    assert findings["message"].str.contains("blank total is not taken as 0").any()


def test_blank_cell_that_cannot_agree_is_reported(seed_metrics):
    m = _set(seed_metrics, "new_received", "total", None, state="blank")
    findings = govdisclose.validate(m)
    row = findings[(findings["rule"] == "requests.row_total") & (findings["item"] == "new_received")].iloc[0]
    assert row["severity"] == "warning" and row["expected"] == 18


def test_unreadable_cell_means_cannot_check(seed_metrics):
    m = _set(seed_metrics, "review.other", None, None, state="unreadable")
    findings = govdisclose.validate(m)
    assert list(findings["rule"]) == ["review_litigation.block_total"]
    assert findings["message"].item().startswith("cannot check")


def test_placeholder_counts_like_blank(seed_metrics):
    m = _set(seed_metrics, "review.corrected", None, None, state="na")
    findings = govdisclose.validate(m)
    assert _errors(findings).empty and findings["message"].str.startswith("unfilled").all()


def test_source_errors_are_reported(seed_metrics):
    # the shape of hongze 2023: 行政复议 总计 printed 0 beside parts that sum to 11
    m = _set(seed_metrics, "review.upheld", None, 10)
    m = _set(m, "review.corrected", None, 1)
    m = _set(m, "review.total", None, 0)
    errors = _errors(govdisclose.validate(m))
    assert (errors["expected"].item(), errors["actual"].item()) == (11, 0)


def test_cross_year_carry_over(seed_metrics):
    earlier = seed_metrics.copy()
    earlier["year"] = pd.array([2022] * len(earlier), dtype="Int64")
    earlier["source"] = pd.Categorical(["earlier.txt"] * len(earlier))
    earlier = _set(earlier, "carried_forward", "natural_person", 2)  # 2022 carried 2 forward…
    earlier = _set(earlier, "carried_forward", "total", 2)
    both = pd.concat([earlier, seed_metrics.astype({"source": "object"})], ignore_index=True)
    findings = govdisclose.validate(both)
    carry = findings[findings["rule"] == "cross_year.carry_over"]
    assert set(carry["applicant"]) == {"natural_person", "total"}  # …but 2023 carried over 0
    assert set(carry["year"]) == {2023}
    assert (carry["severity"] == "warning").all()


def test_cross_year_in_force(seed_metrics):
    earlier = seed_metrics.copy()
    earlier["year"] = pd.array([2022] * len(earlier), dtype="Int64")
    earlier["source"] = pd.Categorical(["earlier.txt"] * len(earlier))
    earlier = _set(earlier, "normative_documents.in_force", None, 5)
    both = pd.concat([earlier, seed_metrics.astype({"source": "object"})], ignore_index=True)
    rows = govdisclose.validate(both).query("rule == 'cross_year.in_force'")
    assert (rows["item"].item(), rows["expected"].item(), rows["actual"].item()) == ("normative_documents.in_force", 5, 3)


def test_every_rule_documented():
    assert {"requests.balance", "requests.row_total", "requests.outcome_total", "review_litigation.block_total", "domain"} <= set(RULES)


def test_validate_refuses_a_non_metrics_frame():
    with pytest.raises(govdisclose.GovDiscloseError, match="missing columns"):
        govdisclose.validate(pd.DataFrame({"a": [1]}))


def test_number_of_checks_on_a_2021_report(seed_metrics):
    # 25 row totals + 7 balances + 7 outcome totals + 3 block totals = 42 equations, plus the domain
    # check of all 200 cells: break every equation at once and count the errors.
    m = seed_metrics.copy()
    m.loc[m["table"] != "active_disclosure", "value"] = 1.0
    errors = _errors(govdisclose.validate(m))
    counts = errors["rule"].value_counts().to_dict()
    assert counts == {"requests.row_total": 25, "requests.outcome_total": 7, "review_litigation.block_total": 3}


def test_narrative_matches_on_the_seed():
    report = govdisclose.read_report(DATA / "mfa_2023.txt")
    assert govdisclose.validate(report).empty


def test_narrative_mismatch_is_a_warning(tmp_path):
    text = (DATA / "mfa_2023.txt").read_text(encoding="utf-8").replace("全年收处政府信息公开申请18件", "全年收处政府信息公开申请21件")
    path = tmp_path / "mfa.txt"
    path.write_text(text, encoding="utf-8")
    findings = govdisclose.validate(govdisclose.read_report(path))
    assert list(findings["rule"]) == ["narrative"]
    row = findings.iloc[0]
    assert (row["severity"], row["item"], row["expected"], row["actual"]) == ("warning", "new_received", 21, 18)
