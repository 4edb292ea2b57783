"""Readers for the corpus-dataset tests, importable by worker processes (pytest puts this folder
on ``sys.path``, and spawned workers inherit it): a reader that kills its process on a marked file,
and one that interrupts the build after some reports."""

from __future__ import annotations

import os
import shutil

import pandas as pd

import govdisclose
from govdisclose.corpus.dataset.schema import TABLES

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
        pd.testing.assert_frame_equal(x.drop(columns=drop), y.drop(columns=drop), obj=table)
