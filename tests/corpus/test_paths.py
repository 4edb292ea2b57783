"""Which files are reports: the suffix table agrees with what the readers make of real files, README
files are a folder's notes, and files in formats that are not read are named, never skipped silently."""

from __future__ import annotations

import shutil

import pytest

from govdisclose.corpus.paths import REPORT_SUFFIXES, SUFFIXES, UNREAD_SUFFIXES, collect_paths, sample_path, unread_files
from govdisclose.exceptions import GovDiscloseError
from govdisclose.readers import FORMATS, sniff_format

from conftest import DATA


def test_the_suffix_table_agrees_with_the_readers_on_the_bundled_reports():
    files = collect_paths(DATA)
    assert {p.suffix for p in files} >= {".txt", ".html"}
    for path in files:
        assert SUFFIXES[path.suffix.lower()] == sniff_format(path.read_bytes()[:4096], path.name), path.name
    assert {f for f in SUFFIXES.values() if f} == set(FORMATS)
    assert not set(REPORT_SUFFIXES) & set(UNREAD_SUFFIXES)


def test_a_folder_listing_skips_readme_and_names_unread_formats(tmp_path):
    shutil.copy(DATA / "mfa_2023.txt", tmp_path / "mfa_2023.txt")
    (tmp_path / "sub").mkdir()
    shutil.copy(DATA / "pingtan_2024.html", tmp_path / "sub" / "pingtan_2024.html")
    (tmp_path / "README.md").write_text("# notes on these files\n", encoding="utf-8")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 64)
    (tmp_path / "truth.csv").write_text("a,b\n", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in collect_paths(tmp_path)] == ["mfa_2023.txt", "sub/pingtan_2024.html"]
    assert unread_files(tmp_path) == [tmp_path / "old.xls"]
    listed = collect_paths([tmp_path / "old.xls", tmp_path / "mfa_2023.txt", tmp_path / "old.xls"])
    assert listed == [tmp_path / "old.xls", tmp_path / "mfa_2023.txt"]  # listed files are kept, once, in order
    assert unread_files([tmp_path / "old.xls"]) == []  # a listed file is read (and fails there), not listed twice


def test_sample_path_names_what_is_available():
    assert sample_path("mfa_2023.txt").read_bytes()[:3] == (DATA / "mfa_2023.txt").read_bytes()[:3]
    with pytest.raises(GovDiscloseError, match="available: .*mfa_2023.txt"):
        sample_path("no_such_report.txt")


def _policy_folder(tmp_path):
    """Two reports, a README, a truth table, a hidden file, a notes CSV and a scanned image."""
    shutil.copy(DATA / "mfa_2023.txt", tmp_path / "mfa_2023.txt")
    shutil.copy(DATA / "shanghai_stcsm_2024.txt", tmp_path / "shanghai_stcsm_2024.txt")
    (tmp_path / "README.md").write_text("# notes\n", encoding="utf-8")
    (tmp_path / "truth").mkdir()
    shutil.copy(DATA / "truth" / "mfa_2023.csv", tmp_path / "truth" / "mfa_2023.csv")
    (tmp_path / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (tmp_path / "list.csv").write_text("file\nmfa_2023.txt\n", encoding="utf-8")
    (tmp_path / "scan.bmp").write_bytes(b"BM" + b"\0" * 32)
    return tmp_path


def test_one_policy_for_files_that_are_not_reports(tmp_path):
    import govdisclose
    from govdisclose.corpus.paths import survey

    folder = _policy_folder(tmp_path)
    s = survey(folder)
    assert [p.name for p in s.read] == ["mfa_2023.txt", "shanghai_stcsm_2024.txt"]
    assert [p.name for p in s.unread] == ["scan.bmp"]  # maybe a scanned report: a failure, never passed over silently
    assert sorted((p.name, reason) for p, reason in s.skipped) == [
        (".DS_Store", "a hidden file or folder"),
        ("README.md", "a README (the folder's notes, not a report)"),
        ("list.csv", "not a report format (.csv)"),
        ("mfa_2023.csv", "in a truth/ folder (hand-checked values, not reports)"),
    ]
    assert s.considered == 7  # every file in the folder
    loaded, sample = govdisclose.load_reports(folder), govdisclose.load_sample(folder)
    for frame in (loaded, sample):  # the same files read, failed and skipped, counted the same way
        assert frame.attrs["files"] == 7
        assert frame["source"].nunique() == 2
        assert [(p.rsplit("/", 1)[-1], e) for p, e in frame.attrs["failures"][["source", "error"]].values] == [
            ("scan.bmp", "UnsupportedFormatError")]
        assert sorted(p.rsplit("/", 1)[-1] for p in frame.attrs["skipped"]["source"]) == [
            ".DS_Store", "README.md", "list.csv", "mfa_2023.csv"]
