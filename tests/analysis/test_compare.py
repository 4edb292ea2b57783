"""Comparisons across years and agencies, compositions, agency names and scope."""

from __future__ import annotations

import pandas as pd
import pytest

import govdisclose
from govdisclose.analysis.agencies import agency_scope, nested_pairs, resolve_agencies, resolve_agency
from govdisclose.analysis.agency_tables import carry_over_table, cells_by_year
from govdisclose.analysis.compare import ComparabilityWarning, compare_agencies, compare_years
from govdisclose.analysis.composition import applicant_mix, outcome_composition
from govdisclose.exceptions import GovDiscloseError, UnknownAgencyError


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return govdisclose.load_sample()


def test_year_over_year_requests(sample):
    y = compare_years(sample, "平潭综合实验区", indicators=["requests_received"], warn=False)
    assert y["year"].tolist() == [2019, 2021, 2023, 2024]
    assert y["value"].tolist() == [23, 70, 81, 218]
    assert y["previous_year"].tolist()[1:] == [2019, 2021, 2023] and pd.isna(y["previous_year"].iloc[0])
    assert y["change"].tolist()[1:] == [47, 11, 137] and pd.isna(y["change"].iloc[0])
    assert y["relative_change"].iloc[3] == pytest.approx(137 / 81)
    assert y["comparable"].all()  # table 3 keeps its meaning across the template change
    assert "no report for 2020: compared with 2019" in y["caveat"].iloc[1]
    assert "template changed 2019 → 2021" in y["caveat"].iloc[1]
    assert pd.isna(y["caveat"].iloc[3])


def test_rates_change_in_points_and_zero_bases_give_no_relative_change(sample):
    y = compare_years(sample, "平潭综合实验区", indicators=["denial_rate"], warn=False).set_index("year")
    assert y.loc[2021, "change"] == pytest.approx(8 / 69)  # 0 → 8 of 69
    assert pd.isna(y.loc[2021, "relative_change"]) and "previous value is 0" in y.loc[2021, "caveat"]
    assert y.loc[2024, "change"] == pytest.approx(39 / 218 - 5 / 81)


def test_table_2_across_the_template_change_warns(sample):
    with pytest.warns(ComparabilityWarning, match="licensing_decisions 2019→2021"):
        y = compare_years(sample, "平潭综合实验区", indicators=["licensing_decisions", "requests_received"])
    lic = y[y["indicator"] == "licensing_decisions"].set_index("year")
    assert lic.loc[2021, "change"] == 2293 - 181  # computed, but marked
    assert not lic.loc[2021, "comparable"] and lic.loc[2023, "comparable"]
    assert "does not mean the same under both templates" in lic.loc[2021, "caveat"]


def test_no_warning_when_nothing_crosses_a_change(sample):
    y = compare_years(sample, "平潭综合实验区", years=[2021, 2023, 2024], indicators=["licensing_decisions"])  # no warning
    assert y["comparable"].all() and y["value"].tolist() == [2293, 2629, 4529]


def test_scope_change_through_an_alias_is_flagged(sample):
    renamed = sample.copy()
    renamed["agency"] = renamed["agency"].astype(str)
    renamed.loc[(renamed["agency"] == "平潭综合实验区") & (renamed["year"] == 2024), "agency"] = "平潭综合实验区管委会办公室"
    with pytest.warns(ComparabilityWarning, match="scope changed"):
        y = compare_years(renamed, "平潭综合实验区", indicators=["requests_received"],
                          aliases={"平潭综合实验区管委会办公室": "平潭综合实验区"})
    last = y.set_index("year").loc[2024]
    assert last["value"] == 218 and not last["comparable"]
    assert "reported as 平潭综合实验区管委会办公室" in last["caveat"] and "whole_area" in last["caveat"]


