"""OCR of scans and photos made here from reports with known truth, and bad images.

The scans are built in each test (deterministic seeds) from SYNTHETIC reports rendered to PDF by
LibreOffice (their truth is the generator's), and from the shared corpus PDFs when present.
Measure: no cell may be wrong; what is not read with confidence is ``unreadable``.
"""

from __future__ import annotations

import shutil
import struct
import sys
import time
import tracemalloc
import zlib
from decimal import Decimal
from pathlib import Path

import cv2  # (the [ocr] extra is in [dev]: a broken install fails here, never skips)
import numpy as np
import pandas as pd
import pytest
import rapidocr_onnxruntime  # noqa: F401

import govdisclose
from govdisclose.exceptions import DocumentTooLargeError, EmptyDocumentError, GovDiscloseError
from govdisclose.readers import SUFFIXES, sniff_format

sys.path.insert(0, str(Path(__file__).parent))
from scans import photo_image, scanned_pdf  # noqa: E402  (tests/readers/ocr/scans.py)

from conftest import CORPUS as SHARED  # noqa: E402

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


def read_scan(source: Path, out: Path, variant: str, seed: int, pages: list[int]) -> tuple[govdisclose.Report, pd.DataFrame]:
    """A scan (``scans.scanned_pdf``) of ``pages`` of a shared corpus PDF, read; and the report's
    truth (``raw`` = the printed value), from the truth file named like ``source``."""
    report = govdisclose.read_report(scanned_pdf(source, out, variant, seed=seed, pages=pages))
    truth = pd.read_csv(SHARED / "truth" / f"{source.stem}.csv", dtype=str, keep_default_na=False)
    return report, truth.assign(raw=lambda t: t["value"])


def score(metrics: pd.DataFrame, truth: pd.DataFrame) -> dict[str, list]:
    """exact / flagged / wrong per truth cell (truth: table, item, applicant, raw)."""
    got = {(r.table, r.item, None if pd.isna(r.applicant) else r.applicant): r for r in metrics.itertuples()}
    out: dict[str, list] = {"exact": [], "flagged": [], "wrong": [], "absent": []}
    for t in truth.itertuples():
        key = (t.table, t.item, t.applicant if isinstance(t.applicant, str) and t.applicant else None)
        cell = got.get(key)
        if cell is None or cell.note == "not found in the document":  # not on the pages read, or not in the frame
            out["absent"].append(key)  # (a frame of another template than the truth's lacks the cell)
            continue
        raw = str(t.raw if hasattr(t, "raw") else t.value).strip()
        if cell.state == "unreadable":
            out["flagged"].append(key)
        elif raw == "" and cell.state == "blank":
            out["exact"].append(key)
        elif cell.state == "number" and raw and Decimal(str(float(t.value))) == Decimal(str(float(cell.value))):
            out["exact"].append(key)
        else:
            out["wrong"].append((key, raw, cell.state, cell.raw))
    return out


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: no synthetic PDF to scan")
    from govdisclose.synth import generate_corpus

    folder = tmp_path_factory.mktemp("synth")
    corpus = generate_corpus(folder / "pdf", 2, formats=("pdf",), seed=3, errors=1)
    return folder, corpus


