"""Rendering: the parameter file, failures that do not stop the other runs, the manifest, exit codes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

import govdisclose
from govdisclose.exceptions import RenderError
from govdisclose.viz.manifest import data_hash, write_summary
from govdisclose.viz.params import NOTEBOOKS_DIR, notebook_parameters, read_params
from govdisclose.viz.render import main, render_notebooks

from conftest import DATA, REPO


def _notebook(path: Path, parameters: str, body: str) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(parameters)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))


def _params(path: Path, runs: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"runs": runs}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_demo_parameter_file():
    runs = read_params(REPO / "notebooks" / "params" / "demo.yml")
    assert [(r.notebook, r.slug) for r in runs] == [
        ("agency_profile", "pingtan"), ("cross_agency", "2023"), ("data_quality", "sample"), ("tutorial", "mfa_2023"),
        ("paper_tables", "sample")]
    assert runs[0].parameters == {"agency": "平潭综合实验区", "years": []}
    assert yaml.safe_load((REPO / "notebooks" / "params" / "demo.yml").read_text(encoding="utf-8"))["output_dir"] == "reports"


def test_parameter_file_problems_are_all_reported(tmp_path):
    path = _params(tmp_path / "p.yml", [
        {"notebook": "agency_profil"},
        {"notebook": "cross_agency", "parameters": {"yaer": 2023}},
        {"notebook": "data_quality", "slug": "x"},
        {"notebook": "data_quality", "slug": "x"},
        {"notebook": "tutorial", "slug": "a/b"},
    ])
    with pytest.raises(RenderError) as info:
        read_params(path)
    message = str(info.value)
    assert "no notebook 'agency_profil' (available: agency_profile, cross_agency, data_quality, paper_tables, tutorial)" in message
    assert "unknown parameter(s) yaer; the notebook takes year, agencies, indicator, peer_by, data_dir, output_dir" in message
    assert "data_quality/x appears 2 times" in message
    assert "slug 'a/b'" in message
    assert len(info.value.failures) == 4


def test_bad_parameter_files(tmp_path):
    with pytest.raises(RenderError, match="parameter file not found"):
        read_params(tmp_path / "none.yml")
    (tmp_path / "bad.yml").write_text("runs: [notebook: {", encoding="utf-8")
    with pytest.raises(RenderError, match="not valid YAML"):
        read_params(tmp_path / "bad.yml")
    (tmp_path / "empty.yml").write_text("output_dir: reports\n", encoding="utf-8")
    with pytest.raises(RenderError, match="non-empty list 'runs'"):
        read_params(tmp_path / "empty.yml")


def test_slugs_come_from_the_parameters(tmp_path):
    runs = read_params(_params(tmp_path / "p.yml", [
        {"notebook": "cross_agency", "parameters": {"year": 2024, "indicator": "denial_rate", "data_dir": "x"}},
        {"notebook": "data_quality"},
    ]))
    assert [r.slug for r in runs] == ["2024_denial_rate", "default"]


def test_parameters_cell_must_hold_literals(tmp_path):
    assert notebook_parameters(NOTEBOOKS_DIR / "agency_profile.ipynb") == {
        "agency": "平潭综合实验区", "years": [], "peer_by": ["level", "scope", "department_kind"], "data_dir": "",
        "output_dir": "reports/agency_profile/default"}
    _notebook(tmp_path / "calc.ipynb", "year = 2020 + 3", "pass")
    with pytest.raises(RenderError, match="parameter year is not a plain literal"):
        notebook_parameters(tmp_path / "calc.ipynb")


def test_data_hash_follows_the_report_files(tmp_path):
    for name in ("mfa_2023.txt", "shuyang_fgj_2023.html"):
        shutil.copy(DATA / name, tmp_path / name)
    first = data_hash(tmp_path)
    (tmp_path / "README.md").write_text("notes", encoding="utf-8")
    assert data_hash(tmp_path) == first  # not a report file
    with (tmp_path / "mfa_2023.txt").open("a", encoding="utf-8") as fh:
        fh.write("\n")
    assert data_hash(tmp_path) != first
    assert data_hash() == data_hash(DATA)


def test_write_summary(tmp_path):
    path = write_summary(tmp_path / "out", {"value": pd.NA, "rate": float("nan"), "figure": tmp_path / "out" / "a.png",
                                             "frame": pd.DataFrame({"x": pd.array([1, None], dtype="Int64")})},
                         table=pd.DataFrame({"a": [1, 2]}))
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "value": None, "rate": None, "figure": "a.png", "frame": [{"x": 1}, {"x": None}], "tables": ["table.csv"]}
    assert (tmp_path / "out" / "table.csv").read_text(encoding="utf-8").splitlines() == ["a", "1", "2"]


@pytest.mark.slow
def test_a_failing_run_does_not_stop_the_others(tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _notebook(notebooks / "ok.ipynb", 'x = 1  # a number\noutput_dir = "out"  # folder',
              "from govdisclose.viz.manifest import write_summary\nwrite_summary(output_dir, {'x': x * 2})")
    shutil.copy(NOTEBOOKS_DIR / "agency_profile.ipynb", notebooks / "agency_profile.ipynb")
    stale = tmp_path / "reports" / "agency_profile" / "typo.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("an old report", encoding="utf-8")
    params = _params(tmp_path / "p.yml", [
        {"notebook": "agency_profile", "slug": "typo", "parameters": {"agency": "平潭"}},
        {"notebook": "ok", "slug": "two", "parameters": {"x": 21}},
    ])
    from govdisclose.viz import render

    original = render.NOTEBOOKS_DIR
    render.NOTEBOOKS_DIR = notebooks
    try:
        code = main([str(params), "--output", str(tmp_path / "reports"), "--force"])  # the stale report may go
    finally:
        render.NOTEBOOKS_DIR = original
    assert code == 1
    printed = capsys.readouterr().out
    assert "failed agency_profile/typo  UnknownAgencyError: unknown agency '平潭'; did you mean 平潭综合实验区, 平潭综合实验区社会事业局, 平潭综合实验区自然资源与生态环境局?" in printed
    assert "1 of 2 rendered; 1 FAILED" in printed
    assert not stale.exists()  # no stale report left behind the failure
    assert (tmp_path / "reports" / "ok" / "two.html").exists()
    assert json.loads((tmp_path / "reports" / "ok" / "two" / "summary.json").read_text())["x"] == 42
    manifest = json.loads((tmp_path / "reports" / "manifest.json").read_text(encoding="utf-8"))
    runs = {f"{r['notebook']}/{r['slug']}": r for r in manifest["runs"]}
    assert runs["agency_profile/typo"]["status"] == "failed" and runs["agency_profile/typo"]["html"] is None
    assert runs["ok/two"]["status"] == "ok" and runs["ok/two"]["html"] == "ok/two.html"
    assert runs["ok/two"]["parameters"]["x"] == 21 and runs["ok/two"]["data_hash"] == data_hash()
    assert manifest["package_version"] == govdisclose.__version__


def test_render_notebooks_raises_after_trying_everything(tmp_path):
    _notebook(tmp_path / "boom.ipynb", 'output_dir = "out"  # folder', "raise ValueError('boom')")
    params = _params(tmp_path / "p.yml", [{"notebook": "boom"}])
    with pytest.raises(RenderError) as info:
        render_notebooks(params, output_dir=tmp_path / "reports", notebooks_dir=tmp_path)
    assert info.value.failures == {"boom/default": "ValueError: boom"}
    assert info.value.results["status"].tolist() == ["failed"]
    assert (tmp_path / "reports" / "boom" / "default.ipynb").exists()  # the executed notebook, for debugging


def test_the_command_line_entry_point(tmp_path):
    done = subprocess.run([sys.executable, "-m", "govdisclose.viz.render", str(tmp_path / "missing.yml")],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 2 and "parameter file not found" in done.stderr
    assert done.stderr.startswith("govdisclose: error: ")


def test_an_earlier_render_is_not_overwritten_without_force(tmp_path, capsys):
    _notebook(tmp_path / "ok.ipynb", 'x = 1  # a number\noutput_dir = "out"  # folder',
              "from govdisclose.viz.manifest import write_summary\nwrite_summary(output_dir, {'x': x * 2})")
    params = _params(tmp_path / "p.yml", [{"notebook": "ok", "slug": "one", "parameters": {"x": 2}}])
    first = render_notebooks(params, output_dir=tmp_path / "reports", notebooks_dir=tmp_path)
    report = tmp_path / "reports" / "ok" / "one.html"
    assert first["status"].tolist() == ["ok"] and report.exists()
    report.write_text("my annotated copy", encoding="utf-8")
    with pytest.raises(RenderError, match=r"reports already holds reports of an earlier render \(ok/one\): pass --force"):
        render_notebooks(params, output_dir=tmp_path / "reports", notebooks_dir=tmp_path)
    assert report.read_text(encoding="utf-8") == "my annotated copy"  # refused before anything ran
    again = render_notebooks(params, output_dir=tmp_path / "reports", notebooks_dir=tmp_path, force=True)
    assert again["status"].tolist() == ["ok"] and "my annotated copy" not in report.read_text(encoding="utf-8")
    from govdisclose.viz import render

    original = render.NOTEBOOKS_DIR
    render.NOTEBOOKS_DIR = tmp_path
    try:
        assert main([str(params), "--output", str(tmp_path / "reports")]) == 2
    finally:
        render.NOTEBOOKS_DIR = original
    assert capsys.readouterr().err.startswith("govdisclose: error: ")


def test_the_report_needs_no_network_and_shows_the_runs_parameters(tmp_path):
    _notebook(tmp_path / "ok.ipynb", 'x = 1  # a number\ndata_dir = ""  # folder\noutput_dir = "out"  # folder',
              "from IPython.display import Markdown\nMarkdown(f'data in {data_dir}, output in {output_dir}')")
    nb = nbformat.read(str(tmp_path / "ok.ipynb"), as_version=4)
    nb.metadata["govdisclose"] = {"show_code": True}
    nbformat.write(nb, str(tmp_path / "ok.ipynb"))
    params = _params(tmp_path / "p.yml", [{"notebook": "ok", "slug": "s", "parameters": {"x": 3, "data_dir": str(DATA)}}])
    result = render_notebooks(params, output_dir=tmp_path / "reports", notebooks_dir=tmp_path).iloc[0]
    page = Path(result["html"]).read_text(encoding="utf-8")
    assert "cdnjs" not in page and "<script src=" not in page and "mermaid.esm" not in page
    text = re.sub(r"<[^>]+>", "", re.sub(r"<style\b.*?</style>", "", page, flags=re.S))
    assert "# Parameters of this run" in text and "x = 3" in text  # the run's parameters in place of the defaults
    assert str(tmp_path) not in page  # output_dir (absolute, given by the renderer) shown relative
    assert "output in s" in page
    manifest = json.loads((tmp_path / "reports" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["runs"][0]["parameters"] == {"x": 3, "data_dir": str(DATA), "output_dir": "ok/s"}