def test_cross_agency_ranking(sample):
    r = compare_agencies(sample, 2023, indicator="disclosure_rate")
    assert r["agency"].tolist() == ["沭阳县发展和改革局", "平潭综合实验区", "外交部", "平潭综合实验区社会事业局", "平潭综合实验区自然资源与生态环境局"]
    assert r["rank"].tolist()[:4] == [1, 2, 3, 4] and pd.isna(r["rank"].iloc[4])
    # truth: shs 2023 granted 0 + partial 0 of (七) 1; zrz 2023's (七)总计 has no consistent split, so no rate
    assert r["value"].tolist()[:4] == pytest.approx([1.0, 42 / 81, 5 / 17, 0 / 1])
    assert pd.isna(r["value"].iloc[4]) and r["numerator"].iloc[4] == 6 + 8
    assert r["scope"].tolist() == ["department", "whole_area", "department", "department", "department"]
    assert r["small_denominator"].tolist() == [False, False, True, True, False]
    assert "外交部: small denominator (17)" in r.attrs["caveats"]
    assert any(c.startswith("平潭综合实验区: whole-area report that includes 平潭综合实验区社会事业局") for c in r.attrs["caveats"])
    assert r.attrs["caveats"][0].startswith("whole-area and department reports are ranked together")


def test_missing_values_are_not_ranked(sample):
    r = compare_agencies(sample, 2023, indicator="legal_person_share").set_index("agency")
    assert pd.isna(r.loc["沭阳县发展和改革局", "rank"]) and pd.isna(r.loc["沭阳县发展和改革局", "value"])
    assert "is blank" in r.loc["沭阳县发展和改革局", "reason"]
    assert r.loc["平潭综合实验区", "rank"] == 1


def test_a_named_agency_without_a_report_that_year(sample):
    r = compare_agencies(sample, 2024, ["外交部", "上海市科委"], "requests_received").set_index("agency")
    assert r.loc["上海市科委", "value"] == 34 and r.loc["上海市科委", "rank"] == 1
    assert pd.isna(r.loc["外交部", "value"]) and r.loc["外交部", "reason"] == "no report for 2024"


def test_whole_area_and_its_department_are_flagged_never_added(sample):
    county = sample[sample["agency"] == "外交部"].copy()
    county["agency"] = "沭阳县人民政府"  # a stand-in whole-county report for 2023
    both = pd.concat([sample.assign(agency=sample["agency"].astype(str)), county.assign(agency="沭阳县人民政府")], ignore_index=True)
    r = compare_agencies(both, 2023, ["沭阳县人民政府", "沭阳县发展和改革局"], "requests_received").set_index("agency")
    assert "whole-area report that includes 沭阳县发展和改革局: compare, never add" in r.loc["沭阳县人民政府", "caveat"]
    assert "inside 沭阳县人民政府" in r.loc["沭阳县发展和改革局", "caveat"]
    assert "total" not in " ".join(r.index)  # no summed row


def test_outcome_composition(sample):
    c = outcome_composition(sample, "外交部")
    assert c["outcome"].tolist() == ["granted", "partially_granted", "denied", "unable", "not_processed", "other_handling"]
    assert c["count"].tolist() == [5, 0, 3, 6, 0, 3]
    assert c["share"].sum() == pytest.approx(1.0) and (c["total"] == 17).all()
    assert c["small_denominator"].all() and c.attrs["caveats"] == []
    pt2019 = outcome_composition(sample, "平潭综合实验区", [2019]).set_index("outcome")
    assert pt2019.loc["other_handling", "count"] == 0 and pt2019.loc["unable", "count"] == 12


def test_composition_notes_parts_that_do_not_add_up(sample):
    broken = sample.copy()
    hit = (broken["agency"] == "外交部") & (broken["item"] == "granted") & (broken["applicant"] == "total")
    broken.loc[hit, "value"] = 6
    c = outcome_composition(broken, "外交部")
    assert c.attrs["caveats"] == ["外交部 2023: the parts add up to 18, the printed total is 17 (see validate)"]


