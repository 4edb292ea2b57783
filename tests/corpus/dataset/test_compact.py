"""Compaction: the same rows in fewer, sorted files; builds after it stay incremental; a crash
in the middle of it leaves the old files or the new ones, never both and never neither."""

# ruff: noqa: F811
from __future__ import annotations

import shutil

import pyarrow.parquet as pq
import pytest

import govdisclose
from govdisclose.corpus.dataset import compact as compact_module
from govdisclose.corpus.dataset.compact import _agency_ranks, clusters, compact_corpus
from govdisclose.corpus.dataset.store import Store

import dataset_hooks as hooks
from dataset_hooks import clean_build, synth_folder  # noqa: F401  (fixtures; the tests name them as arguments: F811 off below)


def _parquet(dataset):
    """The Parquet files of a dataset's tables (``_tmp/`` aside)."""
    return sorted(p.relative_to(dataset).as_posix() for p in dataset.rglob("*.parquet") if "_tmp" not in p.parts)


@pytest.fixture(scope="module")
def uncompacted(synth_folder, tmp_path_factory):
    """The synthetic corpus built in batches of 16 without compaction, and a compacted copy."""
    out = tmp_path_factory.mktemp("plain") / "dataset"
    result = govdisclose.build_corpus(synth_folder, out, jobs=1, batch_size=16, compact=False)
    assert result.compacted == 0 and len(Store(out).live()) == result.batches == 16
    compacted = tmp_path_factory.mktemp("compacted") / "dataset"
    shutil.copytree(out, compacted)
    return out, compacted, compact_corpus(compacted)


def test_compaction_keeps_every_row_in_fewer_files(uncompacted):
    before, after, result = uncompacted
    assert (result.merged, result.written) == (16, 1)
    assert len(_parquet(after)) == result.files_after < result.files_before == len(_parquet(before))
    # one file per table and year (findings are not in every year), and one of failures
    folders = {rel.rsplit("/", 1)[0] for rel in _parquet(before)}
    assert len(_parquet(after)) == len(folders) and {"metrics/year=2019", "failures"} <= folders
    [marker] = Store(after).live().values()
    assert marker["compacted"] and len(marker["members"]) == sum(len(m["members"]) for m in Store(before).live().values())
    hooks.assert_same_contents(after, before, ignore=("batch",))  # the batch holding a row is the new one
    assert set(govdisclose.open_corpus(after).reports()["batch"]) == {marker["id"]}


def test_compacted_files_are_sorted_for_the_filters(uncompacted):
    _, after, _ = uncompacted
    [path] = (after / "metrics" / "year=2023").glob("*.parquet")
    table = pq.read_table(path)
    keys = ["table", "item", "applicant", "agency", "source", "_row"]
    rows = list(zip(*(table.column(k).to_pylist() for k in keys)))
    assert rows == sorted(rows)
    # the statistics of a row group bound its items: a filter on one item skips the others
    meta = pq.ParquetFile(path).metadata
    item = meta.schema.names.index("item")
    spans = {(meta.row_group(i).column(item).statistics.min, meta.row_group(i).column(item).statistics.max)
             for i in range(meta.num_row_groups)}
    assert all(low <= high for low, high in spans)


def test_filters_read_the_same_rows_after_compaction(uncompacted):
    before, after, _ = uncompacted
    old, new = govdisclose.open_corpus(before), govdisclose.open_corpus(after)
    query = dict(year=2023, table="requests", item="new_received", applicant="total")
    assert len(new.files("metrics", 2023)) == 1 < len(old.files("metrics", 2023))
    import pandas as pd

    pd.testing.assert_frame_equal(new.metrics(**query), old.metrics(**query), check_exact=True)
    agency = old.reports(year=2021)["agency"].iloc[3]
    pd.testing.assert_frame_equal(new.metrics(agency=agency), old.metrics(agency=agency), check_exact=True)
    pd.testing.assert_frame_equal(new.sections(section="三"), old.sections(section="三"), check_exact=True)


def test_metrics_read_back_as_apply_dtypes_types_them(uncompacted):
    # the reader builds the categoricals from Arrow dictionaries; apply_dtypes on the plain frame is the reference
    import pandas as pd
    import pyarrow as pa

    from govdisclose.corpus.dataset.schema import ROW, to_pandas
    from govdisclose.tidy import apply_dtypes

    corpus = govdisclose.open_corpus(uncompacted[0])
    for filters in ({}, {"year": 2020, "item": "new_received"}, {"item": "no_such_item"}):
        data = corpus.dataset("metrics", filters.get("year")).to_table(filter=corpus._expression("metrics", filters))
        plain = data.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)
        plain = plain.sort_values(["source", ROW], kind="stable", ignore_index=True).drop(columns=[ROW])
        expected, got = apply_dtypes(plain), to_pandas(data, "metrics")
        pd.testing.assert_frame_equal(got, expected, check_exact=True)
        for column in got.columns:
            if isinstance(got[column].dtype, pd.CategoricalDtype):
                assert got[column].cat.categories.dtype == expected[column].cat.categories.dtype, column


