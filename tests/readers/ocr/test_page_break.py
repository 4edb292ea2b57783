"""A table cut by a page break, read by OCR: no row may be lost, and a row not found is a finding."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from govdisclose.mapping.collect import MappedCell
from govdisclose.mapping.ocr_rows import missing_rows
from govdisclose.readers.ocr.document import OcrDocument

sys.path.insert(0, str(Path(__file__).parent))
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