def test_applicant_mix(sample):
    mix = applicant_mix(sample, "上海市科委").set_index("applicant")
    assert mix.loc["natural_person", "count"] == 32 and mix.loc["commercial_enterprise", "share"] == pytest.approx(2 / 34)
    shuyang = applicant_mix(sample, "沭阳县发展和改革局").set_index("applicant")
    assert shuyang.loc["natural_person", "share"] == 1.0
    assert pd.isna(shuyang.loc["commercial_enterprise", "share"]) and "blank" in shuyang.loc["commercial_enterprise", "reason"]


def test_carry_over_table(sample):
    t = carry_over_table(sample, "平潭综合实验区")
    assert t[["year", "carried_over", "previous_carried_forward", "agrees"]].values.tolist() == [[2024, 0.0, 0.0, True]]


def test_cells_by_year_shows_blank_as_blank(sample):
    t = cells_by_year(sample, "上海市科委", "requests")
    assert t.loc["carried_forward", 2024] == "(blank)" and t.loc["new_received", 2024] == "34"


def test_unknown_agency_and_year(sample):
    with pytest.raises(UnknownAgencyError, match="did you mean 平潭综合实验区") as info:
        compare_years(sample, "平潭综合实验")
    # the closest first; the zone's two departments in the sample are close too
    assert info.value.suggestions == ["平潭综合实验区", "平潭综合实验区社会事业局", "平潭综合实验区自然资源与生态环境局"]
    with pytest.raises(UnknownAgencyError):
        compare_agencies(sample, 2023, ["外交部", "商务部"])
    with pytest.raises(GovDiscloseError, match="no reports for 2030; years available: 2019, 2020, 2021, 2022, 2023, 2024"):
        compare_agencies(sample, 2030)
    with pytest.raises(GovDiscloseError, match="no reports of 外交部"):
        compare_years(sample, "外交部", years=[2019])


def test_agency_names_and_scope():
    known = ["外交部", "平潭综合实验区", "沭阳县发展和改革局", "上海市科委"]
    assert resolve_agency("　外交部 ", known) == "外交部"  # full-width space folded
    with pytest.raises(UnknownAgencyError) as info:
        resolve_agency("沭阳县发改局", known)
    assert info.value.suggestions[0] == "沭阳县发展和改革局"
    assert resolve_agencies([], known) == sorted(known)
    assert agency_scope("淮安市洪泽区人民政府") == ("whole_area", "淮安市洪泽区")
    assert agency_scope("沭阳县发展和改革局") == ("department", "沭阳县")
    assert agency_scope("上海市科委") == ("department", "上海市")
    assert agency_scope("外交部") == ("department", "全国")
    assert nested_pairs(["上海市人民政府", "上海市科委", "外交部"]) == [("上海市人民政府", "上海市科委")]
    assert nested_pairs(known) == []


def test_scope_is_the_identity_s_where_it_places_the_name(tmp_path, monkeypatch):
    # A zone's 管委会 reports for its whole area (the rule: 人民政府, 管委会 → whole_area); the
    # name rule alone calls any 委员会 a department, so 平潭's 2019 title would have read as a scope change.
    assert agency_scope("平潭综合实验区管委会").level == "whole_area"
    sample = govdisclose.load_sample()
    early = (sample["agency"] == "平潭综合实验区") & (sample["year"] == 2019)
    sample["agency"] = sample["agency"].astype("string").mask(early, "平潭综合实验区管委会")
    years = govdisclose.compare_years(sample, "平潭综合实验区", indicators="requests_received",
                                      aliases={"平潭综合实验区管委会": "平潭综合实验区"}, warn=False)
    assert not years["caveat"].fillna("").str.contains("scope changed").any()
    # the user's override file decides too: a name the gazetteer cannot place takes the scope it sets
    assert agency_scope("苏州工业园区管理委员会").level == "department"  # unplaced: the name rule
    aliases = tmp_path / "aliases.yml"
    aliases.write_text("苏州工业园区管理委员会: {province: 江苏省, level: county, scope: whole_area}\n", encoding="utf-8")
    monkeypatch.setenv("GOVDISCLOSE_AGENCY_ALIASES", str(aliases))
    assert agency_scope("苏州工业园区管理委员会").level == "whole_area"
