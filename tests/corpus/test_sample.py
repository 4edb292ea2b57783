"""The bundled sample as one frame: one report per (agency, year), duplicates and failures named."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import govdisclose
from govdisclose.corpus.sample import coverage, duplicates_table, failures_table, report_files
from govdisclose.exceptions import GovDiscloseError

from conftest import DATA
from truthcheck import load_truth

EXPECTED = {
    ("上海市科委", 2024): "shanghai_stcsm_2024.txt",
    ("外交部", 2023): "mfa_2023.txt",
    ("平潭综合实验区", 2019): "pingtan_2019.html",
    ("平潭综合实验区", 2021): "pingtan_2021.txt",
    ("平潭综合实验区", 2023): "pingtan_2023.txt",
    ("平潭综合实验区", 2024): "pingtan_2024.html",
    ("沭阳县发展和改革局", 2023): "shuyang_fgj_2023.html",
    **{("平潭综合实验区自然资源与生态环境局", y): f"pingtan_zrz_{y}.txt" for y in range(2019, 2025)},
    **{("平潭综合实验区社会事业局", y): f"pingtan_shs_{y}.txt" for y in range(2022, 2025)},
}
#: Reports on the 2019 template have 198 cells (spec catalogue), on the 2021 template 200.
TEMPLATE_2019 = {("平潭综合实验区", 2019), ("平潭综合实验区自然资源与生态环境局", 2019), ("平潭综合实验区自然资源与生态环境局", 2020)}


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return govdisclose.load_sample()


def test_every_sample_file_is_used_once_per_agency_and_year(sample):
    assert failures_table(sample).empty, failures_table(sample).to_dict("records")
    kept = sample[["agency", "year", "source"]].drop_duplicates()
    got = {(a, int(y)): s.rsplit("/", 1)[-1] for a, y, s in kept.itertuples(index=False)}
    assert got == EXPECTED
    assert sample.groupby(["agency", "year"], observed=True).size().to_dict() == {
        k: (198 if k in TEMPLATE_2019 else 200) for k in EXPECTED
    }


def test_duplicates_keep_the_html_and_say_why(sample):
    dup = duplicates_table(sample).set_index("year")
    assert sorted(dup.index) == [2019, 2024]
    for year in (2019, 2024):
        row = dup.loc[year]
        assert row["kept"].endswith(f"pingtan_{year}.html") and row["dropped"].endswith(f"pingtan_{year}.txt")
        assert row["kept_unreadable"] <= row["dropped_unreadable"]
        assert row["disagreements"] == 0  # the two copies of the same report agree where both read
        assert "pingtan" in row["reason"] and "unreadable" in row["reason"]


@pytest.mark.parametrize("stem", ["pingtan_2021", "pingtan_2023", "mfa_2023", "shuyang_fgj_2023",
                                  *(f"pingtan_zrz_{y}" for y in range(2019, 2025)), *(f"pingtan_shs_{y}" for y in range(2022, 2025))])
def test_sample_values_match_the_hand_checked_truth(sample, stem):
    truth = load_truth(DATA / "truth" / f"{stem}.csv")
    rows = sample[sample["source"].astype(str).str.endswith(stem + ".txt") | sample["source"].astype(str).str.endswith(stem + ".html")]
    cells = {(t, i, None if pd.isna(a) else a): (st, v)
             for t, i, a, st, v in rows[["table", "item", "applicant", "state", "value"]].itertuples(index=False)}
    numbers = [(t, i, a or None, v) for t, i, a, v in truth[["table", "item", "applicant", "value"]].itertuples(index=False)
               if v.replace(".", "", 1).isdigit()]
    checked = 0
    for t, i, a, v in numbers:
        state, got = cells[(t, i, a)]
        if state == "unreadable":  # flagged is allowed, a wrong number is not
            continue
        assert state == "number" and float(got) == float(v), (t, i, a)
        checked += 1
    assert checked >= 0.9 * len(numbers) and checked >= 70


def test_blank_cells_stay_missing(sample):
    shanghai = sample[(sample["agency"] == "上海市科委") & (sample["item"] == "carried_forward") & (sample["applicant"] == "total")]
    assert shanghai["state"].tolist() == ["blank"] and shanghai["value"].isna().all()


def test_cache_returns_independent_copies():
    first = govdisclose.load_sample()
    first.loc[:, "value"] = pd.NA
    first.attrs["duplicates"].loc[0, "reason"] = "changed"
    second = govdisclose.load_sample()
    assert second["value"].notna().sum() > 1000
    assert "changed" not in set(duplicates_table(second)["reason"])


def test_sample_frames_concatenate(sample):
    both = pd.concat([sample, govdisclose.load_sample()], ignore_index=True)
    assert len(both) == 2 * len(sample) and len(duplicates_table(both)) == 2


def test_a_folder_with_a_copy_in_two_formats_and_a_broken_file(tmp_path):
    shutil.copy(DATA / "mfa_2023.txt", tmp_path / "mfa_2023.txt")
    shutil.copy(DATA / "mfa_2023.txt", tmp_path / "mfa_2023.md")
    (tmp_path / "broken.html").write_text("<html><body><p>政府信息公开</p></body></html>", encoding="utf-8")
    (tmp_path / "README.md").write_text("# not a report", encoding="utf-8")
    metrics = govdisclose.load_sample(tmp_path)
    assert metrics.groupby(["agency", "year"], observed=True).size().to_dict() == {("外交部", 2023): 200}
    dup = duplicates_table(metrics).iloc[0]
    assert dup["kept"].endswith("mfa_2023.md") and dup["dropped"].endswith("mfa_2023.txt")
    assert "keeps the table structure" in dup["reason"]
    failures = failures_table(metrics)
    assert failures["source"].str.endswith("broken.html").tolist() == [True]
    assert failures["error"].iloc[0] == "ReportNotFoundError"


def test_not_a_folder_is_a_clear_error(tmp_path):
    with pytest.raises(GovDiscloseError, match="not a folder of reports"):
        govdisclose.load_sample(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="nowhere"):  # a PathNotFoundError, as load_reports raises
        govdisclose.load_sample(tmp_path / "nowhere")


def test_report_files_skip_readme_and_truth():
    names = [p.name for p in report_files(DATA)]
    assert "README.md" not in names and not any(n.endswith(".csv") for n in names)
    assert len(names) == 18  # 16 agency-years, two of them also as a saved web page


def test_coverage_shows_the_gaps(sample):
    matrix = coverage(sample)
    assert list(matrix.columns) == [2019, 2020, 2021, 2022, 2023, 2024]
    assert matrix.loc["平潭综合实验区"].tolist() == [
        "pingtan_2019.html", "missing", "pingtan_2021.txt", "missing", "pingtan_2023.txt", "pingtan_2024.html",
    ]
    assert matrix.loc["外交部", 2023] == "mfa_2023.txt" and matrix.loc["外交部", 2024] == "missing"