def test_a_second_build_after_compaction_parses_nothing(synth_folder, uncompacted, tmp_path):
    out = tmp_path / "dataset"
    shutil.copytree(uncompacted[1], out)
    files = _parquet(out)
    again = govdisclose.build_corpus(synth_folder, out, jobs=1, batch_size=16)
    assert (again.parsed, again.batches, again.rewritten, again.removed, again.compacted) == (0, 0, 0, 0, 0)
    assert _parquet(out) == files


def test_a_changed_and_a_vanished_file_after_compaction(synth_folder, tmp_path):
    folder = tmp_path / "reports"
    shutil.copytree(synth_folder, folder)
    out = tmp_path / "dataset"
    govdisclose.build_corpus(folder, out, jobs=1, batch_size=16, compact=True)
    assert len(Store(out).live()) == 1
    texts = sorted(folder.glob("SYNTHETIC_*.txt"))
    changed, gone = texts[0], sorted(folder.glob("SYNTHETIC_*.html"))[0]
    changed.write_bytes(texts[1].read_bytes())  # now another report's content
    gone.unlink()
    after = govdisclose.build_corpus(folder, out, jobs=1, batch_size=16)
    assert (after.parsed, after.rewritten, after.removed, after.batches) == (1, 1, 2, 1)
    corpus = govdisclose.open_corpus(out)
    assert str(gone) not in set(corpus.reports()["source"]) | set(corpus.metrics()["source"])
    rows = corpus.metrics(source=str(changed))
    assert rows["value"].tolist() == govdisclose.read_report(changed).metrics["value"].tolist()
    assert [m.get("compacted", False) for m in Store(out).live().values()].count(True) == 1  # rewritten, still compacted
    clean = tmp_path / "clean"
    govdisclose.build_corpus(folder, clean, jobs=1, batch_size=16, compact=False)
    hooks.assert_same_contents(out, clean, ignore=("batch",))
    # the rewritten compacted batch is still sorted
    [path] = [p for p in (out / "metrics" / "year=2022").glob("*.parquet") if "-0000" in p.name]
    table = pq.read_table(path, columns=["table", "item", "applicant"])
    rows = list(zip(*(table.column(k).to_pylist() for k in table.column_names)))
    assert rows == sorted(rows)
    # and compacting again merges the new batch in: every row once
    result = compact_corpus(out)
    assert (result.merged, result.written) == (2, 1)
    hooks.assert_same_contents(out, clean, ignore=("batch",))


class _Boom(Exception):
    pass


def test_a_crash_while_writing_the_compacted_files_leaves_the_old_ones(synth_folder, uncompacted, tmp_path, monkeypatch):
    before = uncompacted[0]
    out = tmp_path / "dataset"
    shutil.copytree(before, out)
    real, written = compact_module.write_sorted, []

    def failing(data, table, path):
        if len(written) == 10:  # in the middle of the compacted batch's files
            raise _Boom("disk full")
        written.append(path)
        real(data, table, path)

    monkeypatch.setattr(compact_module, "write_sorted", failing)
    with pytest.raises(_Boom):
        compact_corpus(out)
    monkeypatch.undo()
    assert not (out / "_build.lock").exists()
    assert len(list((out / "_tmp").rglob("*.parquet"))) == 10  # the new files are still under _tmp/, not data
    assert _parquet(out) == _parquet(before)
    hooks.assert_same_contents(out, before)
    again = govdisclose.build_corpus(synth_folder, out, jobs=1, batch_size=16, compact=True)
    assert (again.parsed, again.compacted) == (0, 16) and not any((out / "_tmp").iterdir())
    hooks.assert_same_contents(out, uncompacted[1])