def test_image_suffixes_and_magic_bytes_go_to_ocr():
    assert {SUFFIXES[s] for s in (".png", ".jpg", ".jpeg", ".tif", ".tiff")} == {"image"}
    assert SUFFIXES[".doc"] == SUFFIXES[".wps"] == "legacy"
    assert sniff_format(b"\x89PNG\r\n\x1a\n....", "scan.dat") == "image"
    assert sniff_format(b"\xff\xd8\xff\xe0....", "photo") == "image"
    assert sniff_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old.wps") == "legacy"


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` × ``height`` (and holds almost no data)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def test_a_huge_image_is_refused_before_it_is_decoded(tmp_path):
    path = tmp_path / "huge.png"
    path.write_bytes(_png_header(20_000, 20_000))  # 1.2 GB of pixels if decoded
    tracemalloc.start()
    with pytest.raises(DocumentTooLargeError, match="too large to decode"):  # Pillow's decompression-bomb limit
        govdisclose.read_report(path)
    path.write_bytes(_png_header(9_000, 8_000))  # under Pillow's limit, over ours
    with pytest.raises(DocumentTooLargeError, match="9,000 × 8,000 pixels"):
        govdisclose.read_report(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50 * 2**20


def test_a_broken_image_is_a_corrupt_document(tmp_path):
    path = tmp_path / "cut.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 100)
    with pytest.raises(govdisclose.exceptions.CorruptDocumentError, match="cannot be decoded"):
        govdisclose.read_report(path)


@pytest.mark.slow
def test_a_blank_page_and_a_photo_of_something_else_give_errors_in_bounded_time(tmp_path):
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((2339, 1654, 3), 250, np.uint8))
    with pytest.raises(EmptyDocumentError, match="OCR found no text"):
        govdisclose.read_report(blank)
    rng = np.random.default_rng(5)
    other = np.clip(rng.normal(120, 40, (1200, 1600, 3)), 0, 255).astype(np.uint8)
    for _ in range(30):  # a photo of shapes, not of a document
        centre = (int(rng.integers(0, 1600)), int(rng.integers(0, 1200)))
        cv2.circle(other, centre, int(rng.integers(20, 200)), tuple(int(v) for v in rng.integers(0, 255, 3)), -1)
    path = tmp_path / "holiday.jpg"
    cv2.imwrite(str(path), other)
    started = time.monotonic()
    with pytest.raises(GovDiscloseError):
        govdisclose.read_report(path)
    assert time.monotonic() - started < 120  # bounded: not a wall-clock benchmark, a hang guard


@pytest.mark.slow
def test_a_scan_with_a_printed_error_is_read_as_printed_and_mixed_folders_load_in_parallel(synthetic, tmp_path):
    folder, corpus = synthetic
    sources = list(corpus.files["source"])
    wrong_one = corpus.files.loc[corpus.files["injected"] != "", "source"].iloc[0]
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    shutil.copy(govdisclose.sample_path("mfa_2023.txt"), mixed / "mfa_2023.txt")
    scan = scanned_pdf(Path(wrong_one), mixed / "scan.pdf", "office_300dpi", seed=7)
    metrics = govdisclose.load_reports(mixed, jobs=2, progress=False)
    assert sorted(Path(s).name for s in metrics["source"].unique()) == ["mfa_2023.txt", "scan.pdf"]
    assert metrics.attrs["failures"].empty
    mine = metrics[metrics["source"] == str(scan)]
    truth = corpus.truth()
    result = score(mine, truth[truth["source"] == wrong_one])
    assert result["wrong"] == []
    # LibreOffice cuts a row of table 3 across the page break here: what the arithmetic cannot then
    # confirm is flagged (measured 36 exact of 198, none wrong); tables 2 and 4 are read
    assert len(result["exact"]) >= 30
    injected = corpus.injected[corpus.injected["source"] == wrong_one]
    rule = injected["rule"].iloc[0]
    printed = {(r.table, r.item, r.applicant): r.printed for r in injected.itertuples()}
    read = {k: mine.set_index(["table", "item", "applicant"]).loc[k] for k in printed}
    if all(r.state == "number" for r in read.values()):  # read as printed (never "repaired") ...
        assert {k: r.raw for k, r in read.items()} == printed
        findings = govdisclose.validate(mine)  # ... and the validator reports the printed error
        assert rule in set(findings.loc[findings["severity"] == "error", "rule"])
    assert sources  # both reports were generated


@pytest.mark.slow
def test_a_phone_photo_of_a_page_reads_no_wrong_cell(synthetic, tmp_path):
    folder, corpus = synthetic
    source = corpus.files["source"].iloc[0]
    photo = photo_image(Path(source), tmp_path / "photo.jpg", page=1, seed=2)
    report = govdisclose.read_report(photo)
    assert any("perspective corrected" in n for n in report._notes)
    truth = corpus.truth()
    result = score(report.metrics, truth[truth["source"] == source])
    assert result["wrong"] == []
    assert len(result["exact"]) >= 15  # table 2 (20 cells; a sign read unsure is flagged) and the first rows of table 3
    assert len(result["absent"]) > 100  # the rest of the report is on the pages not photographed


@pytest.mark.slow
@needs_soffice
def test_a_doc_copy_reads_exactly_like_the_docx(tmp_path):
    import subprocess

    from govdisclose.synth import generate_corpus

    corpus = generate_corpus(tmp_path / "docx", 1, formats=("docx",), seed=4)
    docx = Path(corpus.files["source"].iloc[0])
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--convert-to", "doc",
                    "--outdir", str(tmp_path / "doc"), str(docx)], check=True, capture_output=True, timeout=180)
    doc = tmp_path / "doc" / docx.with_suffix(".doc").name
    before = doc.read_bytes()
    a, b = govdisclose.read_report(docx), govdisclose.read_report(doc)
    assert doc.read_bytes() == before  # the input is only read
    cols = ["table", "item", "applicant", "state", "value", "raw"]
    pd.testing.assert_frame_equal(a.metrics[cols], b.metrics[cols])
    assert (a.agency, a.year) == (b.agency, b.year)
    wps = tmp_path / "doc" / "copy.wps"
    shutil.copy(doc, wps)
    pd.testing.assert_frame_equal(govdisclose.read_report(wps).metrics[cols], a.metrics[cols])


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "huaian_2024.pdf").exists(), reason="the shared corpus is absent")
@pytest.mark.parametrize("variant,seed,share", [
    ("office_300dpi", 1, 0.98),  # measured 175 of 175 (the issue's target is 98 %)
    # 150 dpi, heavy noise, JPEG q60: faint 16-pixel digits that the engine reads right but seldom
    # surely; rows of unsure zeros are proved by their row total and column balance together
    ("fax_150dpi", 3, 0.95),
])
def test_a_scan_of_a_real_report_is_read_by_the_arithmetic(tmp_path, variant, seed, share):
    report, truth = read_scan(SHARED / "huaian_2024.pdf", tmp_path / f"huaian_{variant}.pdf", variant, seed=seed, pages=[4, 5])
    truth = truth[truth["table"] == "requests"]
    result = score(report.metrics, truth)
    assert result["wrong"] == []
    assert len(result["exact"]) >= share * len(truth)
