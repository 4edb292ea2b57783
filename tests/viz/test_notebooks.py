"""The notebooks: committed without outputs, one parameters cell of plain literals, and each one
executed once (papermill, real parameters, bundled data) with its summary checked."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

import govdisclose
from govdisclose.viz.params import NOTEBOOKS_DIR
from govdisclose.viz.render import render_notebooks

NOTEBOOKS = ["agency_profile", "cross_agency", "data_quality", "tutorial"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_without_outputs_and_with_one_parameters_cell(name):
    nb = nbformat.read(str(NOTEBOOKS_DIR / f"{name}.ipynb"), as_version=4)
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


def _render(tmp_path: Path, notebook: str, slug: str, parameters: dict) -> tuple[dict, pd.Series]:
    params = tmp_path / "params.yml"
    params.write_text(yaml.safe_dump({"runs": [{"notebook": notebook, "slug": slug, "parameters": parameters}]},
                                     allow_unicode=True), encoding="utf-8")
    result = render_notebooks(params, output_dir=tmp_path / "reports").iloc[0]
    assert result["status"] == "ok", result["error"]
    assert result["stderr_outputs"] == 0  # no warning printed in the kernel (e.g. a missing CJK glyph)
    html = Path(result["html"]).read_text(encoding="utf-8")
    assert Path(result["html"]) == tmp_path / "reports" / notebook / f"{slug}.html"
    assert "write_summary(" not in html and "import govdisclose" not in html  # code hidden
    assert "Traceback" not in html and "live in Jupyter only" in html
    assert html.count('alt="figure of') == html.count("<img")
    summary = json.loads(Path(result["summary"]).read_text(encoding="utf-8"))
    for name in summary.get("figures", {}).values():
        assert (Path(result["summary"]).parent / name).read_bytes().startswith(b"\x89PNG")
    assert html.count("<img") == len(summary.get("figures", {}))
    manifest = json.loads((tmp_path / "reports" / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["runs"][0]
    assert entry["parameters"] | {"output_dir": None} == parameters | {"output_dir": None}
    assert entry["package_version"] == govdisclose.__version__ and len(entry["data_hash"]) == 64
    return summary, result


def test_agency_profile(tmp_path):
    summary, _ = _render(tmp_path, "agency_profile", "pingtan-recent", {"agency": "平潭综合实验区", "years": [2021, 2023, 2024]})
    assert summary["agency"] == "平潭综合实验区" and summary["scope"] == "whole_area"
    assert summary["years"] == [2021, 2023, 2024]
    assert summary["indicators"]["requests_received"] == {"2021": 70, "2023": 81, "2024": 218}
    assert summary["indicators"]["litigation_count"] == {"2021": 12, "2023": 7, "2024": 19}
    assert summary["indicators"]["normative_documents_in_force"] == {"2021": None, "2023": None, "2024": 440}
    assert summary["carry_over"] == [{"year": 2024, "carried_over": 0, "previous_carried_forward": 0, "agrees": True}]
    assert summary["not_comparable"] == []  # 2021 onward: one template
    assert set(summary["figures"]) == {"outcome_composition", "applicant_mix", "licensing_trend"}
    assert {"indicators.csv", "year_over_year.csv", "findings.csv"} == set(summary["tables"])
    yoy = pd.read_csv(tmp_path / "reports" / "agency_profile" / "pingtan-recent" / "year_over_year.csv")
    row = yoy[(yoy["indicator"] == "requests_received") & (yoy["year"] == 2024)].iloc[0]
    assert (row["previous_year"], row["change"]) == (2023, 137)


def test_cross_agency(tmp_path):
    summary, _ = _render(tmp_path, "cross_agency", "2024-denial", {"year": 2024, "agencies": [], "indicator": "denial_rate"})
    assert summary["year"] == 2024 and summary["indicator"] == "denial_rate"
    ranking = {r["agency"]: r for r in summary["ranking"]}
    assert list(ranking) == ["平潭综合实验区", "上海市科委", "平潭综合实验区社会事业局", "平潭综合实验区自然资源与生态环境局"]
    assert ranking["平潭综合实验区"]["value"] == pytest.approx(39 / 218) and ranking["平潭综合实验区"]["rank"] == 1
    assert (ranking["平潭综合实验区自然资源与生态环境局"]["numerator"], ranking["平潭综合实验区自然资源与生态环境局"]["denominator"]) == (0, 69)  # zrz 2024: 69 requests
    assert (ranking["上海市科委"]["numerator"], ranking["上海市科委"]["denominator"]) == (2, 35)
    assert ranking["上海市科委"]["scope"] == "department"
    assert any(c.startswith("whole-area and department reports") for c in summary["caveats"])
    assert set(summary["figures"]) == {"ranking", "outcome_heatmap", "distribution"}


def test_data_quality(tmp_path):
    summary, _ = _render(tmp_path, "data_quality", "sample", {})
    sample = govdisclose.load_sample()
    assert summary["failures"] == []
    assert {(d["year"], d["kept"], d["dropped"]) for d in summary["duplicates"]} == {
        (2019, "pingtan_2019.html", "pingtan_2019.txt"), (2024, "pingtan_2024.html", "pingtan_2024.txt")}
    assert len(summary["reports"]) == 16
    assert {"agency": "平潭综合实验区", "year": 2020} in summary["missing"]
    assert {"agency": "外交部", "year": 2023} not in summary["missing"]
    assert summary["unreadable_cells"] == int((sample["state"] == "unreadable").sum())
    findings = govdisclose.validate(sample)
    assert summary["findings_by_rule"] == findings.groupby("rule").size().to_dict()
    assert summary["findings_by_rule"]["requests.row_total"] >= 2  # 沭阳 unfilled columns, 上海 blank total
    assert summary["reader_notes_by_rule"]["row.placed"] >= 4  # 上海科委: row labels detached in conversion


def test_tutorial(tmp_path):
    summary, _ = _render(tmp_path, "tutorial", "shanghai", {"report_file": "shanghai_stcsm_2024.txt"})
    assert (summary["agency"], summary["year"], summary["template"]) == ("上海市科委", 2024, "2021")
    assert summary["cells"] == 200 and summary["states"] == {"number": 199, "blank": 1, "na": 0, "unreadable": 0}
    assert summary["errors"] == 0
    assert summary["disclosure_rate"] == pytest.approx(9 / 35)
    assert summary["rank"] == 4 and summary["agencies_compared"] == 4  # 2024: 平潭 and its two departments, 上海科委
