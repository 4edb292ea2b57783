"""A table cut by a page break, read by OCR: no row may be lost, and a row not found is a finding."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from govdisclose.mapping.collect import MappedCell
from govdisclose.mapping.ocr_rows import missing_rows
from govdisclose.readers.ocr import DPI
from govdisclose.readers.ocr.build import _normalise
from govdisclose.readers.ocr.document import OcrDocument
from govdisclose.readers.ocr.tables import ruled_tables
from govdisclose.readers.pdf.pdfium import PdfFile

sys.path.insert(0, str(Path(__file__).parent))
from scans import scanned_pdf  # noqa: E402
from test_ocr import read_scan, score  # noqa: E402

from conftest import CORPUS as SHARED  # noqa: E402


def test_a_row_not_found_while_its_table_was_read_is_a_warning():
    doc = OcrDocument(source="scan.pdf", format="pdf")
    cells = [MappedCell("requests", "unable.not_held", a, "0", None, "number", Decimal(0)) for a in ("natural_person", "total")]
    cells += [MappedCell("requests", "unable.needs_creation", a, "", None, "unreadable", None, "not found in the document")
              for a in ("natural_person", "total")]
    cells += [MappedCell("review", "corrected", None, "", None, "unreadable", None, "not found in the document")]
    found = missing_rows(doc.source, cells)
    # the lost row of a table that was read is reported; a table of which nothing was read is not a row lost
    assert [(f.rule, f.table, f.item) for f in found] == [("ocr.row_missing", "requests", "unable.needs_creation")]
    assert found[0].message.startswith("requests: 1 row was not found") and "2 cells unreadable" in found[0].message


def test_the_rows_a_partial_scan_left_out_are_one_warning_per_table_listing_them():
    doc = OcrDocument(source="scan.pdf", format="pdf")
    cells = [MappedCell("requests", "unable.not_held", "total", "0", None, "number", Decimal(0))]
    cells += [MappedCell("requests", item, a, "", None, "unreadable", None, "not found in the document")
              for item in ("ignored.complaint", "ignored.repeat", "other.overdue") for a in ("natural_person", "total")]
    cells += [MappedCell("review", "corrected", None, "4", None, "number", Decimal(4)),
              MappedCell("review", "upheld", None, "", None, "unreadable", None, "not found in the document")]
    found = missing_rows(doc.source, cells)
    assert [(f.rule, f.table, f.item) for f in found] == [("ocr.row_missing", "requests", None), ("ocr.row_missing", "review", "upheld")]
    assert found[0].message == ("requests: 3 rows were not found in the OCR'd tables (6 cells unreadable) although the rest of "
                                "the table was read: ignored.complaint, ignored.repeat, other.overdue")


def _slots(table) -> dict[int, list[tuple[int, int, int]]]:
    """A ruled table's cells per row: (col, rowspan, colspan)."""
    out: dict[int, list[tuple[int, int, int]]] = {}
    for cell in table.cells:
        out.setdefault(cell.row, []).append((cell.col, cell.rowspan, cell.colspan))
    return out


def test_column_rulings_ending_unevenly_at_the_pages_foot_still_close_the_last_rows_cells():
    # a table cut by the page's end: no ruling under its last row, and its column rulings (levelled
    # from a turned scan) end one or two pixels apart; the paper under the shorter ones joined the
    # last row's cells to each other and to the outside, and the row was lost
    page = np.full((400, 600, 3), 255, np.uint8)
    for y in (50, 120, 190, 260):
        page[y:y + 2, 40:560] = 0
    for x, end in ((40, 331), (200, 329), (300, 330), (400, 329), (558, 329)):
        page[50:end, x:x + 2] = 0
    (table,) = ruled_tables(page)
    rows = _slots(table)
    assert len(rows) == 4 and rows[3] == [(0, 1, 1), (1, 1, 1), (2, 1, 1), (3, 1, 1)]


