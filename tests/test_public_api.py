"""The public API of ``govdisclose`` is pinned: the names in ``__all__``, that each resolves and
is listed by ``dir()``, and that each public function and class is presented as ``govdisclose.X``."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

import govdisclose

from conftest import REPO

#: Today's public names, in order. Changing this list is an API change: say so in the changelog.
PINNED = [
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
PUBLIC = [name for name in PINNED if name != "__version__"]


def test_all_is_the_pinned_list():
    assert govdisclose.__all__ == PINNED


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_resolves_and_is_presented_as_govdisclose(name):
    value = getattr(govdisclose, name)
    assert callable(value)
    assert value.__module__ == "govdisclose", f"{name} is defined in {value.__module__}"
    assert f"govdisclose.{value.__qualname__}" == f"govdisclose.{name}"


def test_dir_lists_every_public_name():
    assert set(PINNED) <= set(dir(govdisclose))


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'no_such_thing'"):
        govdisclose.no_such_thing  # noqa: B018


def test_names_resolve_in_a_fresh_interpreter_without_loading_everything_first():
    # each public name on its own, first thing after import: the lazy table points at the right module
    code = (
        "import govdisclose, sys\n"
        "bad = []\n"
        "for name in govdisclose.__all__[1:]:\n"
        "    value = getattr(govdisclose, name)\n"
        "    if value.__module__ != 'govdisclose': bad.append(name)\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("error", [
    govdisclose.EmptyDocumentError("empty.txt", "the file is empty"),
    govdisclose.CorruptDocumentError("cut.pdf", "is truncated"),
    govdisclose.GovDiscloseError("something is wrong"),
    govdisclose.CatalogueError("unknown item 'x'"),
    govdisclose.UnknownAgencyError("平潭", ["平潭综合实验区"]),
    govdisclose.RenderError("1 of 1 notebook run(s) failed", {"a/b": "ValueError: boom"}),
    govdisclose.DatasetError("out/: not a govdisclose corpus dataset"),
], ids=lambda e: type(e).__name__)
def test_exceptions_pickle_round_trip(error):
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert str(again) == str(error)
    assert vars(again) == vars(error)
    assert isinstance(again, govdisclose.GovDiscloseError)


def test_functions_and_classes_pickle_by_their_public_name():
    assert pickle.loads(pickle.dumps(govdisclose.load_reports)) is govdisclose.load_reports
    assert pickle.loads(pickle.dumps(govdisclose.Report)) is govdisclose.Report
    assert b"govdisclose" in pickle.dumps(govdisclose.Report) and b"govdisclose.report" not in pickle.dumps(govdisclose.Report)


def test_tracebacks_name_the_public_exception():
    done = subprocess.run([sys.executable, "-c", "import govdisclose; govdisclose.read_report('no_such_file.txt')"],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("govdisclose.PathNotFoundError: no_such_file.txt")
