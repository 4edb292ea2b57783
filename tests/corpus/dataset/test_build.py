"""build_corpus: every file accounted for, the same rows whatever the engine, incremental, resumable, atomic."""

# ruff: noqa: F811
from __future__ import annotations

import shutil

import pandas as pd
import pytest

import govdisclose
from govdisclose.corpus.dataset import store as store_module
from govdisclose.corpus.dataset.store import Store
from govdisclose.corpus.paths import survey

import dataset_hooks as hooks
from dataset_hooks import clean_build, synth_folder  # noqa: F401  (fixtures; the tests name them as arguments: F811 off below)


def test_every_listed_file_is_in_reports_or_failures(synth_folder, clean_build):
    out, result = clean_build
    corpus = govdisclose.open_corpus(out)
    listed = survey(synth_folder)
    expected = {str(p) for p in listed.read + listed.unread}
    reports, failures = set(corpus.reports()["source"]), set(corpus.failures()["source"])
    assert reports | failures == expected and not reports & failures
    assert result.files == len(expected) and result.parsed == len(listed.read)
    errors = corpus.failures().set_index("source")["error"].to_dict()
    assert errors == {str(synth_folder / "broken.txt"): "EmptyDocumentError",
                      str(synth_folder / "old_format.xls"): "UnsupportedFormatError"}
    assert result.skipped == len(listed.skipped) and str(synth_folder / "README.md") not in reports | failures


def test_the_dataset_holds_what_the_loader_reads(synth_folder, clean_build):
    # computed independently: load_reports over the same folder, every copy kept
    out, _ = clean_build
    some = sorted(synth_folder.glob("SYNTHETIC_*.[tm]*"))[::5]  # text, Markdown and HTML files
    loaded = govdisclose.load_reports(some, duplicates="keep")
    metrics = govdisclose.open_corpus(out).metrics(source=[str(p) for p in some])
    loaded.attrs = {}
    pd.testing.assert_frame_equal(metrics, loaded)


def test_findings_and_sections_are_those_of_each_report(synth_folder, clean_build):
    out, _ = clean_build
    corpus = govdisclose.open_corpus(out)
    path = sorted(synth_folder.glob("*.html"))[3]
    report = govdisclose.read_report(path)
    sections = corpus.sections(source=str(path))
    assert dict(zip(sections["section"], sections["text"])) == report.sections
    reader = corpus.findings(source=str(path), stage="reader")
    assert reader["rule"].tolist() == report.findings["rule"].tolist()
    assert reader["location"].tolist() == report.findings["location"].tolist()
    validator = corpus.findings(source=str(path), stage="validator")
    assert validator["rule"].tolist() == govdisclose.validate(report.metrics, cross_year=False)["rule"].tolist()


def test_injected_errors_show_as_validator_findings(synth_folder, clean_build):
    out, _ = clean_build
    manifest = pd.read_csv(synth_folder / "SYNTHETIC_MANIFEST.csv", keep_default_na=False)
    broken = {str(synth_folder / f) for f in manifest.loc[manifest["injected"] != "", "file"]}
    errors = govdisclose.open_corpus(out).findings(stage="validator", severity="error")
    assert broken and broken <= set(errors["source"])


def test_reports_rows_describe_each_file(synth_folder, clean_build):
    from govdisclose.corpus.cache import content_key, parser_fingerprint

    out, _ = clean_build
    reports = govdisclose.open_corpus(out).reports().set_index("source")
    manifest = pd.read_csv(synth_folder / "SYNTHETIC_MANIFEST.csv", keep_default_na=False)
    manifest = manifest.set_index(manifest["file"].map(lambda f: str(synth_folder / f)))
    assert manifest["agency"].to_dict() == reports.loc[manifest.index, "agency"].to_dict()
    assert manifest["year"].to_dict() == reports.loc[manifest.index, "year"].astype(int).to_dict()
    first = manifest.index[0]
    assert reports.loc[first, "key"] == content_key(first)
    assert reports.loc[first, "bytes"] == (synth_folder / first).stat().st_size
    assert set(reports["parser"]) == {parser_fingerprint()}
    assert set(reports["format"]) == {"text", "html", "docx"}  # Markdown is read as text


