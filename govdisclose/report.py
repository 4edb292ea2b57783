"""``read_report``: one file in, one :class:`Report` out (document → grid → catalogue → tidy).

>>> import govdisclose
>>> report = govdisclose.read_report(govdisclose.sample_path("mfa_2023.txt"))
>>> report.agency, report.year, report.template
('外交部', 2023, '2021')
>>> float(report.metrics.query("item == 'new_received' and applicant == 'total'")["value"].item())
18.0
>>> list(report.sections)
['一', '二', '三', '四', '五', '六']
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from govdisclose.exceptions import ReportNotFoundError
from govdisclose.mapping.mapper import MappedCell, map_document
from govdisclose.mapping.ocr_confirm import confirm_ocr
from govdisclose.mapping.ocr_prose import unproved_prose
from govdisclose.mapping.sections import find_title, sections_from_paragraphs
from govdisclose.readers import read_document
from govdisclose.readers.model import Paragraph
from govdisclose.readers.ocr.document import OcrDocument
from govdisclose.records import Finding, findings_frame
from govdisclose.template.printed import SHORT_WORDS
from govdisclose.tidy import add_cells, frame_from_cells

__all__ = ["Report", "read_report", "PARSER_VERSION"]

#: Bumped whenever parsing changes what comes out (the cache is keyed on it).
PARSER_VERSION = "1"


class Report:
    """One disclosure report as read: who, when, which template, and every cell in tidy form.

    ``metrics`` follows the tidy contract (spec §3); ``sections`` holds the six sections' prose
    keyed ``一``…``六``; ``findings`` lists what the reader noticed about the document itself
    (rows it did not recognise, rows placed by position, the mixed template …). The frames and
    the sections are built on first use, so reading many reports for one big frame stays cheap
    (see :meth:`add_to`).
    """

    def __init__(self, *, agency: str, year: int | None, template: str | None, title: str, source: str, format: str,
                 cells: list[MappedCell], paragraphs: list[Paragraph], mapper_findings: list[Finding], notes: list[str],
                 single_other_handling: bool = False) -> None:
        self.agency = agency
        self.year = year
        self.template = template
        self.title = title
        self.source = source
        self.format = format
        self.single_other_handling = single_other_handling
        self._cells = cells
        self._paragraphs = paragraphs
        self._mapper_findings = mapper_findings
        self._notes = notes

    @cached_property
    def metrics(self) -> pd.DataFrame:
        """The tidy metrics frame: one row per printed cell (spec §3)."""
        return frame_from_cells(self._cells, agency=self.agency, year=self.year, template=self.template, source=self.source)

    @property
    def paragraphs(self) -> list[Paragraph]:
        """The document's paragraphs in reading order, each with its :class:`~govdisclose.records.Location`."""
        return list(self._paragraphs)

    @cached_property
    def sections(self) -> dict[str, str]:
        """The six sections' prose keyed ``一``…``六``, page-break artefacts mended."""
        return sections_from_paragraphs(self._paragraphs)

    @cached_property
    def findings(self) -> pd.DataFrame:
        """What the reader noticed about the document (not the arithmetic: see ``validate``)."""
        return findings_frame(self.finding_rows())

    def finding_rows(self) -> list[dict[str, Any]]:
        """The rows of :attr:`findings` as dicts (:meth:`~govdisclose.records.Finding.row`), no frame built.

        For code gathering the findings of many reports into one frame (a corpus batch).

        >>> from govdisclose import sample_path
        >>> report = read_report(sample_path("pingtan_2019.html"))
        >>> [row["rule"] for row in report.finding_rows()] == list(report.findings["rule"])
        True
        """
        found = list(self._mapper_findings)
        found += [Finding("document.note", "info", n) for n in self._notes]
        if not self.title:
            found.append(Finding("document.title", "warning", "no report title found: agency and year may be missing"))
        return [f.row(agency=self.agency, year=self.year, source=self.source) for f in found]

    def add_to(self, columns: dict[str, list]) -> dict[str, list]:
        """Append this report's cells to column lists (:func:`govdisclose.tidy.new_columns`)."""
        return add_cells(columns, self._cells, agency=self.agency, year=self.year, template=self.template, source=self.source)

    def __repr__(self) -> str:
        states: dict[str, int] = {}
        for cell in self._cells:
            states[cell.state] = states.get(cell.state, 0) + 1
        summary = ", ".join(f"{k} {v}" for k, v in states.items())
        return f"<Report {self.agency} {self.year} template {self.template} ({self.format}): {len(self._cells)} cells: {summary}>"

    def wide(self) -> pd.DataFrame:
        """The report's numbers as one wide row (see :func:`govdisclose.tidy.to_wide`)."""
        from govdisclose.tidy import to_wide

        return to_wide(self.metrics)


def read_report(path: str | os.PathLike[str]) -> Report:
    """Read one report file (text, Markdown, HTML, PDF or DOCX) into a :class:`Report`.

    Raises a :class:`~govdisclose.exceptions.GovDiscloseError` subclass when the file cannot be
    read or holds no report table; cells that cannot be read with confidence come back with
    ``state == 'unreadable'`` and the reason in ``note``.
    """
    path = Path(path)
    doc = read_document(path)
    mapping = map_document(doc)
    if isinstance(doc, OcrDocument):  # no OCR digit is taken unless the arithmetic confirms it
        mapping = confirm_ocr(doc, unproved_prose(doc, mapping))  # (a value from a line of text: unreadable)
    if mapping.template is None or (mapping.template != "pre2019" and not any(c.state != "unreadable" for c in mapping.cells)):
        raise ReportNotFoundError(path, f"no disclosure-report table ({SHORT_WORDS['report_tables']}) was found")
    title, agency, year = find_title(doc)
    return Report(
        agency=agency,
        year=year,
        template=mapping.template,
        title=title,
        source=str(path),
        format=doc.format,
        cells=mapping.cells,
        paragraphs=doc.paragraphs,
        mapper_findings=mapping.findings,
        notes=doc.notes,
        single_other_handling=mapping.single_other_handling,
    )
