"""govdisclose: China's government information disclosure annual reports as tidy pandas data.

>>> import govdisclose
>>> report = govdisclose.read_report(govdisclose.sample_path("mfa_2023.txt"))
>>> report.agency, report.year, report.template, len(report.metrics)
('外交部', 2023, '2021', 200)
>>> govdisclose.validate(report.metrics).query("severity == 'error'").empty
True
"""

from __future__ import annotations

from importlib import import_module
from types import FunctionType as _FunctionType
from typing import TYPE_CHECKING, Any

from govdisclose.exceptions import (
    CatalogueError,
    CJKFontNotFoundError,
    CorruptDocumentError,
    DatasetError,
    DocumentError,
    DocumentTooLargeError,
    DuplicateReportError,
    EmptyDocumentError,
    GovDiscloseError,
    MissingDependencyError,
    PathNotFoundError,
    RenderError,
    ReportNotFoundError,
    UnknownAgencyError,
    UnsupportedFormatError,
)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "catalogue",
    "read_report",
    "Report",
    "load_reports",
    "read_metrics",
    "write_metrics",
    "sample_path",
    "sample_dir",
    "validate",
    "to_wide",
    "load_sample",
    "indicators",
    "indicator_definitions",
    "compare_years",
    "compare_agencies",
    "render_notebooks",
    "report_view",
    "to_latex",
    "codebook",
    "agency_info",
    "identity",
    "peer_benchmarks",
    "anomalies",
    "build_corpus",
    "open_corpus",
    "Corpus",
    "GovDiscloseError",
    "DocumentError",
    "UnsupportedFormatError",
    "EmptyDocumentError",
    "CorruptDocumentError",
    "DocumentTooLargeError",
    "ReportNotFoundError",
    "PathNotFoundError",
    "DuplicateReportError",
    "MissingDependencyError",
    "CatalogueError",
    "UnknownAgencyError",
    "CJKFontNotFoundError",
    "RenderError",
    "DatasetError",
]

# Public names → the module that defines them; imported on first use so that
# ``import govdisclose`` stays fast (pandas, lxml, PDFium load only when needed).
_LAZY = {
    "catalogue": "template.catalogue",
    "read_report": "report",
    "Report": "report",
    "load_reports": "corpus.loader",
    "read_metrics": "corpus.metrics_io",
    "write_metrics": "corpus.metrics_io",
    "sample_path": "corpus.paths",
    "sample_dir": "corpus.paths",
    "validate": "checks.rules",
    "to_wide": "tidy",
    "load_sample": "corpus.sample",
    "indicators": "analysis.measures",
    "indicator_definitions": "analysis.measures",
    "compare_years": "analysis.compare",
    "compare_agencies": "analysis.compare",
    "render_notebooks": "viz.render",
    "report_view": "viz.report_view",
    "to_latex": "viz.paper.latex",
    "codebook": "viz.paper.codebook",
    "agency_info": "analysis.identity",
    "identity": "analysis.identity",
    "peer_benchmarks": "analysis.peers",
    "anomalies": "analysis.anomalies",
    "build_corpus": "corpus.dataset.builder",
    "open_corpus": "corpus.dataset.reader",
    "Corpus": "corpus.dataset.reader",
}


def _public(value: Any) -> Any:
    """Give a public function or class ``__module__ = "govdisclose"``, the name users import it
    by (shown in reprs, help and tracebacks; pickle finds it here too)."""
    if isinstance(value, (type, _FunctionType)) or (callable(value) and hasattr(value, "__wrapped__")):
        if getattr(value, "__module__", "").startswith(f"{__name__}."):
            value.__module__ = __name__
    return value


for _exception in (
    GovDiscloseError, DocumentError, UnsupportedFormatError, EmptyDocumentError, CorruptDocumentError,
    DocumentTooLargeError, ReportNotFoundError, PathNotFoundError, DuplicateReportError, MissingDependencyError, CatalogueError, UnknownAgencyError, CJKFontNotFoundError, RenderError,
    DatasetError,
):
    _public(_exception)
del _exception

if TYPE_CHECKING:  # pragma: no cover
    from govdisclose.analysis.anomalies import anomalies
    from govdisclose.analysis.compare import compare_agencies, compare_years
    from govdisclose.analysis.identity import agency_info, identity
    from govdisclose.analysis.measures import indicator_definitions, indicators
    from govdisclose.analysis.peers import peer_benchmarks
    from govdisclose.checks.rules import validate
    from govdisclose.corpus.dataset.builder import build_corpus
    from govdisclose.corpus.dataset.reader import Corpus, open_corpus
    from govdisclose.corpus.loader import load_reports
    from govdisclose.corpus.metrics_io import read_metrics, write_metrics
    from govdisclose.corpus.paths import sample_dir, sample_path
    from govdisclose.corpus.sample import load_sample
    from govdisclose.report import Report, read_report
    from govdisclose.template.catalogue import catalogue
    from govdisclose.tidy import to_wide
    from govdisclose.viz.paper.codebook import codebook
    from govdisclose.viz.paper.latex import to_latex
    from govdisclose.viz.render import render_notebooks
    from govdisclose.viz.report_view import report_view


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'govdisclose' has no attribute {name!r}")
    value = _public(getattr(import_module(f".{module}", __name__), name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