def test_a_second_run_parses_nothing(synth_folder, clean_build, tmp_path):
    out = tmp_path / "dataset"
    shutil.copytree(clean_build[0], out)
    again = govdisclose.build_corpus(synth_folder, out, jobs=1, batch_size=32)
    assert (again.parsed, again.batches, again.rewritten, again.removed) == (0, 0, 0, 0)
    assert again.reused == clean_build[1].files
    hooks.assert_same_contents(out, clean_build[0])


def _small_copy(synth_folder, tmp_path, n=20):
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in sorted(synth_folder.glob("SYNTHETIC_*"))[:n]:
        if path.suffix != ".csv":
            shutil.copy(path, folder / path.name)
    return folder


def test_a_changed_file_is_read_again_and_only_it(synth_folder, tmp_path):
    folder = _small_copy(synth_folder, tmp_path)
    out = tmp_path / "dataset"
    govdisclose.build_corpus(folder, out, jobs=1, batch_size=8)
    texts = sorted(folder.glob("*.txt"))
    texts[0].write_bytes(texts[1].read_bytes())  # now another report's content
    changed = govdisclose.build_corpus(folder, out, jobs=1, batch_size=8)
    assert (changed.parsed, changed.rewritten, changed.removed) == (1, 1, 1)
    rows = govdisclose.open_corpus(out).metrics(source=str(texts[0]))
    assert rows["value"].tolist() == govdisclose.read_report(texts[0]).metrics["value"].tolist()
    clean = tmp_path / "clean"
    govdisclose.build_corpus(folder, clean, jobs=1, batch_size=8)
    hooks.assert_same_contents(out, clean, ignore=("batch",))


def test_a_vanished_file_loses_its_rows(synth_folder, tmp_path):
    folder = _small_copy(synth_folder, tmp_path)
    out = tmp_path / "dataset"
    govdisclose.build_corpus(folder, out, jobs=1, batch_size=8)
    gone = sorted(folder.glob("*.html"))[0]
    gone.unlink()
    after = govdisclose.build_corpus(folder, out, jobs=1, batch_size=8)
    assert (after.parsed, after.removed) == (0, 1)
    corpus = govdisclose.open_corpus(out)
    assert str(gone) not in set(corpus.reports()["source"]) | set(corpus.metrics()["source"])
    assert len(Store(out).live()) == 3  # 19 files in batches of 8: one rewritten, none dropped


def test_an_interrupted_build_resumes(synth_folder, tmp_path):
    folder = _small_copy(synth_folder, tmp_path)
    out = tmp_path / "dataset"
    hooks.interrupt_after(11)  # in the middle of the second batch of 8
    with pytest.raises(KeyboardInterrupt):
        govdisclose.build_corpus(folder, out, jobs=1, batch_size=8, reader=hooks.interrupting_reader)
    assert len(govdisclose.open_corpus(out).reports()) == 8  # the first batch only
    hooks.interrupt_after(None)
    resumed = govdisclose.build_corpus(folder, out, jobs=1, batch_size=8, reader=hooks.interrupting_reader)
    assert (resumed.parsed, resumed.reused) == (12, 8)
    clean = tmp_path / "clean"
    govdisclose.build_corpus(folder, clean, jobs=1, batch_size=8, reader=hooks.interrupting_reader)
    hooks.assert_same_contents(out, clean)


