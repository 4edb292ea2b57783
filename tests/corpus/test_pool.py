"""The one worker pool (govdisclose.corpus.pool) under load_reports and build_corpus: a file that kills
its worker is recorded and every other file is read, through the same Pool.run in both; a chunk
whose worker dies once is only retried, one that always dies costs only its culprit."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

import govdisclose
from govdisclose.corpus import parallel, pool
from govdisclose.corpus.dataset.store import Store
from govdisclose.corpus.failures import crash_record
from govdisclose.corpus.loader import load_reports

_REAL_READ = govdisclose.read_report
CRASH_MARK = "CRASHME"


def _kill_on(path):
    """read_report, except that a file named ``*CRASHME*`` kills the process (as a segfault would)."""
    if CRASH_MARK in os.path.basename(str(path)):
        os._exit(71)
    return _REAL_READ(path)


@pytest.fixture
def folder(tmp_path):
    """Twelve text reports and, among them in path order, one that kills its worker."""
    from govdisclose.synth import generate_corpus

    generate_corpus(tmp_path / "reports", 12, formats=("text",), seed=5)
    (tmp_path / "reports" / "SYNTHETIC_MANIFEST.csv").unlink()
    texts = sorted((tmp_path / "reports").glob("*.txt"))
    crash = tmp_path / "reports" / f"SYNTHETIC_{CRASH_MARK}_2023.txt"
    shutil.copy(texts[0], crash)
    return tmp_path / "reports", crash


@pytest.fixture
def spy(monkeypatch):
    """Every Pool.run call (the pool object, after the run), with workers forked so that they
    inherit the patched reader of load_reports."""
    calls: list[pool.Pool] = []
    real = pool.Pool.run

    def run(self, func, chunks):
        calls.append(self)
        yield from real(self, func, chunks)

    monkeypatch.setattr(pool.Pool, "run", run)
    monkeypatch.setattr(parallel, "_context", lambda: multiprocessing.get_context("fork"))
    return calls


@pytest.mark.slow
def test_a_file_that_kills_its_worker_costs_only_itself_in_load_reports_and_build_corpus(folder, spy, monkeypatch,
                                                                                         tmp_path):
    reports, crash = folder
    others = sorted(p for p in reports.iterdir() if p != crash)
    expected = load_reports(others, jobs=1, progress=False, cache=False)
    assert not spy[0].deaths and expected["source"].nunique() == 12

    monkeypatch.setattr(govdisclose.report, "read_report", _kill_on)
    loaded = load_reports(reports, jobs=2, progress=False, cache=False)
    used = spy[-1]
    assert (used.workers, used.crashed) == (2, 1)
    assert used.deaths == 3  # the chunk, its one retry, then the culprit alone
    pd.testing.assert_frame_equal(loaded, expected)
    failures = loaded.attrs["failures"]
    record = crash_record(0, str(crash))
    assert failures.values.tolist() == [[record["source"], record["error"], record["message"]]]

    out = tmp_path / "dataset"
    built = govdisclose.build_corpus(reports, out, jobs=2, batch_size=4, reader=_kill_on)
    used = spy[-1]
    assert used is not spy[-2] and (used.workers, used.crashed, used.deaths) == (2, 1, 3)
    assert (built.crashed, built.failed, built.parsed) == (1, 1, 12)
    # the builder's CPU by step, and each worker's CPU in and outside the batches (bench_corpus prints them)
    assert set(built.cpu) == {"scan", "settle", "run", "commit", "compact", "index"}
    assert len(built.worker_cpu) >= 2 and all(w["total"] >= w["work"] > 0 for w in built.worker_cpu.values())
    corpus = govdisclose.open_corpus(out)
    assert corpus.failures()[["source", "error"]].values.tolist() == [[str(crash), "WorkerCrash"]]
    assert sorted(corpus.reports()["source"]) == [str(p) for p in others]
    assert len(corpus.metrics()) == len(expected)
    # the batch is committed as it was run: its marker names the crash, under the id of its files
    live = Store(out).live()
    assert [m[2] for marker in live.values() for m in marker["members"] if m[0] == str(crash)] == ["crashed"]
    assert all(all(f"part-{bid}" in rel for rel in marker["files"]) for bid, marker in live.items())
    # one Pool.run under each call: the two loads and the build
    assert len(spy) == 3


def _dies_once(chunk: list[int]) -> list[int]:
    """Kills its process the first time it sees 3 (a marker file remembers), then works."""
    marker = Path(os.environ["GOVDISCLOSE_TEST_MARKER"])
    if 3 in chunk and not marker.exists():
        marker.write_text("died once")
        os._exit(72)
    return [x * 10 for x in chunk]


def _dies_on_3(chunk: list[int]) -> list[int]:
    if 3 in chunk:
        os._exit(73)
    return [x * 10 for x in chunk]


@pytest.mark.slow
def test_a_chunk_whose_worker_dies_once_is_retried_and_nothing_is_lost(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVDISCLOSE_TEST_MARKER", str(tmp_path / "marker"))
    chunks = [[1, 2], [3, 4], [5], [6, 7], [8]]
    calls = []
    real = pool.Pool.run

    def run(self, func, chunks):
        calls.append(self)
        yield from real(self, func, chunks)

    monkeypatch.setattr(pool.Pool, "run", run)
    out = parallel.map_chunks(_dies_once, chunks, jobs=2, on_crash=lambda item: [-item])
    assert out == [[10, 20], [30, 40], [50], [60, 70], [80]]
    assert (calls[0].deaths, calls[0].crashed) == (1, 0)  # retried, never probed
    # a chunk that dies every time: its one culprit is recorded, its neighbour read
    out = parallel.map_chunks(_dies_on_3, chunks, jobs=2, on_crash=lambda item: [-item])
    assert out == [[10, 20], [-3, 40], [50], [60, 70], [80]]
    assert (calls[1].deaths, calls[1].crashed) == (3, 1)
    # the CPU of each worker process is counted for every run that returned: the four chunks that
    # never die, the probe of 4 alone, and [3, 4] run again without 3
    assert sum(s.chunks for s in calls[1].stats.values()) == 4 + 1 + 1


def test_one_worker_runs_here_in_order_and_counts_cpu():
    p: pool.Pool[list[int]] = pool.Pool(1)
    assert [(k, r) for k, _, r in p.run(sum, [[1, 2], [3], [4, 5]])] == [(0, 3), (1, 3), (2, 9)]
    assert list(p.stats) == [os.getpid()] and p.stats[os.getpid()].chunks == 3


class _Bar:
    """A progress bar that records its updates; once two files are counted it leaves a flag file."""

    def __init__(self, flag: Path | None = None) -> None:
        self.updates: list[int] = []
        self.flag = flag

    def update(self, n: int) -> None:
        self.updates.append(n)
        if self.flag is not None and sum(self.updates) == 2:
            self.flag.touch()

    def close(self) -> None:
        pass


def _each_file_then_wait(items):
    """Report each item done; after the second, wait (20 s at most) for the parent's bar to have
    counted two: without per-file progress it cannot have, and the bar only moves at the end."""
    import time

    flag = Path(os.environ["GOVDISCLOSE_TEST_MARKER"])
    for k, _ in enumerate(items):
        pool.file_done()
        if k == 1:
            deadline = time.monotonic() + 20
            while not flag.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
    return len(items)


def test_the_bar_moves_per_file_while_a_worker_is_still_in_its_chunk(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVDISCLOSE_TEST_MARKER", str(tmp_path / "seen"))
    bar = _Bar(tmp_path / "seen")
    p: pool.Pool[list[int]] = pool.Pool(2, bar=bar)
    assert [r for _, _, r in p.run(_each_file_then_wait, [[1, 2, 3]])] == [3]
    assert bar.updates == [1, 1, 1]  # the first two before the chunk ended, the third then or just before


def test_in_this_process_each_file_done_moves_the_bar_once_and_never_past_its_chunk():
    bar = _Bar()

    def reads(items):
        for _ in items:
            pool.file_done()
        pool.file_done()  # one call too many: not counted
        return sum(items)

    p: pool.Pool[list[int]] = pool.Pool(1, bar=bar)
    assert [r for _, _, r in p.run(reads, [[1, 2], [3]])] == [3, 3]
    assert bar.updates == [1, 1, 1]
    pool.file_done()  # outside a run: nothing to tell
    assert bar.updates == [1, 1, 1]


def test_load_reports_counts_each_file_on_the_bar(tmp_path, monkeypatch):
    from govdisclose.synth import generate_corpus

    generate_corpus(tmp_path / "r", 6, formats=("text",), seed=2)
    bars: list[_Bar] = []
    monkeypatch.setattr(pool, "progress_bar", lambda show, total, desc, unit="file": bars.append(_Bar()) or bars[-1])
    metrics = load_reports(tmp_path / "r", jobs=1, progress=True)
    assert metrics["source"].nunique() == 6 and bars[0].updates == [1] * 6


def test_build_corpus_counts_each_file_on_the_bar(tmp_path, monkeypatch):
    from govdisclose.corpus.dataset import engines
    from govdisclose.synth import generate_corpus

    generate_corpus(tmp_path / "r", 6, formats=("text",), seed=3)
    bars: list[_Bar] = []
    monkeypatch.setattr(engines, "progress_bar", lambda show, total: bars.append(_Bar()) or bars[-1])
    built = govdisclose.build_corpus(tmp_path / "r", tmp_path / "ds", jobs=1, batch_size=4, progress=True)
    assert built.parsed == 6 and bars[0].updates == [1] * 6  # per file, not 4 then 2
