"""The notebooks: committed without outputs, one parameters cell of plain literals, and each one
executed once (papermill, real parameters, bundled data) with its summary and its rendered HTML
checked (offline, integers for counts, full messages, no absolute paths, code shown only in the
tutorial)."""

from __future__ import annotations

import ast
import html as htmllib
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
from govdisclose.viz.execute import execute_notebook
from govdisclose.viz.nbstrip import FILTER_NAME, is_clean
from govdisclose.viz.params import NOTEBOOKS_DIR
from govdisclose.viz.render import render_notebooks

from conftest import REPO

NOTEBOOKS = ["agency_profile", "cross_agency", "data_quality", "tutorial", "paper_tables"]


def _git(*args: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, **kwargs)


def _as_git_commits_it(path: Path) -> str:
    """The notebook as git would store it: through the clean filter when ``make notebook-filters``
    configured one (the file on disk may hold outputs JupyterLab autosaved), else as on disk."""
    text = path.read_text(encoding="utf-8")
    if shutil.which("git") is None or _git("rev-parse", "--show-toplevel", cwd=path.parent).returncode != 0:
        return text
    top = Path(_git("rev-parse", "--show-toplevel", cwd=path.parent).stdout.strip())
    name = _git("check-attr", "filter", "--", str(path), cwd=top).stdout.rsplit(": ", 1)[-1].strip()
    command = _git("config", "--get", f"filter.{name}.clean", cwd=top).stdout.strip()
    if name in ("", "unspecified", "unset") or not command:
        return text
    done = subprocess.run(command, shell=True, input=text, capture_output=True, text=True, cwd=top)
    assert done.returncode == 0, (f"the git filter {name!r} ({command}) failed: {done.stderr.strip()}; "
                                  "run `make notebook-filters` to register it again")
    return done.stdout


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_without_outputs_and_with_one_parameters_cell(name):
    path = NOTEBOOKS_DIR / f"{name}.ipynb"
    stored = _as_git_commits_it(path)
    assert is_clean(stored), (
        f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path} holds outputs (JupyterLab saves them after "
        f"'Run All'). Clean it with `python -m govdisclose.viz.nbstrip {path.name if not path.is_relative_to(REPO) else path.relative_to(REPO)}`, "
        "or run `make notebook-filters` once so that git strips outputs itself")
    nb = nbformat.reads(stored, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert "widgets" not in nb.metadata
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    names = []
    for line in tagged[0].source.splitlines():
        assert line.count("=") == 1 and "#" in line, line  # papermill reads `name = literal  # help`
        node = ast.parse(line).body[0]
        ast.literal_eval(node.value)  # plain literals only
        names.append(node.targets[0].id)
    assert {"data_dir", "output_dir"} <= set(names)
    # thin: no logic defined in the notebook, only calls into the package
    assert not any(line.lstrip().startswith(("def ", "class ")) for c in code for line in c.source.splitlines())
    assert sum(len(c.source.splitlines()) for c in code) < 90


def _visible_text(page: str) -> str:
    """The page as a reader sees it: no style or script blocks, no tags, entities decoded."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", "", page))


def _table_cells(page: str) -> list[str]:
    return [htmllib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td\b[^>]*>(.*?)</td>", page, flags=re.S)]


def check_report_html(page: str, *, local_paths: list[Path]) -> None:
    """The defects a reader of a rendered report must not see."""
    # works offline: nothing fetched from the network (scripts, styles, ES module imports, CSS urls)
    assert not re.findall(r"<(?:script|link|img|iframe)\b[^>]*(?:src|href)=[\"']?(?:https?:)?//", page, flags=re.I)
    assert not re.findall(r"import\s[^;]*?from\s*[\"']https?:", page) and not re.findall(r"url\(\s*[\"']?https?:", page)
    assert "require.min.js" not in page and "MathJax" not in page
    # only the formatted tables: no pandas frame with its index column, no header-only table
    assert 'class="dataframe"' not in page
    for body in re.findall(r"<tbody>(.*?)</tbody>", page, flags=re.S):
        assert "<tr" in body
    assert page.count("<table") == page.count("<tbody><tr>")
    cells = _table_cells(page)
    assert not [c for c in cells if re.fullmatch(r"[-−+]?\d+\.0", c)], "a count printed as a float"
    assert not [c for c in cells if c.endswith(("…", "..."))], "a message cut short"
    text = _visible_text(page)
    for path in local_paths:
        assert str(path) not in page, f"absolute local path {path} in the report"
    assert not re.search(r"\(（[^()]*）\)", text), "a bracketed label in brackets"


def _render(tmp_path: Path, notebook: str, slug: str, parameters: dict) -> tuple[dict, pd.Series]:
    params = tmp_path / "params.yml"
    params.write_text(yaml.safe_dump({"runs": [{"notebook": notebook, "slug": slug, "parameters": parameters}]},
                                     allow_unicode=True), encoding="utf-8")
    result = render_notebooks(params, output_dir=tmp_path / "reports").iloc[0]
    assert result["status"] == "ok", result["error"]
    assert result["stderr_outputs"] == 0  # no warning printed in the kernel (e.g. a missing CJK glyph)
    html = Path(result["html"]).read_text(encoding="utf-8")
    assert Path(result["html"]) == tmp_path / "reports" / notebook / f"{slug}.html"
    text = _visible_text(html)
    assert "write_summary(" not in text  # the bookkeeping cell shows its output only
    if notebook == "tutorial":  # the tutorial teaches the API: its code is shown
        assert re.search(r'class="[^"]*jp-InputArea-editor', html) and "govdisclose.read_report(path)" in text and "import govdisclose" in " ".join(text.split())
        assert "# Parameters of this run" in text and "output_dir =" not in text  # the run's parameters, not machine paths
    else:
        assert not re.search(r'class="[^"]*jp-InputArea-editor', html) and "import govdisclose" not in " ".join(text.split())  # code hidden
    assert "Traceback" not in html and "live in Jupyter only" in html
    assert html.count('alt="figure of') == html.count("<img")
    check_report_html(html, local_paths=[tmp_path, REPO, Path.cwd()])
    summary = json.loads(Path(result["summary"]).read_text(encoding="utf-8"))
    for name in summary.get("figures", {}).values():
        assert (Path(result["summary"]).parent / name).read_bytes().startswith(b"\x89PNG")
    assert html.count("<img") == len(summary.get("figures", {}))
    assert f'href="{slug}/summary.json"' in html  # the machine-readable summary, linked relative to the page
    manifest = json.loads((tmp_path / "reports" / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["runs"][0]
    assert entry["parameters"] | {"output_dir": None} == parameters | {"output_dir": None}
    assert entry["package_version"] == govdisclose.__version__ and len(entry["data_hash"]) == 64
    return summary, result


def _cells(result: pd.Series) -> list[str]:
    return _table_cells(Path(result["html"]).read_text(encoding="utf-8"))


@pytest.mark.slow
def test_agency_profile(tmp_path):
    summary, result = _render(tmp_path, "agency_profile", "pingtan-recent", {"agency": "平潭综合实验区", "years": [2021, 2023, 2024]})
    sample = govdisclose.load_sample()
    mine = sample[(sample["agency"] == "平潭综合实验区") & sample["year"].isin([2021, 2023, 2024])]
    text = _visible_text(Path(result["html"]).read_text(encoding="utf-8"))
    assert ("No validation findings" in text) == govdisclose.validate(mine).empty  # a sentence, not a header-only table
    cells = _cells(result)
    assert ["requests_received", "70", "81", "218"] == cells[cells.index("requests_received"):][:4]  # counts as integers
    rows = [cells[i:i + 6] for i, c in enumerate(cells) if c == "requests_received"]
    assert ["requests_received", "2023", "2021", "81", "70", "+11"] in rows  # year-over-year: value, previous, change
    assert summary["agency"] == "平潭综合实验区" and summary["identity"]["scope"] == "whole_area"
    assert (summary["identity"]["province"], summary["identity"]["county"], summary["identity"]["level"]) == ("福建省", "平潭县", "city")
    assert [(a["year"], a["check"]) for a in summary["anomalies"]] == [(2021, "template_break")]  # 2019 → 2021; no jump, no broken chain
    assert summary["years"] == [2021, 2023, 2024]
    assert summary["indicators"]["requests_received"] == {"2021": 70, "2023": 81, "2024": 218}
    assert summary["indicators"]["litigation_count"] == {"2021": 12, "2023": 7, "2024": 19}
    assert summary["indicators"]["normative_documents_in_force"] == {"2021": None, "2023": None, "2024": 440}
    assert summary["carry_over"] == [{"year": 2024, "carried_over": 0, "previous_carried_forward": 0, "agrees": True}]
    assert summary["not_comparable"] == []  # 2021 onward: one template
    assert set(summary["figures"]) == {"outcome_composition", "applicant_mix", "licensing_trend", "peer_benchmark"}
    assert "city · whole_area" in cells and "福建省 福州市 平潭县 (350128)" in text
    assert {"indicators.csv", "year_over_year.csv", "findings.csv"} == set(summary["tables"])
    yoy = pd.read_csv(tmp_path / "reports" / "agency_profile" / "pingtan-recent" / "year_over_year.csv")
    row = yoy[(yoy["indicator"] == "requests_received") & (yoy["year"] == 2024)].iloc[0]
    assert (row["previous_year"], row["change"]) == (2023, 137)


@pytest.mark.slow
def test_cross_agency(tmp_path):
    summary, result = _render(tmp_path, "cross_agency", "2024-denial", {"year": 2024, "agencies": [], "indicator": "denial_rate"})
    assert summary["year"] == 2024 and summary["indicator"] == "denial_rate"
    ranking = {r["agency"]: r for r in summary["ranking"]}
    assert list(ranking) == ["平潭综合实验区", "上海市科委", "平潭综合实验区社会事业局", "平潭综合实验区自然资源与生态环境局"]
    assert ranking["平潭综合实验区"]["value"] == pytest.approx(39 / 218) and ranking["平潭综合实验区"]["rank"] == 1
    assert (ranking["平潭综合实验区自然资源与生态环境局"]["numerator"], ranking["平潭综合实验区自然资源与生态环境局"]["denominator"]) == (0, 69)  # zrz 2024: 69 requests
    assert (ranking["上海市科委"]["numerator"], ranking["上海市科委"]["denominator"]) == (2, 35)
    assert ranking["上海市科委"]["scope"] == "department"
    assert any(c.startswith("whole-area and department reports") for c in summary["caveats"])
    assert set(summary["figures"]) == {"ranking", "outcome_heatmap", "distribution"}
    who = {r["agency"]: r for r in summary["identity"]}
    assert (who["上海市科委"]["province"], who["上海市科委"]["level"], who["上海市科委"]["agency_id"]) == ("上海市", "province", "310000:科学技术委员会")
    peers = {r["agency"]: r for r in summary["peers"]}
    assert peers["平潭综合实验区自然资源与生态环境局"]["peer_group"] == "city · department"
    assert peers["平潭综合实验区自然资源与生态环境局"]["group_n"] == 2 and peers["平潭综合实验区自然资源与生态环境局"]["small_group"]
    assert peers["上海市科委"]["group_n"] == 1 and summary["anomalies"] == []
    cells = _cells(result)
    first = cells.index("平潭综合实验区")
    assert cells[first - 1:first + 4] == ["1", "平潭综合实验区", "17.9%", "39", "218"]  # rank, rate in %, counts as integers


@pytest.mark.slow
def test_data_quality(tmp_path):
    summary, result = _render(tmp_path, "data_quality", "sample", {})
    sample = govdisclose.load_sample()
    cells = _cells(result)
    for message in govdisclose.validate(sample)["message"]:
        assert message in cells  # every finding in full, however long (wrapped, not cut)
    assert "pingtan_2019.txt" in cells  # the dropped duplicate, named relative to the data folder
    text = _visible_text(Path(result["html"]).read_text(encoding="utf-8"))
    assert "No failures: every report file was read." in text
    assert summary["failures"] == []
    assert {(d["year"], d["kept"], d["dropped"]) for d in summary["duplicates"]} == {
        (2019, "pingtan_2019.html", "pingtan_2019.txt"), (2024, "pingtan_2024.html", "pingtan_2024.txt")}
    assert len(summary["reports"]) == 16
    assert {"agency": "平潭综合实验区", "year": 2020} in summary["missing"]
    assert {"agency": "外交部", "year": 2023} not in summary["missing"]
    assert summary["unreadable_cells"] == int((sample["state"] == "unreadable").sum())
    findings = govdisclose.validate(sample)
    assert summary["findings_by_rule"] == findings.groupby("rule", observed=True).size().to_dict()
    assert summary["findings_by_rule"]["requests.row_total"] >= 2  # 沭阳 unfilled columns, 上海 blank total
    assert summary["reader_notes_by_rule"]["row.placed"] >= 4  # 上海科委: row labels detached in conversion


@pytest.mark.slow
def test_tutorial(tmp_path):
    summary, result = _render(tmp_path, "tutorial", "shanghai", {"report_file": "shanghai_stcsm_2024.txt"})
    assert (summary["agency"], summary["year"], summary["template"]) == ("上海市科委", 2024, "2021")
    assert summary["cells"] == 200 and summary["states"] == {"number": 199, "blank": 1, "na": 0, "unreadable": 0}
    assert summary["errors"] == 0
    assert summary["disclosure_rate"] == pytest.approx(9 / 35)
    assert summary["rank"] == 4 and summary["agencies_compared"] == 4  # 2024: 平潭 and its two departments, 上海科委
    text = " ".join(_visible_text(Path(result["html"]).read_text(encoding="utf-8")).split())
    assert "report_file = 'shanghai_stcsm_2024.txt'" in text  # the parameters of this run, not the defaults
    assert "<em>No findings" not in Path(result["html"]).read_text(encoding="utf-8")  # this report has two warnings, listed
    cells = _cells(result)
    assert cells[cells.index("disclosure_rate"):][:4] == ["disclosure_rate", "公开率（含部分公开）", "25.7%", "9"]


def test_an_interactive_run_writes_under_the_projects_reports(tmp_path):
    """Run All in Jupyter: the working directory is notebooks/, the outputs go to <project>/reports/."""
    notebooks = tmp_path / "project" / "notebooks"
    notebooks.mkdir(parents=True)
    shutil.copy(NOTEBOOKS_DIR / "tutorial.ipynb", notebooks / "tutorial.ipynb")
    execute_notebook(notebooks / "tutorial.ipynb", tmp_path / "executed.ipynb", {}, cwd=notebooks)
    summary = tmp_path / "project" / "reports" / "tutorial" / "default" / "summary.json"
    assert json.loads(summary.read_text(encoding="utf-8"))["agency"] == "外交部"
    assert not (notebooks / "reports").exists()


def test_the_git_filter_keeps_outputs_out_of_commits(tmp_path):
    """The dirty-notebook scenario: JupyterLab autosaves outputs; git sees the clean notebook."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    shutil.copy(REPO / ".gitattributes", repo / ".gitattributes")
    shutil.copy(NOTEBOOKS_DIR / "tutorial.ipynb", repo / "notebooks" / "tutorial.ipynb")
    ident = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    for args in (["init", "-q"], ["config", f"filter.{FILTER_NAME}.clean", f"{sys.executable} -m govdisclose.viz.nbstrip"],
                 ["config", f"filter.{FILTER_NAME}.smudge", "cat"], ["add", "."], [*ident, "commit", "-qm", "clean"]):
        assert _git(*args, cwd=repo).returncode == 0
    nb = nbformat.read(str(repo / "notebooks" / "tutorial.ipynb"), as_version=4)
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = i + 1
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="out\n")]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.2", "mimetype": "text/x-python"}
    nbformat.write(nb, str(repo / "notebooks" / "tutorial.ipynb"))  # what autosave after Run All leaves
    assert not is_clean((repo / "notebooks" / "tutorial.ipynb").read_text(encoding="utf-8"))
    assert _git("add", "notebooks/tutorial.ipynb", cwd=repo).returncode == 0
    assert _git("status", "--porcelain", cwd=repo).stdout == ""  # nothing to commit: git stores the clean notebook
    assert _as_git_commits_it(repo / "notebooks" / "tutorial.ipynb") == (NOTEBOOKS_DIR / "tutorial.ipynb").read_text(encoding="utf-8")


