"""The engines: a pool of worker processes and a Dask cluster write the same dataset as a build in
this process, and a file that kills its worker ends in ``failures``."""

# ruff: noqa: F811
from __future__ import annotations

import shutil

import pytest

import govdisclose

import dataset_hooks as hooks
from dataset_hooks import clean_build, synth_folder  # noqa: F401  (fixtures; the tests name them as arguments: F811 off below)


def _files(dataset, tables=("metrics", "findings", "sections", "failures")):
    """The data files of some tables with their bytes (``reports`` holds measured times)."""
    return {p.relative_to(dataset).as_posix(): p.read_bytes()
            for t in tables for p in sorted((dataset / t).rglob("*.parquet"))}


@pytest.fixture(scope="module")
def cluster():
    import dask
    import distributed  # the [dask] extra is in [dev]: a broken install fails here, never skips
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=":0") as local, distributed.Client(local) as client:
            yield client


@pytest.mark.slow
def test_a_two_worker_pool_writes_the_same_dataset(synth_folder, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in sorted(synth_folder.glob("SYNTHETIC_*"))[:40]:  # the four formats in turn
        shutil.copy(path, folder / path.name)
    here, pool = tmp_path / "here", tmp_path / "pool"
    govdisclose.build_corpus(folder, here, jobs=1, batch_size=8)
    result = govdisclose.build_corpus(folder, pool, jobs=2, batch_size=8)
    assert (result.engine, result.workers, result.parsed, result.batches) == ("local", 2, 40, 5)
    hooks.assert_same_contents(pool, here)
    assert _files(pool) == _files(here)


@pytest.mark.slow
def test_a_two_worker_local_cluster_writes_the_same_dataset(synth_folder, clean_build, tmp_path, cluster):
    out = tmp_path / "dask"
    result = govdisclose.build_corpus(synth_folder, out, client=cluster, batch_size=32)
    assert (result.engine, result.workers, result.parsed) == ("dask", 2, clean_build[1].parsed)
    assert result.compacted == clean_build[1].compacted == 8  # the files compared are the compacted ones
    hooks.assert_same_contents(out, clean_build[0])
    assert _files(out) == _files(clean_build[0])
    # and a second run on the cluster reads nothing
    again = govdisclose.build_corpus(synth_folder, out, client=cluster, batch_size=32)
    assert (again.parsed, again.batches) == (0, 0)


def _with_a_crashing_file(synth_folder, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    texts = sorted(synth_folder.glob("SYNTHETIC_*.txt"))[:9]
    for path in texts:
        shutil.copy(path, folder / path.name)
    crash = folder / f"{hooks.CRASH_MARK}_2023.txt"
    shutil.copy(texts[0], crash)
    return folder, crash


def _check_crash_recorded(folder, crash, out, result):
    corpus = govdisclose.open_corpus(out)
    failures = corpus.failures()
    assert failures[["source", "error"]].values.tolist() == [[str(crash), "WorkerCrash"]]
    assert "worker process reading this file died" in failures["message"].item()
    assert set(corpus.reports()["source"]) == {str(p) for p in folder.iterdir()} - {str(crash)}
    assert (result.crashed, result.failed) == (1, 1)


@pytest.mark.slow
def test_a_file_that_kills_its_worker_process_is_in_failures(synth_folder, tmp_path):
    folder, crash = _with_a_crashing_file(synth_folder, tmp_path)
    out = tmp_path / "dataset"
    result = govdisclose.build_corpus(folder, out, jobs=2, batch_size=4, reader=hooks.crashing_reader)
    _check_crash_recorded(folder, crash, out, result)
    # the crash is remembered for this content: the next build reads nothing
    assert govdisclose.build_corpus(folder, out, jobs=2, batch_size=4, reader=hooks.crashing_reader).parsed == 0
    # the same rows as a build that never crashed, the crashing file aside
    clean = tmp_path / "clean"
    crash.unlink()
    govdisclose.build_corpus(folder, clean, jobs=1, batch_size=4, reader=hooks.crashing_reader)
    assert len(govdisclose.open_corpus(clean).metrics()) == len(govdisclose.open_corpus(out).metrics())


@pytest.mark.slow
def test_a_file_that_kills_its_dask_worker_is_in_failures(synth_folder, tmp_path, cluster):
    folder, crash = _with_a_crashing_file(synth_folder, tmp_path)
    out = tmp_path / "dataset"
    result = govdisclose.build_corpus(folder, out, client=cluster, batch_size=4, reader=hooks.crashing_reader)
    _check_crash_recorded(folder, crash, out, result)


def test_an_unknown_engine_is_refused(tmp_path):
    with pytest.raises(govdisclose.DatasetError, match="engine must be one of local, dask"):
        govdisclose.build_corpus(govdisclose.sample_path("mfa_2023.txt"), tmp_path / "out", engine="spark")


@pytest.mark.slow
def test_a_scheduler_address_or_the_dask_engine_alone_give_the_same_rows(tmp_path, cluster, capsys):
    source = govdisclose.sample_path("mfa_2023.txt")
    here, remote, own = tmp_path / "here", tmp_path / "remote", tmp_path / "own"
    govdisclose.build_corpus(source, here, jobs=1)
    address = cluster.scheduler.address
    result = govdisclose.build_corpus(source, remote, scheduler=address)
    assert (result.engine, result.parsed) == ("dask", 1)
    result = govdisclose.build_corpus(source, own, engine="dask", jobs=1)  # a LocalCluster started and closed here
    assert (result.engine, result.workers, result.parsed) == ("dask", 1, 1)
    assert "dashboard: http://127.0.0.1:" in capsys.readouterr().err
    assert _files(remote) == _files(here) == _files(own)
