"""A table cut by a page break, read by OCR: no row may be lost, and a row not found is a finding."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import govdisclose
from govdisclose.mapping.collect import MappedCell
from govdisclose.mapping.ocr_confirm import _missing_rows
from govdisclose.readers.ocr.document import OcrDocument

sys.path.insert(0, str(Path(__file__).parent))
from scans import scanned_pdf  # noqa: E402

from conftest import CORPUS as SHARED  # noqa: E402


def test_a_row_not_found_while_its_table_was_read_is_a_warning():
    doc = OcrDocument(source="scan.pdf", format="pdf")
    cells = [MappedCell("requests", "unable.not_held", a, "0", None, "number", Decimal(0)) for a in ("natural_person", "total")]
    cells += [MappedCell("requests", "unable.needs_creation", a, "", None, "unreadable", None, "not found in the document")
              for a in ("natural_person", "total")]
    cells += [MappedCell("review", "corrected", None, "", None, "unreadable", None, "not found in the document")]
    found = _missing_rows(doc, cells)
    # the lost row of a table that was read is reported; a table of which nothing was read is not a row lost
    assert [(f.rule, f.table, f.item) for f in found] == [("ocr.row_missing", "requests", "unable.needs_creation")]
    assert "2 cells unreadable" in found[0].message


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "hongze_2023.pdf").exists(), reason="the shared corpus is absent")
def test_the_last_row_of_a_page_without_a_ruling_under_it_is_read(tmp_path):
    # 洪泽 2023: table 3 runs off page 3 with no ruling under its last row (2.没有现成信息需要另行制作)
    # and continues on page 4 with no ruling over its first cells
    scan = scanned_pdf(SHARED / "hongze_2023.pdf", tmp_path / "hongze_fax.pdf", "fax_150dpi", seed=1, pages=[3, 4])
    report = govdisclose.read_report(scan)
    truth = pd.read_csv(SHARED / "truth" / "hongze_2023.csv", dtype=str, keep_default_na=False)
    row = truth[(truth["table"] == "requests") & (truth["item"] == "unable.needs_creation")]
    assert len(row) == 7
    got = report.metrics.set_index(["table", "item", "applicant"])
    for t in row.itertuples():
        cell = got.loc[("requests", "unable.needs_creation", t.applicant)]
        assert (cell["state"], cell["value"]) == ("number", float(t.value)), t.applicant
    assert not any(f.rule == "ocr.row_missing" for f in report._mapper_findings)
