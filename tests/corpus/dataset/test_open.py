"""open_corpus: filters pushed down to Parquet give the rows a filter on the whole table gives,
with the contract's dtypes, in pandas, Dask and DuckDB alike."""

# ruff: noqa: F811
from __future__ import annotations

import pandas as pd
import pytest

import govdisclose
from govdisclose.tidy import empty_metrics

from dataset_hooks import clean_build, synth_folder  # noqa: F401  (fixtures; the tests name them as arguments: F811 off below)


@pytest.fixture(scope="module")
def corpus(clean_build):
    return govdisclose.open_corpus(clean_build[0])


def test_metrics_have_the_contract_dtypes(corpus):
    metrics = corpus.metrics(year=2023)
    reference = empty_metrics().dtypes
    for column in reference.index:
        if isinstance(reference[column], pd.CategoricalDtype):
            assert isinstance(metrics[column].dtype, pd.CategoricalDtype), column
        else:
            assert metrics[column].dtype == reference[column], column
    assert set(metrics["year"]) == {2023}


@pytest.mark.parametrize("filters", [
    {"year": 2021},
    {"year": [2019, 2024], "item": "new_received"},
    {"table": "review_litigation"},
    {"agency": "示例东山县教育局", "applicant": "total"},
])
def test_a_filter_gives_the_rows_of_the_whole_table_it_selects(corpus, filters):
    whole = corpus.metrics()
    mask = pd.Series(True, index=whole.index)
    for column, value in filters.items():
        mask &= whole[column].isin(value if isinstance(value, list) else [value])
    expected = whole[mask].reset_index(drop=True)
    got = corpus.metrics(**filters)
    assert len(got) and len(got) < len(whole)
    pd.testing.assert_frame_equal(got.astype(str), expected.astype(str))


def test_one_indicator_of_one_year_for_every_agency(corpus, synth_folder):
    got = corpus.metrics(year=2022, item="new_received", applicant="total")
    truth = pd.read_csv(synth_folder / "SYNTHETIC_MANIFEST.csv")
    assert sorted(got["agency"].astype(str)) == sorted(truth.loc[truth["year"] == 2022, "agency"])
    assert got["value"].notna().all()


def test_the_other_tables_take_their_filters(corpus):
    sections = corpus.sections(year=2020, section="五")
    assert len(sections) == len(corpus.reports(year=2020)) and set(sections["section"]) == {"五"}
    assert sections["text"].str.startswith("五").all()
    assert set(corpus.findings(stage="validator")["stage"]) == {"validator"}
    assert corpus.failures(error="EmptyDocumentError")["source"].str.endswith("broken.txt").all()
    assert str(corpus.reports()["year"].dtype) == "Int64"


def test_an_unknown_filter_or_table_is_refused(corpus):
    with pytest.raises(govdisclose.DatasetError, match="sections\\(\\) cannot be filtered on item"):
        corpus.sections(item="new_received")
    with pytest.raises(govdisclose.DatasetError, match="unknown table"):
        corpus.files("cells")
    with pytest.raises(govdisclose.DatasetError, match="backend must be one of"):
        corpus.metrics(backend="spark")


def test_dask_and_duckdb_give_the_same_rows(corpus):
    expected = corpus.metrics(year=2023, item="new_received")
    lazy = corpus.to_dask("metrics", year=2023, item="new_received")
    got = lazy.compute().sort_values(["source", "applicant"]).reset_index(drop=True)
    assert len(got) == len(expected)
    assert got["value"].sum() == expected["value"].sum()
    relation = corpus.duckdb("metrics", year=2023, item="new_received")
    [(count, total)] = relation.aggregate("count(*), sum(value)").fetchall()
    assert (count, total) == (len(expected), expected["value"].sum())
    assert corpus.metrics(backend="duckdb", year=2023).aggregate("count(*)").fetchall() == [(len(corpus.metrics(year=2023)),)]


def test_the_repr_counts_files(corpus, clean_build):
    assert f"{clean_build[1].files} files" in repr(corpus)


def test_the_command_line_builds_and_updates_a_dataset(tmp_path, capsys):
    from govdisclose.cli import main

    out = tmp_path / "dataset"
    source = str(govdisclose.sample_path("mfa_2023.txt"))
    assert main(["build-corpus", source, "--out", str(out), "--jobs", "1", "--no-progress"]) == 0
    assert "1 read now" in capsys.readouterr().out
    assert main(["build-corpus", source, "--out", str(out), "--jobs", "1", "--no-progress"]) == 0
    assert "0 read now, 1 already in the dataset" in capsys.readouterr().out
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["build-corpus", source, str(empty), "--out", str(out), "--jobs", "1", "--no-progress"]) == 3
    assert "1 file(s) not read" in capsys.readouterr().err
    assert main(["build-corpus", source, "--out", str(empty), "--jobs", "1"]) == 1  # a file, not a folder


def test_filters_take_numpy_values_and_index_objects(corpus):
    import numpy as np

    expected = corpus.reports(year=2021)
    pd.testing.assert_frame_equal(corpus.reports(year=np.int64(2021)), expected)
    pd.testing.assert_frame_equal(corpus.reports(year=pd.Index([2021]), agency=expected["agency"].unique()), expected)


def test_reports_carry_who_each_agency_is(tmp_path):
    # the bundled real reports; expected places written from the facts (沭阳县 is in 宿迁市, 江苏省;
    # 外交部 is a State Council department; 平潭综合实验区 sits on 平潭县's territory, code 350128)
    out = tmp_path / "ds"
    govdisclose.build_corpus([govdisclose.sample_dir()], out, jobs=1, progress=False)
    reports = govdisclose.open_corpus(out).reports().drop_duplicates("agency").set_index("agency")
    assert reports.loc["沭阳县发展和改革局", ["province", "city", "county", "division_code", "level", "scope"]].tolist() == [
        "江苏省", "宿迁市", "沭阳县", "321322", "county", "department"]
    assert reports.loc["外交部", ["level", "scope"]].tolist() == ["central", "department"]
    assert reports.loc["平潭综合实验区", ["division_code", "scope"]].tolist() == ["350128", "whole_area"]
    plain = govdisclose.open_corpus(out).reports(with_identity=False)
    assert "agency_id" not in plain.columns and len(plain) == len(govdisclose.open_corpus(out).reports())
