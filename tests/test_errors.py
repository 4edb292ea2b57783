"""Bad input gets a clear govdisclose exception naming the file, and the file is left alone."""

from __future__ import annotations

import hashlib
import sys

import pytest

import govdisclose
from govdisclose.exceptions import (
    CorruptDocumentError,
    DocumentError,
    DocumentTooLargeError,
    EmptyDocumentError,
    ReportNotFoundError,
    UnsupportedFormatError,
)

from conftest import DATA


def test_exception_tree():
    for cls in (DocumentError, UnsupportedFormatError, EmptyDocumentError, CorruptDocumentError, DocumentTooLargeError,
                ReportNotFoundError, govdisclose.CatalogueError, govdisclose.UnknownAgencyError, govdisclose.RenderError):
        assert issubclass(cls, govdisclose.GovDiscloseError)
    assert issubclass(ReportNotFoundError, DocumentError)


def test_missing_file(tmp_path):
    with pytest.raises(govdisclose.PathNotFoundError, match="no such file"):
        govdisclose.read_report(tmp_path / "nope.txt")
    with pytest.raises(FileNotFoundError, match="nope.txt: no such file"):  # what a user catches for a missing file
        govdisclose.read_report(tmp_path / "nope.txt")


def test_missing_paths_raise_everywhere(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    calls = [
        lambda: govdisclose.load_reports(tmp_path / "no_such_folder"),
        lambda: govdisclose.load_reports([tmp_path / "a.txt", tmp_path / "gone.txt"]),
        lambda: govdisclose.load_reports([tmp_path / "a.txt", tmp_path / "gone.txt"], errors="raise"),
        lambda: govdisclose.load_sample(tmp_path / "no_such_folder"),
        lambda: govdisclose.read_metrics(tmp_path / "gone.csv"),
        lambda: govdisclose.sample_path("no_such_sample.txt"),
    ]
    for call in calls:
        with pytest.raises(FileNotFoundError) as info:
            call()
        assert isinstance(info.value, govdisclose.PathNotFoundError) and isinstance(info.value, govdisclose.GovDiscloseError)
        assert "no_such" in str(info.value) or "gone" in str(info.value)


def test_several_missing_paths_are_named_in_one_error(tmp_path):
    with pytest.raises(govdisclose.PathNotFoundError, match=r"a.txt: no such file or folder \(and 2 more: .*b.txt, .*c.txt\)"):
        govdisclose.load_reports([tmp_path / n for n in ("a.txt", "b.txt", "c.txt")])


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(EmptyDocumentError, match=r"empty\.txt: the file is empty"):
        govdisclose.read_report(path)


def test_whitespace_only(tmp_path):
    path = tmp_path / "blank.md"
    path.write_text("\n\n   \n")
    with pytest.raises(EmptyDocumentError):
        govdisclose.read_report(path)


def test_binary_file(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(UnsupportedFormatError, match="binary"):
        govdisclose.read_report(path)


def test_old_word_file(tmp_path):
    import shutil

    from govdisclose.exceptions import CorruptDocumentError, MissingDependencyError

    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)  # .doc is read through LibreOffice; a damaged one fails there
    expected = (CorruptDocumentError, "LibreOffice could not convert") if shutil.which("soffice") else (MissingDependencyError, "LibreOffice")
    with pytest.raises(expected[0], match=expected[1]):
        govdisclose.read_report(path)


def test_unsupported_extension(tmp_path):
    path = tmp_path / "table.xlsx"
    path.write_text("not really a spreadsheet")
    with pytest.raises(UnsupportedFormatError, match="xlsx"):
        govdisclose.read_report(path)


def test_folder_is_not_a_report(tmp_path):
    with pytest.raises(UnsupportedFormatError, match="folder"):
        govdisclose.read_report(tmp_path)


def test_text_without_a_report(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("今天天气很好。\n这不是政府信息公开工作年度报告的表格。\n", encoding="utf-8")
    with pytest.raises(ReportNotFoundError, match="notes.txt: no disclosure-report table"):
        govdisclose.read_report(path)


def test_too_large_text_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.write(("一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n" * 200_000).encode())
    with pytest.raises(DocumentTooLargeError, match="over the 8 MB limit"):
        govdisclose.read_report(path)


def test_undecodable_text(tmp_path):
    path = tmp_path / "garbled.txt"
    path.write_bytes(b"\xff\xfe\xfd\x80\x81" * 200 + b"\n\x81\x30" * 50)
    with pytest.raises(govdisclose.GovDiscloseError):
        govdisclose.read_report(path)


def test_gbk_text_reads(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes((DATA / "mfa_2023.txt").read_text(encoding="utf-8").encode("gb18030"))
    report = govdisclose.read_report(path)
    assert report.agency == "外交部" and (report.metrics["state"] == "number").all()


def test_input_file_untouched(tmp_path):
    path = tmp_path / "mfa.txt"
    path.write_bytes((DATA / "mfa_2023.txt").read_bytes())
    before = hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns
    govdisclose.read_report(path)
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before


def test_truncated_report_flags_what_is_missing(tmp_path):
    text = (DATA / "mfa_2023.txt").read_text(encoding="utf-8")
    cut = text[: text.index("(四) 无法提供")]
    path = tmp_path / "cut.txt"
    path.write_text(cut, encoding="utf-8")
    m = govdisclose.read_report(path).metrics
    assert m.loc[(m["item"] == "granted") & (m["applicant"] == "total"), "value"].item() == 5
    missing = m[m["item"] == "unable.not_held"]
    assert (missing["state"] == "unreadable").all() and missing["note"].str.contains("not found").all()
    assert m["value"].notna().sum() == m["state"].eq("number").sum()


def test_a_missing_optional_library_names_the_extra(monkeypatch, tmp_path):
    from govdisclose._optional import import_optional

    monkeypatch.setitem(sys.modules, "pypdfium2", None)  # as if govdisclose[pdf] was not installed
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    with pytest.raises(govdisclose.MissingDependencyError, match=r"reading report.pdf .* pip install 'govdisclose\[pdf\]'") as info:
        govdisclose.read_report(pdf)
    assert isinstance(info.value, ImportError) and info.value.name == "pypdfium2" and info.value.extra == "pdf"
    failures = govdisclose.load_reports([pdf]).attrs["failures"]  # in a load: one failure naming the extra
    assert failures["error"].tolist() == ["MissingDependencyError"] and "govdisclose[pdf]" in failures["message"].item()
    with pytest.raises(ValueError, match="unknown extra"):
        import_optional("json", extra="pdfs")


def test_a_broken_installation_is_not_taken_for_a_missing_extra(tmp_path, monkeypatch):
    from govdisclose._optional import import_optional

    (tmp_path / "half_installed.py").write_text("import no_such_dependency_of_it\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError, match="no_such_dependency_of_it") as info:
        import_optional("half_installed", extra="pdf")
    assert not isinstance(info.value, govdisclose.MissingDependencyError)
