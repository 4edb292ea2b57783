"""Report tables: the formatting a reader sees, on real frames from the bundled sample."""

from __future__ import annotations

import pandas as pd
import pytest

import govdisclose
from govdisclose.corpus.sample import duplicates_table
from govdisclose.exceptions import GovDiscloseError
from govdisclose.viz.tables import bullets, indicator_summary, table

from conftest import DATA


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return govdisclose.load_sample()


def test_counts_are_integers_and_rates_percentages(sample):
    yoy = govdisclose.compare_years(sample, "平潭综合实验区", warn=False)
    shown = table(yoy, ["indicator", "year", "value", "previous_value", "change", "relative_change"], empty="-").frame()
    row = shown[(shown["indicator"] == "requests_received") & (shown["year"] == "2024")].iloc[0].tolist()
    assert row == ["requests_received", "2024", "218", "81", "+137", "+169.1%"]  # 218 / 81 − 1
    rate = shown[(shown["indicator"] == "disclosure_rate") & (shown["year"] == "2024")].iloc[0].tolist()
    assert rate[2:5] == ["45.9%", "51.9%", "−6.0 pp"]  # 100/218, 42/81: a change of a rate in percentage points


def test_no_index_column_but_a_meaningful_index_kept_as_columns(sample):
    findings = govdisclose.validate(sample)
    counts = pd.crosstab([findings["agency"], findings["year"]], findings["severity"])
    by_agency = table(counts, empty="-")
    assert by_agency.columns == ["agency", "year", *counts.columns]  # the index becomes columns; no index column
    expected = [[agency, str(year), *(str(n) for n in row)] for (agency, year), row in zip(counts.index, counts.values.tolist())]
    assert by_agency.frame().values.tolist() == expected
    assert ["上海市科委", "2024"] == expected[0][:2]
    filtered = table(findings[findings["agency"] == "沭阳县发展和改革局"], ["rule"], empty="-")
    assert filtered.columns == ["rule"]  # the filtered RangeIndex (2) is not shown


def test_messages_in_full_and_paths_relative(sample):
    findings = govdisclose.validate(sample)
    longest = max(findings["message"], key=len)
    assert len(longest) > 300 and longest in table(findings, ["message"], empty="-")._repr_html_()
    duplicates = duplicates_table(sample)
    shown = table(duplicates, ["kept", "dropped"], empty="-", paths_relative_to=DATA).frame()
    assert sorted(shown["dropped"]) == ["pingtan_2019.txt", "pingtan_2024.txt"]
    assert str(DATA) not in table(duplicates, empty="-")._repr_html_()


def test_an_empty_frame_is_a_sentence(sample):
    findings = govdisclose.validate(sample[sample["agency"] == "外交部"])
    shown = table(findings, ["rule", "message"], empty="No findings: every arithmetic rule holds.")
    assert len(findings) == 0 and shown._repr_html_() == "<p><em>No findings: every arithmetic rule holds.</em></p>"
    with pytest.raises(GovDiscloseError, match="no column"):
        table(findings, ["rul"], empty="-")


def test_indicator_summary_marks_small_denominators(sample):
    shown = indicator_summary(govdisclose.indicators(sample[sample["agency"] == "平潭综合实验区"])).frame().set_index("indicator")
    assert shown.loc["requests_received", ["2019", "2021", "2023", "2024"]].tolist() == ["23", "70", "81", "218"]
    assert shown.loc["review_correction_rate", "2023"] == "50.0% *"  # 1 of 2 reviews corrected
    assert shown.loc["normative_documents_in_force", "2019"] == "<NA>"


def test_bullets_once_each():
    assert bullets(["a", "b", "a"])._repr_markdown_() == "- a\n- b"
    assert bullets([], empty="no caveats")._repr_markdown_() == "_no caveats_"
