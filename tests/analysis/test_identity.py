"""Agency identity: every agency of the bundled sample and of the shared corpus resolves to the place,
level and scope it really has (expected values written from what these places are, not from the
code), title variants share one id, and what cannot be resolved is reported, never guessed."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import govdisclose
from govdisclose.analysis.identity import IDENTITY_COLUMNS, agency_info, identity, identity_table
from govdisclose.analysis.identity.gazetteer import divisions, full_names
from govdisclose.analysis.identity.rules import department_kind
from govdisclose.exceptions import AgencyIdentityWarning, GovDiscloseError, PathNotFoundError

NA = None
#: name as printed → (province, city, county, division_code, level, scope, kind). Facts: 沭阳县 is a
#: county of 宿迁市 (江苏省, code 321322); 洪泽区 a district of 淮安市 (320813); 上海市 a municipality
#: (310000, no prefecture level); 外交部 a State Council ministry; 平潭综合实验区 a zone of 福建省 on
#: the territory of 平潭县 (福州市, 350128), administering at prefecture level (the documented choice).
EXPECTED: dict[str, tuple[str | None, str | None, str | None, str | None, str, str, str | None]] = {
    "外交部": (NA, NA, NA, NA, "central", "department", "外交"),
    "平潭综合实验区": ("福建省", "福州市", "平潭县", "350128", "city", "whole_area", NA),
    "平潭综合实验区社会事业局": ("福建省", "福州市", "平潭县", "350128", "city", "department", "社会事业"),
    "平潭综合实验区自然资源与生态环境局": ("福建省", "福州市", "平潭县", "350128", "city", "department", "自然资源"),
    "平潭综合实验区地方税务局": ("福建省", "福州市", "平潭县", "350128", "city", "department", "税务"),
    "平潭县人民政府": ("福建省", "福州市", "平潭县", "350128", "county", "whole_area", NA),
    "上海市科委": ("上海市", NA, NA, "310000", "province", "department", "科技"),
    "上海市科学技术委员会": ("上海市", NA, NA, "310000", "province", "department", "科技"),
    "沭阳县发展和改革局": ("江苏省", "宿迁市", "沭阳县", "321322", "county", "department", "发改"),
    "淮安市人民政府": ("江苏省", "淮安市", NA, "320800", "city", "whole_area", NA),
    "淮安市洪泽区人民政府": ("江苏省", "淮安市", "洪泽区", "320813", "county", "whole_area", NA),
    "洪泽区人民政府": ("江苏省", "淮安市", "洪泽区", "320813", "county", "whole_area", NA),
}
_KEYS = ("province", "city", "county", "division_code", "level", "scope", "department_kind")


def _check(name: str) -> None:
    assert name in EXPECTED, f"{name!r}: an agency of the corpus without an expected identity"
    info = agency_info(name)
    got = tuple(None if pd.isna(info[k]) else info[k] for k in _KEYS)
    assert got == EXPECTED[name], name
    assert info["resolved"] != "unknown" and not pd.isna(info["agency_id"])


def test_every_agency_of_the_bundled_sample():
    names = sorted(govdisclose.load_sample()["agency"].unique())
    assert len(names) == 6
    for name in names:
        _check(name)


@pytest.mark.slow
def test_every_agency_of_the_shared_corpus(corpus_dir: Path):
    files = [p for p in sorted(corpus_dir.rglob("*")) if p.suffix in (".txt", ".html", ".pdf") and "truth" not in p.parts]
    names = {govdisclose.read_report(p).agency for p in files}
    assert {"洪泽区人民政府", "淮安市洪泽区人民政府", "淮安市人民政府", "平潭县人民政府", "平潭综合实验区地方税务局"} <= names
    for name in sorted(names):
        _check(name)


def test_title_variants_share_one_id():
    ids = {agency_info(n)["agency_id"] for n in ("平潭综合实验区", "平潭综合实验区管委会", "平潭综合实验区管理委员会", "福建省平潭综合实验区")}
    assert ids == {"350128:平潭综合实验区"}
    assert agency_info("洪泽区人民政府")["agency_id"] == agency_info("淮安市洪泽区人民政府")["agency_id"] == "320813:人民政府"
    assert agency_info("上海市科委")["agency_id"] == agency_info("上海市科学技术委员会")["agency_id"]
    assert agency_info("平潭县人民政府")["agency_id"] != agency_info("平潭综合实验区")["agency_id"]  # two governments
    assert agency_info("淮安市政府")["agency_id"] == agency_info("淮安市人民政府")["agency_id"]
    assert agency_info("平潭綜合實驗區")["agency_id"] == "350128:平潭综合实验区"  # traditional script


def test_a_confusable_place_name_is_corrected_only_when_one_place_fits_and_the_correction_is_recorded():
    info = agency_info("沐阳县发展和改革局")
    assert (info["county"], info["city"], info["agency_id"]) == ("沭阳县", "宿迁市", agency_info("沭阳县发展和改革局")["agency_id"])
    assert "沐阳县 → 沭阳县" in info["identity_note"]
    assert pd.isna(agency_info("沭阳县发展和改革局")["identity_note"])


def test_ambiguous_and_unknown_names_are_reported_not_guessed():
    gulou = agency_info("鼓楼区人民政府")  # 南京, 徐州, 福州, 开封 each have one
    assert gulou["resolved"] == "unknown" and all(pd.isna(gulou[k]) for k in _KEYS)
    assert "ambiguous" in gulou["identity_note"] and "350102" in gulou["identity_note"]
    assert agency_info("福州市鼓楼区人民政府")["division_code"] == "350102"
    nowhere = agency_info("某某县档案局")
    assert nowhere["resolved"] == "unknown" and pd.isna(nowhere["level"]) and nowhere["agency_id"] == "unresolved:某某县档案局"
    with pytest.warns(AgencyIdentityWarning, match="某某县档案局"):
        joined = identity(pd.DataFrame({"agency": ["外交部", "某某县档案局"], "value": [1, 2]}))
    assert joined.attrs["unresolved"]["name"].tolist() == ["某某县档案局"]
    with pytest.raises(GovDiscloseError):
        agency_info("  ")


def test_levels_scopes_and_kinds_of_other_names():
    assert agency_info("江苏省人民政府办公厅")["scope"] == "department"  # a government's office is a department
    assert agency_info("江苏省人民政府办公厅")["department_kind"] == "办公厅"
    assert agency_info("江苏省人民政府")["level"] == "province"
    assert agency_info("宿迁市公安局")["department_kind"] == "公安"
    town = agency_info("沭阳县章集街道办事处")
    assert (town["level"], town["scope"], town["county"]) == ("township", "whole_area", "沭阳县")
    assert agency_info("国家税务总局")["level"] == "central"
    assert agency_info("示例东山县交通运输局")["resolved"] == "synthetic"
    assert department_kind("某某市行政审批局") == "行政审批" and department_kind("某某市财政局") == "财政"


def test_the_gazetteer_is_the_national_table():
    table = divisions()
    levels = pd.Series([d.level for d in table.values()]).value_counts()
    assert levels["province"] == 34  # 23 provinces, 5 autonomous regions, 4 municipalities, 2 SARs
    assert levels["city"] > 330 and levels["county"] > 2800
    assert all(d.parent in table for d in table.values() if d.parent)
    assert table["321322"].name == "沭阳县" and table["320813"].name == "洪泽区" and table["350128"].name == "平潭县"
    assert full_names("321322") == ("江苏省", "宿迁市", "沭阳县")
    assert full_names("310101") == ("上海市", None, "黄浦区")


def test_identity_adds_the_columns_after_the_agency_column():
    m = govdisclose.load_sample()
    out = identity(m)
    at = list(out.columns).index("agency")
    assert list(out.columns)[at + 1: at + 1 + len(IDENTITY_COLUMNS)] == IDENTITY_COLUMNS
    assert len(out) == len(m) and (out["value"].fillna(-1) == m["value"].fillna(-1)).all()
    assert out.loc[out["agency"] == "外交部", "level"].unique().tolist() == ["central"]
    assert out["agency_id"].nunique() == 6
    table = identity_table(["外交部", "外交部", None])
    assert len(table) == 1


def test_override_files_csv_yaml_and_env(tmp_path, monkeypatch):
    csv_file = tmp_path / "aliases.csv"
    csv_file.write_text("name,same_as,province,level\n沭阳发改,沭阳县发展和改革局,,\n某某新区管委会,,河北省,city\n", encoding="utf-8")
    alias = agency_info("沭阳发改", aliases=csv_file)
    assert alias["agency_id"] == agency_info("沭阳县发展和改革局")["agency_id"] and alias["name"] == "沭阳发改"
    assert alias["resolved"] == "override" and "alias of 沭阳县发展和改革局" in alias["identity_note"]
    zone = agency_info("某某新区管委会", aliases=csv_file)
    assert (zone["province"], zone["level"], zone["resolved"]) == ("河北省", "city", "override")
    yml = tmp_path / "aliases.yml"
    yml.write_text("沭阳发改: 沭阳县发展和改革局\n外交部: {department_kind: 外事}\n", encoding="utf-8")
    monkeypatch.setenv("GOVDISCLOSE_AGENCY_ALIASES", str(yml))
    assert agency_info("外交部")["department_kind"] == "外事"
    assert agency_info("沭阳发改")["county"] == "沭阳县"
    monkeypatch.setenv("GOVDISCLOSE_AGENCY_ALIASES", str(tmp_path / "missing.csv"))
    with pytest.raises(PathNotFoundError):
        agency_info("外交部")
    monkeypatch.delenv("GOVDISCLOSE_AGENCY_ALIASES")
    bad = tmp_path / "bad.yml"
    bad.write_text("外交部: {level: national}\n", encoding="utf-8")
    with pytest.raises(GovDiscloseError, match="level"):
        agency_info("外交部", aliases=bad)
    with pytest.raises(GovDiscloseError, match="alias loop"):
        raise GovDiscloseError(agency_info("甲", aliases={"甲": "乙", "乙": "甲"})["identity_note"])


def test_no_warning_for_the_sample():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        identity(govdisclose.load_sample())


def test_identity_on_a_comparison_frame():
    ranking = govdisclose.compare_agencies(govdisclose.load_sample(), 2023, indicator="requests_received")
    out = identity(ranking)
    assert out["rank"].tolist() == ranking["rank"].tolist() and out["value"].tolist() == ranking["value"].tolist()
    assert out["scope"].tolist() == ranking["scope"].tolist()  # the rules agree with compare's scope on the sample
    assert out["kind"].tolist() == ranking["kind"].tolist()  # the indicator's kind is kept beside department_kind
    assert dict(zip(out["agency"], out["county"]))["沭阳县发展和改革局"] == "沭阳县"
    assert agency_info("平潭综合实验区").describe() == "zone on the territory of 福建省 福州市 平潭县 (350128) · city level · whole area"
