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
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .exceptions import ReportNotFoundError
from .layout import find_sections, find_title
from .mapper import map_document
from .readers import read_document
from .tidy import frame_from_cells

__all__ = ["Report", "read_report", "PARSER_VERSION"]

#: Bumped whenever parsing changes what comes out (the cache is keyed on it).
PARSER_VERSION = "1"

_FINDING_COLUMNS = ["agency", "year", "rule", "severity", "message", "source", "location"]


@dataclass
class Report:
    """One disclosure report as read: who, when, which template, and every cell in tidy form.

    ``metrics`` follows the tidy contract (spec §3); ``sections`` holds the six sections' prose
    keyed ``一``…``六``; ``findings`` lists what the reader noticed about the document itself
    (rows it did not recognise, rows placed by position, the mixed template …).
    """

    agency: str
    year: int | None
    template: str | None
    title: str
    source: str
    format: str
    metrics: pd.DataFrame
    sections: dict[str, str] = field(default_factory=dict)
    findings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_FINDING_COLUMNS))
    single_other_handling: bool = False

    def __repr__(self) -> str:
        states = self.metrics["state"].value_counts().to_dict() if len(self.metrics) else {}
        summary = ", ".join(f"{k} {v}" for k, v in states.items() if v)
        return f"<Report {self.agency} {self.year} template {self.template} ({self.format}): {len(self.metrics)} cells: {summary}>"

    def wide(self) -> pd.DataFrame:
        """The report's numbers as one wide row (see :func:`govdisclose.tidy.to_wide`)."""
        from .tidy import to_wide

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
    if mapping.template is None or not any(c.state != "unreadable" for c in mapping.cells):
        raise ReportNotFoundError(path, "no disclosure-report table (主动公开/收到和处理申请/行政复议) was found")
    title, agency, year = find_title(doc)
    source = str(path)
    metrics = frame_from_cells(mapping.cells, agency=agency, year=year, template=mapping.template, source=source)
    findings = pd.DataFrame(
        [{"agency": agency, "year": year, "source": source, **f} for f in mapping.findings]
        + [{"agency": agency, "year": year, "source": source, "rule": "document.note", "severity": "info", "message": n, "location": ""}
           for n in doc.notes],
        columns=_FINDING_COLUMNS,
    )
    return Report(
        agency=agency,
        year=year,
        template=mapping.template,
        title=title,
        source=source,
        format=doc.format,
        metrics=metrics,
        sections=find_sections(doc),
        findings=findings,
        single_other_handling=mapping.single_other_handling,
    )
