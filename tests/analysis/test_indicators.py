"""Indicators: written definitions, real values from the bundled reports, <NA> with a reason, flags."""

from __future__ import annotations

import pandas as pd
import pytest

import govdisclose
from govdisclose.analysis.measures import formula_values, indicator_definitions, indicator_table, indicators
from govdisclose.exceptions import CatalogueError, GovDiscloseError

from conftest import DATA
from truthcheck import load_truth


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return govdisclose.load_sample()


@pytest.fixture(scope="module")
def values(sample) -> pd.DataFrame:
    return indicators(sample).set_index(["agency", "year", "indicator"])


def test_every_indicator_has_a_definition_and_a_valid_formula():
    defs = indicator_definitions()
    assert defs["indicator"].is_unique
    required = {"requests_received", "requests_handled", "requests_concluded", "disclosure_rate", "full_grant_rate",
                "denial_rate", "not_held_share", "not_processed_share", "backlog_ratio", "legal_person_share",
                "review_count", "litigation_count", "review_correction_rate", "litigation_correction_rate"}
    assert required <= set(defs["indicator"])
    assert (defs["definition"].str.len() > 40).all() and defs["label_zh"].str.len().gt(0).all()
    ratios = defs[defs["kind"] == "ratio"]
    assert ratios["denominator"].str.len().gt(0).all() and ratios["min_denominator"].notna().all()
    assert set(defs["across_templates"]) <= {"yes", "caution", "no"}
    d = defs.set_index("indicator")
    assert d.loc["review_correction_rate", "denominator"] == "review.total - review.pending"


def test_mfa_2023(values):
    mfa = values.loc[("外交部", 2023)]
    assert mfa.loc["requests_received", "value"] == 18
    assert mfa.loc["requests_handled", "value"] == 18
    assert mfa.loc["requests_concluded", "value"] == 17
    rate = mfa.loc["disclosure_rate"]
    assert (rate["numerator"], rate["denominator"]) == (5, 17) and rate["value"] == pytest.approx(5 / 17)
    assert bool(rate["small_denominator"]) and "small denominator: 17 < 20" in rate["reason"]
    assert mfa.loc["denial_rate", "numerator"] == 3  # 国家秘密 1 + 内部事务 2
    assert mfa.loc["not_held_share", "value"] == pytest.approx(5 / 17)
    assert mfa.loc["review_correction_rate", "value"] == 0 and mfa.loc["review_correction_rate", "denominator"] == 1
    litigation = mfa.loc["litigation_correction_rate"]
    assert pd.isna(litigation["value"]) and litigation["reason"] == "denominator is 0"


def test_pingtan_2024_review_and_litigation(values):
    pt = values.loc[("平潭综合实验区", 2024)]
    assert pt.loc["review_count", "value"] == 7 and pt.loc["litigation_count", "value"] == 19
    review = pt.loc["review_correction_rate"]  # 纠正 1 of (7 − 1 pending)
    assert (review["numerator"], review["denominator"]) == (1, 6) and bool(review["small_denominator"])
    assert pt.loc["litigation_correction_rate", "value"] == pytest.approx(2 / 19)
    assert not bool(pt.loc["disclosure_rate", "small_denominator"])  # 218 concluded


def test_a_blank_total_is_never_zero(values):
    sh = values.loc[("上海市科委", 2024)]
    for name in ("backlog_ratio", "requests_carried_forward"):
        assert pd.isna(sh.loc[name, "value"])
        assert sh.loc[name, "reason"] == "carried_forward@total is blank"
    assert sh.loc["disclosure_rate", "value"] == pytest.approx(9 / 35)


def test_unreadable_cells_give_na_with_the_reason(values):
    row = values.loc[("平潭综合实验区", 2021, "normative_documents_in_force")]
    assert pd.isna(row["value"]) and row["reason"] == "normative_documents.in_force is unreadable"


def test_indicators_outside_their_template(values):
    row = values.loc[("平潭综合实验区", 2019, "normative_documents_in_force")]
    assert pd.isna(row["value"]) and row["reason"] == "not defined for the 2019 template"
    assert values.loc[("平潭综合实验区", 2019, "licensing_decisions"), "value"] == 181