@pytest.mark.skipif(not (SHARED / "hongze_2023.pdf").exists(), reason="the shared corpus is absent")
def test_the_last_two_rows_of_a_faxed_page_cut_by_the_page_break_keep_their_cells(tmp_path):
    # 洪泽 2023 page 3 as a fax (seed 11), rendered from the scanned PDF as the reader renders it: the
    # table runs off the page under （四）无法提供 1./2.; before, those two rows read as one merged
    # cell (rowspan 2, colspan 3) and blank values, and 14 cells were lost (ocr.row_missing)
    scan = scanned_pdf(SHARED / "hongze_2023.pdf", tmp_path / "fax.pdf", "fax_150dpi", seed=11, pages=[3])
    with PdfFile(scan, scan.read_bytes()) as pdf:
        image, _ = _normalise(pdf.render(0, DPI / 72))
    table = ruled_tables(image)[-1]
    rows = _slots(table)
    last = max(rows)
    # （四） spans the two rows; each row has its label and seven values, one cell each
    assert rows[last - 1] == [(1, 2, 1)] + [(c, 1, 1) for c in range(2, 10)]
    assert rows[last] == [(c, 1, 1) for c in range(2, 10)]


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "hongze_2023.pdf").exists(), reason="the shared corpus is absent")
def test_the_last_row_of_a_page_without_a_ruling_under_it_is_read(tmp_path):
    # 洪泽 2023: table 3 runs off page 3 with no ruling under its last row (2.没有现成信息需要另行制作)
    # and continues on page 4 with no ruling over its first cells
    report, truth = read_scan(SHARED / "hongze_2023.pdf", tmp_path / "hongze_fax.pdf", "fax_150dpi", seed=1, pages=[3, 4])
    row = truth[(truth["table"] == "requests") & (truth["item"] == "unable.needs_creation")]
    assert len(row) == 7
    got = report.metrics.set_index(["table", "item", "applicant"])
    for t in row.itertuples():
        cell = got.loc[("requests", "unable.needs_creation", t.applicant)]
        assert (cell["state"], cell["value"]) == ("number", float(t.value)), t.applicant
    # the rows of pages not scanned are reported missing; this one is not
    missing = [f for f in report._mapper_findings if f.rule == "ocr.row_missing"]
    listed = {item for f in missing for item in f.message.rsplit(": ", 1)[1].split(", ")}
    assert missing and len({f.table for f in missing}) == len(missing)  # one warning per table, listing its rows
    assert "unable.needs_creation" not in listed and "unable.not_held" not in listed


@pytest.fixture(scope="module")
def pingtan_pdf(tmp_path_factory):
    """平潭 2024 (a web page) printed to PDF by LibreOffice, as the previous OCR measures were made."""
    source = SHARED / "pingtan_2024.html"
    if not source.exists() or shutil.which("soffice") is None:
        pytest.skip("the shared corpus or LibreOffice (soffice) is absent")
    folder = tmp_path_factory.mktemp("pingtan")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(folder / 'lo').as_uri()}", "--convert-to", "pdf",
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    return folder / "pingtan_2024.pdf"


@pytest.mark.slow
def test_a_label_cut_by_the_page_break_into_a_ruled_row_of_its_own_is_joined(pingtan_pdf, tmp_path):
    # LibreOffice prints 行政事业性收 | 18651.06 at the end of page 3 and 费 in a ruled row of its own
    # (other columns) at the top of page 4: the label is joined, the fee amount read
    report, truth = read_scan(pingtan_pdf, tmp_path / "pingtan_office.pdf", "office_300dpi", seed=1, pages=[3, 4])
    fee = truth.set_index(["table", "item"]).loc[("active_disclosure", "fees.amount"), "value"]
    cell = report.metrics.set_index(["table", "item"]).loc[("active_disclosure", "fees.amount")]
    assert (cell["state"], cell["value"]) == ("number", float(fee))
    assert not any(f.rule == "ocr.row_missing" and f.table == "active_disclosure" for f in report._mapper_findings)


@pytest.mark.slow
def test_narrow_zeros_against_a_column_ruling_are_read_at_fax_quality(pingtan_pdf, tmp_path):
    # 平潭's narrow columns print each 0 against the left ruling: read with its first stroke (not ')')
    report, truth = read_scan(pingtan_pdf, tmp_path / "pingtan_fax.pdf", "fax_150dpi", seed=1, pages=[4, 5])
    result = score(report.metrics, truth[truth["table"] == "requests"])
    assert result["wrong"] == []
    assert len(result["exact"]) >= 0.98 * (len(result["exact"]) + len(result["flagged"]))
    assert len(result["exact"]) >= 150  # the whole report: 200 of 200 exact (before: the zeros read ')', 20 of 199 and the fee row lost)