def test_a_crash_after_the_switch_leaves_the_new_files_only(synth_folder, uncompacted, tmp_path, monkeypatch):
    before = uncompacted[0]
    out = tmp_path / "dataset"
    shutil.copytree(before, out)
    dropped = []

    def failing(self, batch, marker=None):  # the new marker is in place; deleting the old batches fails
        if dropped:
            raise _Boom("killed")
        dropped.append(batch)
        real(self, batch, marker)

    real = Store.drop
    monkeypatch.setattr(Store, "drop", failing)
    with pytest.raises(_Boom):
        compact_corpus(out)
    monkeypatch.undo()
    # old markers and files are still on disk, but dead: every row reads once
    assert len(list((out / "_batches").glob("*.json"))) == 16
    assert len(_parquet(out)) > len(_parquet(uncompacted[1]))
    hooks.assert_same_contents(out, uncompacted[1])
    # the next build deletes the dead batches' files
    again = govdisclose.build_corpus(synth_folder, out, jobs=1, batch_size=16)
    assert again.parsed == 0 and _parquet(out) == _parquet(uncompacted[1])
    hooks.assert_same_contents(out, uncompacted[1])


def test_auto_compaction_waits_for_enough_batches(synth_folder, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in sorted(synth_folder.glob("SYNTHETIC_*"))[:30]:
        if path.suffix != ".csv":
            shutil.copy(path, folder / path.name)
    few, many = tmp_path / "few", tmp_path / "many"
    assert govdisclose.build_corpus(folder, few, jobs=1, batch_size=8).compacted == 0  # 4 batches: left as they are
    result = govdisclose.build_corpus(folder, many, jobs=1, batch_size=3)  # 10 batches
    assert (result.compacted, result.compacted_into) == (10, 1) and "10 batches compacted into 1" in str(result)
    hooks.assert_same_contents(many, few, ignore=("batch",))
    with pytest.raises(govdisclose.DatasetError, match="compact must be"):
        govdisclose.build_corpus(folder, few, jobs=1, compact="sometimes")
    with pytest.raises(govdisclose.DatasetError, match="not a govdisclose corpus dataset"):
        compact_corpus(tmp_path)


def test_batches_are_packed_up_to_max_members(uncompacted, tmp_path):
    out = tmp_path / "dataset"
    shutil.copytree(uncompacted[0], out)
    result = compact_corpus(out, max_members=100)  # batches of 16 files: 6 to a compacted batch
    live = Store(out).live()
    assert (result.merged, result.written) == (16, 3) and len(live) == 3
    assert all(len(m["members"]) <= 100 for m in live.values())
    hooks.assert_same_contents(out, uncompacted[1], ignore=("batch",))


def test_a_corpus_opened_before_a_compaction_says_so(uncompacted, tmp_path):
    out = tmp_path / "dataset"
    shutil.copytree(uncompacted[0], out)
    stale = govdisclose.open_corpus(out)
    compact_corpus(out)
    with pytest.raises(govdisclose.DatasetError, match="the dataset changed since it was opened"):
        stale.metrics(year=2023)
    assert len(govdisclose.open_corpus(out).metrics(year=2023)) == len(govdisclose.open_corpus(uncompacted[1]).metrics(year=2023))


def test_the_command_line_compacts_on_request(tmp_path, capsys):
    from govdisclose.cli import main

    out, plain = tmp_path / "dataset", tmp_path / "plain"
    source = str(govdisclose.sample_dir())
    assert main(["build-corpus", source, "--out", str(out), "--jobs", "1", "--batch-size", "4", "--compact",
                 "--no-progress"]) == 0
    assert "5 batches compacted into 1" in capsys.readouterr().out
    assert main(["build-corpus", source, "--out", str(plain), "--jobs", "1", "--batch-size", "4", "--no-compact",
                 "--no-progress"]) == 0
    assert "compacted" not in capsys.readouterr().out and len(Store(plain).live()) == 5
    hooks.assert_same_contents(out, plain, ignore=("batch",))


def _row_group_spans(path, column):
    meta = pq.ParquetFile(path).metadata
    k = meta.schema.names.index(column)
    return [(meta.row_group(i).column(k).statistics.min, meta.row_group(i).column(k).statistics.max,
             meta.row_group(i).num_rows) for i in range(meta.num_row_groups)]


def test_compacted_metrics_are_clustered_by_agency(uncompacted, tmp_path, monkeypatch):
    # small files, clusters and row groups, so that a year of the synthetic corpus (about 8,000
    # rows of metrics) is cut into several files, each of several clusters: as 100,000 reports would be
    monkeypatch.setattr(compact_module, "FILE_ROWS", 3000)
    monkeypatch.setattr(compact_module, "CLUSTER_ROWS", {"metrics": 1000, "findings": 1000})
    monkeypatch.setattr(compact_module, "ROW_GROUP_ROWS", 256)
    before, out = uncompacted[0], tmp_path / "dataset"
    shutil.copytree(before, out)
    compact_corpus(out)
    hooks.assert_same_contents(out, before, ignore=("batch",))
    assert not any(p.is_file() for p in (out / "_tmp").rglob("*"))  # the spill files are gone
    paths = sorted((out / "metrics" / "year=2023").glob("*.parquet"))
    assert len(paths) >= 3
    # each file holds a range of agencies of its own, in order
    ranges = [(min(lo for lo, _, _ in spans), max(hi for _, hi, _ in spans))
              for spans in (_row_group_spans(p, "agency") for p in paths)]
    assert all(a[1] < b[0] for a, b in zip(ranges, ranges[1:])), ranges
    old = govdisclose.open_corpus(before).metrics(year=2023)
    biggest = int(old.groupby("agency", observed=True).size().max())
    agency = str(old["agency"].iloc[len(old) // 2])
    for path in paths:
        table = pq.read_table(path)
        agencies = table.column("agency").to_pylist()
        keys = ["table", "item", "applicant", "agency", "source", "_row"]
        rows = list(zip(*(table.column(k).to_pylist() for k in keys)))
        spans = _row_group_spans(path, "agency")
        start = 0
        for lo, hi, n in spans:  # each row group sorted, its agencies within its statistics
            assert rows[start:start + n] == sorted(rows[start:start + n])
            assert lo == min(agencies[start:start + n]) and hi == max(agencies[start:start + n])
            start += n
        # a filter on one agency reads one cluster of the file at most: about 1,000 rows, not the file's
        admitted = sum(n for lo, hi, n in spans if lo <= agency <= hi)
        assert admitted <= 1000 + biggest < table.num_rows
        # and the typical query's filter one row group (or two) per cluster
        wanted = {"table": "requests", "item": "new_received", "applicant": "total"}
        stats = {column: _row_group_spans(path, column) for column in wanted}
        admitted_groups = sum(all(stats[c][i][0] <= v <= stats[c][i][1] for c, v in wanted.items())
                              for i in range(len(spans)))
        n_clusters = int(clusters(_agency_ranks(table.column("agency")), 1000).max()) + 1
        assert 1 <= admitted_groups <= 2 * n_clusters < len(spans)
    import pandas as pd

    new = govdisclose.open_corpus(out)
    pd.testing.assert_frame_equal(new.metrics(agency=agency), govdisclose.open_corpus(before).metrics(agency=agency),
                                  check_exact=True)


def test_clusters_pack_whole_agencies_in_order():
    import numpy as np
    import pyarrow as pa

    ranks = _agency_ranks(pa.chunked_array([pa.array(["乙", "甲", None, "乙", "丙"]).dictionary_encode()]))
    assert ranks.tolist() == [1, 2, 3, 1, 0]  # (code point order as Arrow sorts: 丙 U+4E19, 乙 U+4E59, 甲 U+7532; missing last)
    assert clusters(np.array([0, 0, 0, 1, 2, 2]), 2).tolist() == [0, 0, 0, 1, 2, 2]


def test_clustered_batches_rewritten_and_compacted_again(synth_folder, tmp_path, monkeypatch):
    # the clustered layout through the builder's life: a changed and a vanished file rewrite the
    # compacted batch; compacting again merges it with the new batch (the spill files read
    # compacted files too); every row once, and each year's files still a range of agencies each
    monkeypatch.setattr(compact_module, "FILE_ROWS", 3000)
    monkeypatch.setattr(compact_module, "CLUSTER_ROWS", {"metrics": 1000, "findings": 1000})
    monkeypatch.setattr(compact_module, "ROW_GROUP_ROWS", 256)
    folder = tmp_path / "reports"
    shutil.copytree(synth_folder, folder)
    out = tmp_path / "dataset"
    govdisclose.build_corpus(folder, out, jobs=1, batch_size=16, compact=True)
    texts = sorted(folder.glob("SYNTHETIC_*.txt"))
    texts[2].write_bytes(texts[3].read_bytes())
    sorted(folder.glob("SYNTHETIC_*.html"))[1].unlink()
    after = govdisclose.build_corpus(folder, out, jobs=1, batch_size=16)
    assert (after.parsed, after.rewritten) == (1, 1)
    assert (compact_corpus(out).merged, len(Store(out).live())) == (2, 1)
    clean = tmp_path / "clean"
    govdisclose.build_corpus(folder, clean, jobs=1, batch_size=16, compact=False)
    hooks.assert_same_contents(out, clean, ignore=("batch",))
    for year in (2019, 2023):
        paths = sorted((out / "metrics" / f"year={year}").glob("*.parquet"))
        ranges = [(min(lo for lo, _, _ in spans), max(hi for _, hi, _ in spans))
                  for spans in (_row_group_spans(p, "agency") for p in paths)]
        assert len(ranges) >= 3 and all(a[1] < b[0] for a, b in zip(ranges, ranges[1:])), ranges