def test_blank_policy_strict_and_confirmed(sample):
    shuyang = sample[sample["agency"] == "沭阳县发展和改革局"]
    strict = indicators(shuyang, "legal_person_share").iloc[0]
    assert pd.isna(strict["value"]) and "new_received@commercial_enterprise is blank" in strict["reason"]
    confirmed = indicators(shuyang, "legal_person_share", blanks="confirmed").iloc[0]
    assert confirmed["value"] == 0 and confirmed["denominator"] == 26
    assert confirmed["reason"].startswith("blank taken as 0 (confirmed by the printed total)")
    # a blank *total* stays missing even under "confirmed"
    shanghai = sample[sample["agency"] == "上海市科委"]
    assert pd.isna(indicators(shanghai, "backlog_ratio", blanks="confirmed").iloc[0]["value"])


def test_confirmed_blank_needs_the_total_to_agree(sample):
    mfa = sample[sample["agency"] == "外交部"].copy()
    blank = (mfa["item"] == "new_received") & (mfa["applicant"] == "commercial_enterprise")
    mfa.loc[blank, ["value", "state"]] = [pd.NA, "blank"]
    assert indicators(mfa, "legal_person_share", blanks="confirmed").iloc[0]["value"] == 0  # 18 = 18 + blank
    mfa.loc[(mfa["item"] == "new_received") & (mfa["applicant"] == "total"), "value"] = 19
    row = indicators(mfa, "legal_person_share", blanks="confirmed").iloc[0]
    assert pd.isna(row["value"]) and "new_received@commercial_enterprise is blank" in row["reason"]


@pytest.mark.parametrize("stem", ["mfa_2023", "pingtan_2019", "pingtan_2021", "pingtan_2023", "pingtan_2024", "shanghai_stcsm_2024", "shuyang_fgj_2023"])
def test_rates_agree_with_the_truth_files(sample, stem):
    truth = load_truth(DATA / "truth" / f"{stem}.csv")
    cell = {(i, a or None): v for i, a, v in truth[["item", "applicant", "value"]].itertuples(index=False)}

    def total(*keys):
        parts = [cell[k] for k in keys]
        return None if any(p == "" for p in parts) else sum(float(p) for p in parts)

    denied = sorted({(i, "total") for i, _ in cell if i.startswith("denied.")})
    expected = {
        "disclosure_rate": (total(("granted", "total"), ("partially_granted", "total")), total(("total_processed", "total"))),
        "denial_rate": (total(*denied), total(("total_processed", "total"))),
        "backlog_ratio": (total(("carried_forward", "total")), total(("new_received", "total"), ("carried_over", "total"))),
    }
    rows = sample[sample["source"].astype(str).str.contains(stem)]
    got = indicators(rows, list(expected)).set_index("indicator")
    for name, (num, den) in expected.items():
        if num is None or den is None:
            assert pd.isna(got.loc[name, "value"]) and "blank" in got.loc[name, "reason"], name
        elif pd.isna(got.loc[name, "value"]):
            assert "unreadable" in got.loc[name, "reason"], name
        else:
            assert got.loc[name, "value"] == pytest.approx(num / den), name


def test_formula_values_and_wildcards():
    m = govdisclose.read_report(govdisclose.sample_path("pingtan_2019.html")).metrics
    got = formula_values(m, {"other": "other_handling*@total", "unable": "unable.*@total"}).set_index("name")["value"]
    assert got.to_dict() == {"other": 0.0, "unable": 12.0}  # 2019: one （六） row; 7 not held + 5 unclear


def test_indicator_table_layout(sample):
    table = indicator_table(indicators(sample[sample["agency"] == "平潭综合实验区"]))
    assert list(table.columns) == [2019, 2021, 2023, 2024]
    assert table.loc[("本年新收申请数", "requests_received")].tolist() == [23, 70, 81, 218]


def test_the_public_name_is_the_function():
    import govdisclose.analysis.measures  # noqa: F401  (the module must not shadow the public function)

    m = govdisclose.read_report(govdisclose.sample_path("mfa_2023.txt")).metrics
    assert govdisclose.indicators(m, "review_count")["value"].tolist() == [1.0]


def test_bad_input_raises_package_errors(sample):
    with pytest.raises(CatalogueError, match="unknown indicator"):
        indicators(sample, "openness")
    with pytest.raises(GovDiscloseError, match="blanks must be one of"):
        indicators(sample, blanks="zero")
    with pytest.raises(GovDiscloseError, match="missing columns"):
        indicators(pd.DataFrame({"agency": ["x"]}))
    with pytest.raises(CatalogueError, match="unknown catalogue item"):
        formula_values(sample, {"x": "granted_total@total"})
    with pytest.raises(CatalogueError, match="unknown applicant"):
        formula_values(sample, {"x": "granted@everyone"})
