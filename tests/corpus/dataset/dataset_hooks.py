"""Fixtures, helpers and readers for the corpus-dataset tests, importable by worker processes (pytest puts this folder
on ``sys.path``, and spawned workers inherit it): a reader that kills its process on a marked file,
and one that interrupts the build after some reports."""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

import govdisclose
from govdisclose.corpus.dataset.schema import TABLES

#: Reports in the synthetic corpus (a few hundred, in the four formats written without LibreOffice).
N_REPORTS = 240
FORMATS = ("text", "markdown", "html", "docx")


_MEMO: dict[str, object] = {}  # the fixtures below are imported by several test modules: built once


@pytest.fixture(scope="session")
def synth_folder(tmp_path_factory):
    if "synth" in _MEMO:
        return _MEMO["synth"]
    from govdisclose.synth import generate_corpus

    folder = tmp_path_factory.mktemp("synth") / "reports"
    generate_corpus(folder, N_REPORTS, formats=FORMATS, seed=13, errors=6)
    (folder / "broken.txt").write_text("", encoding="utf-8")  # empty: a failure
    (folder / "old_format.xls").write_bytes(b"\xd0\xcf\x11\xe0 not read")  # a format not read: a failure
    (folder / "README.md").write_text("notes, not a report", encoding="utf-8")  # skipped
    _MEMO["synth"] = folder
    return folder


@pytest.fixture(scope="session")
def clean_build(synth_folder, tmp_path_factory):
    """The dataset built in one go, in this process."""
    if "clean" in _MEMO:
        return _MEMO["clean"]
    out = tmp_path_factory.mktemp("clean") / "dataset"
    result = govdisclose.build_corpus(synth_folder, out, jobs=1, batch_size=32)
    _MEMO["clean"] = out, result
    return out, result


#: A file whose name holds this kills the process reading it with :func:`crashing_reader`.
CRASH_MARK = "CRASHME"
_calls = {"n": 0, "stop_at": None}


def crashing_reader(path):
    """read_report, except that a file named ``*CRASHME*`` kills the process (as a segfault in a C library would)."""
    if CRASH_MARK in os.path.basename(str(path)):
        os._exit(70)
    return govdisclose.read_report(path)


def plain_reader(path):
    """read_report under another name (another parser id: a build with it re-reads everything)."""
    return govdisclose.read_report(path)


def interrupt_after(n: int | None) -> None:
    """Make :func:`interrupting_reader` raise KeyboardInterrupt on its (n+1)-th call in this process."""
    _calls["n"], _calls["stop_at"] = 0, n


def interrupting_reader(path):
    if _calls["stop_at"] is not None and _calls["n"] >= _calls["stop_at"]:
        raise KeyboardInterrupt("simulated interruption of the build")
    _calls["n"] += 1
    return govdisclose.read_report(path)


def copy_folder(src, dst):
    shutil.copytree(src, dst)
    return dst


def contents(dataset) -> dict[str, pd.DataFrame]:
    """Every table of a dataset, as read back (the measured read time left out: it is the one
    column that differs from run to run)."""
    corpus = govdisclose.open_corpus(dataset)
    out = {table: getattr(corpus, table)() for table in TABLES}
    out["reports"] = out["reports"].drop(columns="read_seconds")
    return out


def assert_same_contents(a, b, *, ignore=()):
    left, right = contents(a), contents(b)
    for table in TABLES:
        x, y = left[table], right[table]
        drop = [c for c in ignore if c in x.columns]
        x, y = x.drop(columns=drop), y.drop(columns=drop)
        if not x.equals(y):  # (equals is fast on categoricals; assert_frame_equal says where they differ)
            pd.testing.assert_frame_equal(x, y, obj=table)
        assert list(x.dtypes) == list(y.dtypes), table


def yearless_reader(path):
    """read_report, as if the report's year could not be read."""
    report = govdisclose.read_report(path)
    report.year = None
    return report