def test_the_filter_is_wired_into_setup():
    attributes = (REPO / ".gitattributes").read_text(encoding="utf-8")
    assert f"notebooks/*.ipynb filter={FILTER_NAME}" in attributes
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert f"filter.{FILTER_NAME}.clean" in makefile and "-m govdisclose.viz.nbstrip" in makefile
    setup = makefile[makefile.index("\nsetup:"):].split("\n\n")[0]
    assert "notebook-filters" in setup


def test_cleaning_a_dirty_notebook_from_the_command_line(tmp_path):
    dirty = tmp_path / "nb.ipynb"
    nb = nbformat.read(str(NOTEBOOKS_DIR / "data_quality.ipynb"), as_version=4)
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="out\n")]
    nb.cells[2].execution_count = 1
    nbformat.write(nb, str(dirty))
    check = subprocess.run([sys.executable, "-m", "govdisclose.viz.nbstrip", "--check", str(dirty)], capture_output=True, text=True)
    assert check.returncode == 1 and "has outputs" in check.stderr
    assert subprocess.run([sys.executable, "-m", "govdisclose.viz.nbstrip", str(dirty)], capture_output=True).returncode == 0
    assert dirty.read_text(encoding="utf-8") == (NOTEBOOKS_DIR / "data_quality.ipynb").read_text(encoding="utf-8")


def test_the_peers_parameter_file_names_known_notebooks_and_parameters():
    from govdisclose.viz.params import read_params

    runs = read_params(NOTEBOOKS_DIR / "params" / "peers.yml")
    assert [(r.notebook, r.parameters["peer_by"]) for r in runs] == [("agency_profile", ["level", "scope"]), ("cross_agency", ["level", "scope"])]
