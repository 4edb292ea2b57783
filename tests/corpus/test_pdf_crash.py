"""A crash inside PDFium while one PDF is read costs only that file: ``load_reports`` reads the
others exactly and lists the crashed one in ``attrs["failures"]`` (issue 11)."""

from __future__ import annotations

import ctypes
import faulthandler
import multiprocessing
import os

import pandas as pd
import pypdfium2.raw as raw
import pytest

from govdisclose.corpus import parallel
from govdisclose.corpus.loader import load_reports
from govdisclose.readers.pdf import pdfium

from conftest import corpus_file

NAMES = ("huaian_2024", "hongze_2023", "hongze_2024")


def _crash_inside_pdfium() -> None:
    """A text page handle that points nowhere: PDFium reads from it and the process dies (SIGSEGV)."""
    faulthandler.disable()  # the worker's own traceback dump would only clutter the test output
    raw.FPDFText_CountChars(ctypes.cast(8, raw.FPDF_TEXTPAGE))
    os._exit(139)  # pragma: no cover - PDFium has faulted before this


def _backend_failing_on(monkeypatch: pytest.MonkeyPatch, name: str, fail) -> None:
    real_page = pdfium.PdfFile.page

    def page(self: pdfium.PdfFile, index: int, max_chars: int = 1_000_000) -> pdfium.PageContent:
        if self.path.name == name:
            fail()
        return real_page(self, index, max_chars)

    monkeypatch.setattr(pdfium.PdfFile, "page", page)


def _clean(paths: list) -> pd.DataFrame:
    """``paths`` read without any crash."""
    return load_reports(paths, jobs=1, progress=False, cache=False)


@pytest.mark.slow
def test_a_native_crash_inside_pdfium_costs_only_its_own_file(monkeypatch):
    paths = [corpus_file(f"{n}.pdf") for n in NAMES]
    bad = paths[1]
    expected = _clean([p for p in paths if p != bad])
    _backend_failing_on(monkeypatch, bad.name, _crash_inside_pdfium)
    # workers forked rather than spawned, so that they inherit the patched backend
    monkeypatch.setattr(parallel, "_context", lambda: multiprocessing.get_context("fork"))
    metrics = load_reports(paths, jobs=2, progress=False, cache=False)
    failures = metrics.attrs["failures"]
    assert failures["source"].tolist() == [str(bad)] and failures["error"].tolist() == ["WorkerCrash"]
    assert "the worker process reading this file died" in failures["message"].iloc[0]
    assert set(metrics["source"]) == {str(paths[0]), str(paths[2])}
    assert len(expected) > 300  # two reports' rows, read exactly as without the crash
    pd.testing.assert_frame_equal(metrics, expected)


def test_an_error_raised_inside_pdfium_is_that_files_failure(monkeypatch):
    """An error that is not Python's own (ctypes reports an access violation as ``OSError`` on
    Windows) is a CorruptDocumentError naming the file and page; the other files are read."""
    paths = [corpus_file(f"{n}.pdf") for n in NAMES]
    bad = paths[2]
    expected = _clean([p for p in paths if p != bad])

    def fail() -> None:
        raise OSError("exception: access violation reading 0x0000000000000008")

    _backend_failing_on(monkeypatch, bad.name, fail)
    metrics = load_reports(paths, jobs=1, progress=False, cache=False)
    failures = metrics.attrs["failures"]
    assert failures["source"].tolist() == [str(bad)] and failures["error"].tolist() == ["CorruptDocumentError"]
    assert failures["message"].iloc[0].startswith(f"{bad}: page 1 cannot be read")
    assert len(expected) > 300  # two reports' rows, read exactly as without the crash
    pd.testing.assert_frame_equal(metrics, expected)
