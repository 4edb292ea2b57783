"""load_reports at corpus scale: same frame whatever the number of workers, every failure listed,
errors="raise", a crashing worker, and the failure table."""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

import govdisclose
from govdisclose.corpus.failures import FailureTable
from govdisclose.corpus.loader import load_reports
from govdisclose.corpus.parallel import map_chunks, resolve_jobs
from govdisclose.corpus.paths import collect_paths
from govdisclose.exceptions import PathNotFoundError, ReportNotFoundError
from govdisclose.synth import generate_corpus
from govdisclose.tidy import apply_dtypes

from conftest import DATA


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """32 SYNTHETIC reports in four formats, two real ones, and five files that cannot be read."""
    folder = tmp_path_factory.mktemp("mixed")
    corpus = generate_corpus(folder / "synthetic", 32, formats=("text", "markdown", "html", "docx"), seed=11)
    shutil.copy(DATA / "mfa_2023.txt", folder / "mfa_2023.txt")
    shutil.copy(DATA / "pingtan_2024.html", folder / "pingtan_2024.html")
    (folder / "bad").mkdir()
    (folder / "bad" / "empty.txt").write_bytes(b"")
    (folder / "bad" / "notes.md").write_text("# 会议纪要\n\n这不是年报。\n", encoding="utf-8")
    (folder / "bad" / "scan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntruncated")
    (folder / "bad" / "report.docx").write_bytes(b"PK\x03\x04 this zip is cut short")
    (folder / "bad" / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    return folder, corpus


@pytest.mark.slow
def test_jobs_1_and_2_give_the_same_frame_and_failures(mixed):
    folder, corpus = mixed
    one = load_reports(folder, jobs=1, progress=False, cache=False)
    two = load_reports(folder, jobs=2, progress=False, cache=False)
    assert two.attrs["jobs"] == 2
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(one.attrs["failures"], two.attrs["failures"])
    # the 32 synthetic and 2 real reports, in path order, every cell of every report
    sources = list(dict.fromkeys(one["source"].astype(str)))
    assert sources == [str(p) for p in collect_paths(folder) if "/bad/" not in str(p)]
    assert len(sources) == 34
    assert len(one) == 200 * 2 + sum(198 if t == "2019" else 200 for t in corpus.files["template"])


def test_loaded_frame_equals_read_report_one_by_one(mixed):
    folder, _ = mixed
    paths = [folder / "mfa_2023.txt", folder / "pingtan_2024.html", *sorted((folder / "synthetic").glob("*.docx"))[:2]]
    loaded = load_reports(paths, jobs=1, progress=False)
    single = [govdisclose.read_report(p).metrics for p in paths]
    expected = apply_dtypes(pd.concat([m.astype({"agency": "string", "source": "string"}) for m in single], ignore_index=True))
    pd.testing.assert_frame_equal(loaded, expected)
    rows = loaded.query("item == 'new_received' and applicant == 'total'")
    total = dict(zip(rows["agency"].astype(str), rows["value"]))
    assert total["外交部"] == 18 and total["平潭综合实验区"] == 218


def test_every_unreadable_file_is_listed_with_its_reason(mixed):
    folder, _ = mixed
    metrics = load_reports(folder, jobs=1, progress=False)
    failures = metrics.attrs["failures"]
    assert list(failures.columns) == ["source", "error", "message"]
    by_name = {os.path.basename(s): e for s, e in zip(failures["source"], failures["error"])}
    assert by_name == {
        "empty.txt": "EmptyDocumentError",
        "notes.md": "ReportNotFoundError",
        "scan.pdf": "CorruptDocumentError",
        "report.docx": "CorruptDocumentError",
        "old.doc": "CorruptDocumentError",  # read through LibreOffice, which cannot convert an empty OLE file
    }
    assert all(m.startswith(s) for s, m in zip(failures["source"], failures["message"]))
    # every file considered is counted: 34 reports read, 5 failures (the damaged .doc among them) and the generator's manifest, skipped with the reason
    assert metrics.attrs["files"] == 34 + 5 + 1
    skipped = metrics.attrs["skipped"]
    assert [(os.path.basename(s), r) for s, r in skipped[["source", "reason"]].values] == [
        ("SYNTHETIC_MANIFEST.csv", "not a report format (.csv)")]
    assert len(metrics.attrs["duplicates"]) == 0 and metrics.attrs["agency_years"] == 34


@pytest.mark.slow
def test_errors_raise_stops_at_the_first_failure_in_path_order(tmp_path):
    shutil.copy(DATA / "mfa_2023.txt", tmp_path / "a.txt")
    (tmp_path / "b.txt").write_text("没有表格的文件", encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"")
    for jobs in (1, 2):
        with pytest.raises(ReportNotFoundError, match="b.txt: no disclosure-report table"):
            load_reports([tmp_path / n for n in ("a.txt", "b.txt", "c.txt")], errors="raise", jobs=jobs, progress=False)
    with pytest.raises(PathNotFoundError, match="missing.txt: no such file"):  # before anything is read
        load_reports([tmp_path / "a.txt", tmp_path / "missing.txt"], errors="raise")
    with pytest.raises(ValueError, match="errors must be"):
        load_reports(tmp_path, errors="ignore")


def test_failure_table_survives_pandas_operations(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    a = load_reports([DATA / "mfa_2023.txt", tmp_path / "empty.txt"], progress=False)
    b = load_reports([DATA / "shanghai_stcsm_2024.txt"], progress=False)
    assert isinstance(a.attrs["failures"], FailureTable)
    both = pd.concat([a, b], ignore_index=True)  # a DataFrame in attrs would make this raise
    assert len(both) == 400
    typed = a[["source", "item"]].astype({"source": str, "item": str})
    assert typed["source"].iloc[0].endswith("mfa_2023.txt")
    assert a.attrs["failures"]["error"].tolist() == ["EmptyDocumentError"]


def _crash_on_b(chunk: list[str]) -> list[str]:
    """A worker function that kills its process for item 'b' (as a segfault in a C library would)."""
    if "b" in chunk:
        os._exit(13)
    return [x.upper() for x in chunk]


@pytest.mark.slow
def test_a_worker_that_dies_costs_only_its_own_item():
    chunks = [["a", "b"], ["c"], ["d", "e"]]
    out = map_chunks(_crash_on_b, chunks, jobs=2, on_crash=lambda item: [f"crashed:{item}"])
    assert out == [["A", "crashed:b"], ["C"], ["D", "E"]]


def test_resolve_jobs():
    assert resolve_jobs(1, 1000) == 1
    assert resolve_jobs(4, 2) == 2
    assert resolve_jobs("auto", 3) == 1  # a worker costs more than three reports
    with pytest.raises(ValueError):
        resolve_jobs(-1, 10)