def test_a_crash_between_moving_files_and_the_commit_leaves_no_data(synth_folder, tmp_path, monkeypatch):
    folder = _small_copy(synth_folder, tmp_path)
    out = tmp_path / "dataset"
    real, markers = store_module._write_json, []

    def failing(path, data):  # the second batch's commit (its marker) fails
        if path.parent.name == "_batches":
            if len(markers) == 1:
                raise OSError("disk gone")
            markers.append(path)
        real(path, data)

    monkeypatch.setattr(store_module, "_write_json", failing)
    with pytest.raises(OSError, match="disk gone"):
        govdisclose.build_corpus(folder, out, jobs=1, batch_size=8)
    monkeypatch.undo()
    # the second batch's files are in place but not committed: not data
    on_disk = {p.relative_to(out).as_posix() for p in (out / "reports").rglob("*.parquet")}
    assert len(on_disk) > len({f for m in Store(out).live().values() for f in m["files"] if f.startswith("reports/")})
    assert len(govdisclose.open_corpus(out).reports()) == 8
    resumed = govdisclose.build_corpus(folder, out, jobs=1, batch_size=8)
    assert resumed.parsed == 12
    clean = tmp_path / "clean"
    govdisclose.build_corpus(folder, clean, jobs=1, batch_size=8)
    hooks.assert_same_contents(out, clean)
    assert {p.name for p in (out / "reports").rglob("*.parquet")} == {p.name for p in (clean / "reports").rglob("*.parquet")}


def test_a_build_in_steps_equals_a_build_in_one_go(synth_folder, tmp_path):
    folder = _small_copy(synth_folder, tmp_path)
    out, clean = tmp_path / "steps", tmp_path / "clean"
    first = govdisclose.build_corpus(folder, out, jobs=1, batch_size=8, stop_after=1)
    assert first.parsed == 8
    govdisclose.build_corpus(folder, out, jobs=1, batch_size=8)
    govdisclose.build_corpus(folder, clean, jobs=1, batch_size=8)
    hooks.assert_same_contents(out, clean)


def test_another_parser_reads_everything_again(synth_folder, tmp_path):
    folder = _small_copy(synth_folder, tmp_path, n=6)
    out = tmp_path / "dataset"
    govdisclose.build_corpus(folder, out, jobs=1)
    other = govdisclose.build_corpus(folder, out, jobs=1, reader=hooks.plain_reader)
    assert (other.parsed, other.removed) == (6, 6)
    assert {p.endswith("plain_reader") for p in govdisclose.open_corpus(out).reports()["parser"]} == {True}


def test_a_folder_that_is_not_a_dataset_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(govdisclose.DatasetError, match="not a govdisclose corpus dataset"):
        govdisclose.build_corpus(govdisclose.sample_path("mfa_2023.txt"), tmp_path, jobs=1)
    with pytest.raises(govdisclose.DatasetError, match="not a govdisclose corpus dataset"):
        govdisclose.open_corpus(tmp_path)
    with pytest.raises(govdisclose.PathNotFoundError):
        govdisclose.build_corpus(tmp_path / "no_such_folder", tmp_path / "out", jobs=1)


def test_a_report_without_a_year_is_in_the_null_partition(tmp_path):
    out = tmp_path / "dataset"
    govdisclose.build_corpus(govdisclose.sample_path("mfa_2023.txt"), out, jobs=1, reader=hooks.yearless_reader)
    assert [p.parent.name for p in (out / "metrics").rglob("*.parquet")] == ["year=__HIVE_DEFAULT_PARTITION__"]
    corpus = govdisclose.open_corpus(out)
    metrics = corpus.metrics()
    assert len(metrics) == 200 and metrics["year"].isna().all()
    assert corpus.reports()["year"].isna().all() and corpus.years() == []
    assert corpus.metrics(year=2023).empty


def test_two_builds_never_write_one_dataset_at_once(tmp_path):
    import os
    import socket

    out = tmp_path / "dataset"
    source = govdisclose.sample_path("mfa_2023.txt")
    govdisclose.build_corpus(source, out, jobs=1)
    lock = out / "_build.lock"
    assert not lock.exists()  # released after the build
    lock.write_text(f"{socket.gethostname()}:{os.getppid()}", encoding="utf-8")  # a live process holds it
    with pytest.raises(govdisclose.DatasetError, match="another build is writing this dataset"):
        govdisclose.build_corpus(source, out, jobs=1)
    lock.write_text(f"{socket.gethostname()}:999999999", encoding="utf-8")  # a build that was killed
    assert govdisclose.build_corpus(source, out, jobs=1).reused == 1 and not lock.exists()
