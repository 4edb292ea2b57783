"""The govdisclose command line: parse to Parquet and CSV and back, never overwrite unasked,
validate's findings and exit status, render and synth, and the installed entry point."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from govdisclose.cli import main
from govdisclose.corpus.loader import load_reports
from govdisclose.corpus.metrics_io import read_metrics
from govdisclose.synth import generate_corpus

from conftest import DATA, REPO


@pytest.fixture
def reports(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("mfa_2023.txt", "pingtan_2019.html", "shanghai_stcsm_2024.txt"):
        shutil.copy(DATA / name, folder / name)
    return folder


def _digest(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_parse_round_trip(reports, tmp_path, suffix, capsys):
    before = _digest(reports)
    out = tmp_path / f"metrics{suffix}"
    assert main(["parse", str(reports), "-o", str(out), "--jobs", "1", "--no-progress", "--no-cache"]) == 0
    assert "read 3 of 3 files: 598 cells" in capsys.readouterr().err
    written = read_metrics(out)
    pd.testing.assert_frame_equal(written, load_reports(reports, progress=False, cache=False))
    row = written.query("agency == '平潭综合实验区' and item == 'procurement.amount'")
    assert row["value"].item() == 75394432.52 and row["unit"].item() == "元"
    assert _digest(reports) == before  # the user's files are only read


def test_parse_lists_failures_and_exits_3(reports, tmp_path, capsys):
    (reports / "notes.txt").write_text("这不是年报", encoding="utf-8")
    out, failures = tmp_path / "m.parquet", tmp_path / "failures.csv"
    code = main(["parse", str(reports), "-o", str(out), "--failures", str(failures), "--no-progress", "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 3
    assert "1 file(s) could not be read" in err and "ReportNotFoundError" in err and "notes.txt" in err
    assert read_metrics(out)["source"].nunique() == 3
    listed = pd.read_csv(failures, encoding="utf-8-sig")
    assert listed["error"].tolist() == ["ReportNotFoundError"] and listed["source"].str.endswith("notes.txt").all()


def test_parse_never_overwrites_without_force(reports, tmp_path, capsys):
    out = tmp_path / "m.csv"
    out.write_text("precious", encoding="utf-8")
    assert main(["parse", str(reports), "-o", str(out), "--no-progress"]) == 2
    assert "already exists; pass --force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "precious"
    assert main(["parse", str(reports), "-o", str(out), "--no-progress", "--force", "--jobs", "1"]) == 0
    assert len(read_metrics(out)) == 598
    assert main(["parse", str(reports), "-o", str(tmp_path / "m.xlsx"), "--no-progress"]) == 2
    assert main(["parse", str(tmp_path / "absent"), "-o", str(tmp_path / "n.csv"), "--no-progress"]) == 2


def test_strict_stops_and_writes_nothing(reports, tmp_path, capsys):
    (reports / "zz_empty.txt").write_bytes(b"")
    out = tmp_path / "m.csv"
    assert main(["parse", str(reports), "-o", str(out), "--strict", "--no-progress", "--jobs", "1"]) == 1
    assert "zz_empty.txt: the file is empty" in capsys.readouterr().err
    assert not out.exists()


def test_validate_finds_injected_errors_with_exit_1(tmp_path, capsys):
    corpus = generate_corpus(tmp_path / "synthetic", 6, formats=("text",), seed=4, errors=1,
                             error_kinds=("review_litigation.block_total",))
    metrics = tmp_path / "m.parquet"
    assert main(["parse", str(corpus.folder), "-o", str(metrics), "--no-progress", "--jobs", "1"]) == 0
    capsys.readouterr()
    findings = tmp_path / "findings.csv"
    assert main(["validate", str(metrics), "-o", str(findings)]) == 1
    out = capsys.readouterr().out
    broken = corpus.injected["source"].item()
    assert "6 report(s) checked: 1 error(s)" in out and f"{broken}: review_litigation.block_total" in out
    table = pd.read_csv(findings, encoding="utf-8-sig")
    assert table.loc[table["severity"] == "error", "item"].tolist() == ["review.total"]
    clean = [s for s in corpus.files["source"] if s != broken]
    assert main(["validate", *clean, "--no-progress", "--jobs", "1"]) == 0


def test_validate_unreadable_input_exits_2(tmp_path, capsys):
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["validate", str(tmp_path / "x.csv")]) == 2
    assert "missing columns" in capsys.readouterr().err


def test_render_without_renderer_is_a_clear_error(monkeypatch, capsys):
    import govdisclose.viz

    monkeypatch.delattr(govdisclose.viz, "render", raising=False)
    monkeypatch.setitem(sys.modules, "govdisclose.viz.render", None)
    assert main(["render", "notebooks/params/demo.yml"]) == 1
    assert "no govdisclose.viz.render module" in capsys.readouterr().err


def test_render_passes_a_missing_parameter_file_to_the_renderer(tmp_path, capsys):
    code = main(["render", str(tmp_path / "absent.yml")])
    assert code != 0
    captured = capsys.readouterr()
    assert "absent.yml" in captured.err + captured.out and "Traceback" not in captured.err


def test_synth_command(tmp_path, capsys):
    folder = tmp_path / "corpus"
    assert main(["synth", str(folder), "-n", "4", "--formats", "text,html", "--errors", "1"]) == 0
    assert "wrote 4 SYNTHETIC reports" in capsys.readouterr().out
    manifest = pd.read_csv(folder / "SYNTHETIC_MANIFEST.csv")
    assert manifest["synthetic"].all() and manifest["file"].str.startswith("SYNTHETIC_").all()
    assert main(["synth", str(folder), "-n", "4"]) == 1  # would overwrite
    assert main(["synth", str(folder), "-n", "4", "--formats", "rtf"]) == 2


@pytest.mark.slow
def test_installed_command_runs_workers(reports, tmp_path):
    """The console script, end to end in a fresh process, with two worker processes."""
    exe = shutil.which("govdisclose", path=str(REPO / ".venv" / "bin")) or shutil.which("govdisclose")
    cmd = [exe] if exe else [sys.executable, "-m", "govdisclose.cli"]
    out = tmp_path / "m.parquet"
    done = subprocess.run([*cmd, "parse", str(reports), "-o", str(out), "--jobs", "2", "--progress"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "2 worker(s)" in done.stderr and "100%" in done.stderr
    assert len(read_metrics(out)) == 598


def test_parse_says_how_many_agency_years_it_read(tmp_path, capsys):
    out = tmp_path / "m.parquet"
    assert main(["parse", str(DATA), "-o", str(out), "--no-progress", "--jobs", "1", "--no-cache"]) == 0
    err = capsys.readouterr().err
    # 18 report files (two 平潭 reports twice), 16 README/truth files: 16 agency-years
    assert "read 18 of 35 files: 3,194 cells of 16 agency-year(s)" in err
    assert "2 duplicate copies dropped" in err and "17 skipped (not reports)" in err
    assert "平潭综合实验区 2019: kept " in err and "pingtan_2019.txt (pingtan_2019.html has fewer unreadable cells" in err
    written = read_metrics(out)
    assert written.groupby(["agency", "year"], observed=True)["source"].nunique().max() == 1
    assert main(["parse", str(DATA), "-o", str(tmp_path / "all.csv"), "--no-progress", "--jobs", "1", "--duplicates", "keep"]) == 0
    assert "kept both" in capsys.readouterr().err and read_metrics(tmp_path / "all.csv")["source"].nunique() == 18
    assert main(["parse", str(DATA), "-o", str(tmp_path / "x.csv"), "--no-progress", "--jobs", "1", "--duplicates", "raise"]) == 1
    assert "govdisclose: error: 2 agency-year(s) were read from more than one file" in capsys.readouterr().err


def test_parse_refuses_a_missing_path_even_among_others(reports, tmp_path, capsys):
    code = main(["parse", str(reports), str(tmp_path / "typo"), "-o", str(tmp_path / "m.csv"), "--no-progress"])
    assert code == 2 and "no such file or folder: " in capsys.readouterr().err
    assert not (tmp_path / "m.csv").exists()


def test_render_and_demo_usage(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["render"])
    err = capsys.readouterr().err
    assert "the following arguments are required: PARAMS" in err and "extra" not in err
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")  # an earlier render
    assert main(["demo", "--output", str(tmp_path)]) == 2
    assert "govdisclose: error: " in capsys.readouterr().err
    assert main(["render", str(tmp_path / "absent.yml")]) == 2
    assert "govdisclose: error: " in capsys.readouterr().err


def test_demo_without_the_notebooks_extra_names_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "papermill", None)
    assert main(["demo", "--output", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "govdisclose: error: rendering notebooks needs papermill" in err and "pip install 'govdisclose[notebooks]'" in err
    assert not (tmp_path / "out").exists()


def test_synth_without_python_docx_names_the_extra(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "docx", None)
    assert main(["synth", str(tmp_path / "c"), "-n", "2", "--formats", "text,docx"]) == 1
    assert "pip install 'govdisclose[docx]'" in capsys.readouterr().err
    assert main(["synth", str(tmp_path / "c"), "-n", "2", "--formats", "text"]) == 0  # the core does without
