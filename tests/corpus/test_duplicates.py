"""One agency-year identity: copies of one report (the saved 平潭 web pages and their text
renderings in the bundled sample) are found, one is kept by the documented rule, and nothing that
puts reports side by side ever compares a report with its own copy."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import govdisclose
from govdisclose.corpus.duplicates import duplicate_reports
from govdisclose.exceptions import DuplicateReportError, DuplicateReportWarning

from conftest import DATA

PINGTAN = "平潭综合实验区"


@pytest.fixture(scope="module")
def every_copy() -> pd.DataFrame:
    return govdisclose.load_reports(DATA, duplicates="keep")


def _names(sources) -> list[str]:
    return [str(s).rsplit("/", 1)[-1] for s in sources]


def test_the_default_keeps_one_copy_per_agency_year_and_says_which():
    m = govdisclose.load_reports("data/")  # the README's call, from the checkout
    assert m.attrs["agency_years"] == 16 and m["source"].nunique() == 16
    assert m.groupby(["agency", "year"], observed=True)["source"].nunique().max() == 1
    d = m.attrs["duplicates"]
    assert [(int(y), k, x) for y, k, x in zip(d["year"], _names(d["kept"]), _names(d["dropped"]))] == [
        (2019, "pingtan_2019.html", "pingtan_2019.txt"), (2024, "pingtan_2024.html", "pingtan_2024.txt")]
    # the web pages read every cell; the text renderings (cells run together) leave some unreadable
    assert d["kept_unreadable"].tolist() == [0, 0] and (d["dropped_unreadable"] > 0).all()
    assert d["disagreements"].tolist() == [0, 0]  # where both copies read a number, it is the same number
    assert d["reason"].str.contains("fewer unreadable cells").all()


def test_load_sample_applies_the_same_rule():
    sample, loaded = govdisclose.load_sample(), govdisclose.load_reports(DATA)
    assert set(_names(sample["source"].unique())) == set(_names(loaded["source"].unique()))
    for column in ("kept", "dropped"):
        assert _names(sample.attrs["duplicates"][column]) == _names(loaded.attrs["duplicates"][column])
    assert sample.attrs["duplicates"]["reason"].tolist() == loaded.attrs["duplicates"]["reason"].tolist()
    assert sample.attrs["files"] == loaded.attrs["files"] == 35


def test_the_other_modes(every_copy):
    assert every_copy["source"].nunique() == 18
    assert [(a, y, _names(s)) for a, y, s in duplicate_reports(every_copy)] == [
        (PINGTAN, 2019, ["pingtan_2019.html", "pingtan_2019.txt"]), (PINGTAN, 2024, ["pingtan_2024.html", "pingtan_2024.txt"])]
    assert every_copy.attrs["duplicates"]["reason"].str.startswith("both kept").all()
    first = govdisclose.load_reports(DATA, duplicates="first")  # path order: .html sorts before .txt here too
    assert _names(first.attrs["duplicates"]["kept"]) == ["pingtan_2019.html", "pingtan_2024.html"]
    text_first = govdisclose.load_reports([DATA / "pingtan_2024.txt", DATA / "pingtan_2024.html"], duplicates="first")
    assert _names(text_first["source"].unique()) == ["pingtan_2024.txt"]
    preferred = govdisclose.load_reports([DATA / "pingtan_2024.txt", DATA / "pingtan_2024.html"])
    assert _names(preferred["source"].unique()) == ["pingtan_2024.html"]
    with pytest.raises(DuplicateReportError, match="平潭综合实验区 2024: .*pingtan_2024.html, .*pingtan_2024.txt") as info:
        govdisclose.load_reports([DATA / "pingtan_2024.txt", DATA / "pingtan_2024.html"], duplicates="raise")
    assert isinstance(info.value, ValueError) and info.value.duplicates[0][:2] == (PINGTAN, 2024)
    with pytest.raises(ValueError, match="duplicates must be one of"):
        govdisclose.load_reports(DATA, duplicates="drop")


def test_identical_files_under_two_names_are_one_report(tmp_path):
    shutil.copy(DATA / "mfa_2023.txt", tmp_path / "a.txt")
    shutil.copy(DATA / "mfa_2023.txt", tmp_path / "b.txt")
    m = govdisclose.load_reports(tmp_path)
    assert _names(m["source"].unique()) == ["a.txt"] and len(m) == 200
    assert "same format; the first in path order is kept" in m.attrs["duplicates"]["reason"].item()


def test_compare_years_never_compares_a_report_with_itself(every_copy):
    with pytest.raises(DuplicateReportError, match="compare_years needs one report per agency and year"):
        govdisclose.compare_years(every_copy, PINGTAN, indicators=["requests_received"], warn=False)
    y = govdisclose.compare_years(govdisclose.load_reports(DATA), PINGTAN, indicators=["requests_received"], warn=False)
    # 新收 of the zone's four reports (truth files); one row per year, never a change of 0 against a copy
    assert y["year"].tolist() == [2019, 2021, 2023, 2024] and y["value"].tolist() == [23, 70, 81, 218]
    assert y["previous_year"].tolist()[1:] == [2019, 2021, 2023]


def test_compare_agencies_to_wide_and_indicators_on_copies(every_copy):
    with pytest.raises(DuplicateReportError, match="compare_agencies"):
        govdisclose.compare_agencies(every_copy, 2024, indicator="requests_received")
    with pytest.raises(DuplicateReportError, match="to_wide"):
        govdisclose.to_wide(every_copy)
    wide = govdisclose.to_wide(every_copy, index=("agency", "year", "source"))  # both copies, told apart
    assert len(wide) == 18
    with pytest.warns(DuplicateReportWarning, match="2 agency-year"):
        values = govdisclose.indicators(every_copy, "requests_received")
    both = values[(values["agency"] == PINGTAN) & (values["year"] == 2019)]
    assert both["value"].tolist() == [23, 23]  # each copy has its row; the two copies agree
    one = govdisclose.compare_agencies(govdisclose.load_reports(DATA), 2024, indicator="requests_received")
    assert one["agency"].is_unique
