"""One marked cell costs only itself (spec §4a): a footnote mark after a number (``71^1``, ``71_1``
as the HTML/DOCX readers render ``<sup>``/``<sub>``) and a cell struck through whole
(``[struck-through]``) are value slots that come back ``unreadable``; the rest of their row is
read. Variants of the real bundled page data/pingtan_2024.html, compared with its truth.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import corpus_file, truth_file
from truthcheck import compare

# The page's value cells: <td …><p …>71</p></td>
_VALUE_CELL = re.compile(r"<td\b[^>]*>\s*<p\b[^>]*>\s*(\d+(?:\.\d+)?)\s*</p>\s*</td>")
APPLICANTS = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
              "legal_service_org", "other_org", "total")


@pytest.fixture(scope="module")
def page() -> str:
    return corpus_file("pingtan_2024.html").read_text(encoding="utf-8")


def _edit_row(page: str, label: str, markup) -> tuple[str, dict[int, str]]:
    """The page with each value cell of the row labelled ``label`` printed as ``markup(k, value)``
    (``None``: unchanged); returns the page and the edited cells' values by their column."""
    at = page.index(f">{label}<")
    cells = list(_VALUE_CELL.finditer(page, at, page.index("</tr>", at)))
    edited = {}
    for k, match in reversed(list(enumerate(cells))):
        new = markup(k, match.group(1))
        if new is not None:
            page = page[:match.start(1)] + new + page[match.end(1):]
            edited[k] = match.group(1)
    return page, edited


def _read(tmp_path: Path, html: str):
    import govdisclose

    path = tmp_path / "pingtan_2024.html"
    path.write_text(html, encoding="utf-8")
    report = govdisclose.read_report(path)
    return report, compare(report.metrics, truth_file("pingtan_2024"))


MARKS = {
    "sup": (lambda v: f"{v}<sup>1</sup>", "a footnote mark after the number"),
    "sub": (lambda v: f"{v}<sub>1</sub>", "a footnote mark after the number"),
    "struck-whole": (lambda v: f"<del>{v}</del>", "struck through"),
}


@pytest.mark.parametrize("variant", sorted(MARKS))
@pytest.mark.parametrize("label,item,column", [("一、本年新收政府信息公开申请数量", "new_received", 0),
                                               ("（一）予以公开", "granted", 6)])
def test_one_marked_cell_costs_only_itself(tmp_path, page, variant, label, item, column):
    markup, reason = MARKS[variant]
    baseline = _read(tmp_path, page)[1]
    html, edited = _edit_row(page, label, lambda k, v: markup(v) if k == column else None)
    assert list(edited) == [column]
    report, result = _read(tmp_path, html)
    assert result["wrong"] == [] and result["missing"] == [] and result["extra"] == []
    key = ("requests", item, APPLICANTS[column])
    flagged = {k: why for k, _, why in result["flagged"]}
    assert set(flagged) - {k for k, _, _ in baseline["flagged"]} == {key}, "only the marked cell is lost"
    assert reason in flagged[key]
    row = report.metrics[(report.metrics["item"] == item) & (report.metrics["applicant"] == APPLICANTS[column])].iloc[0]
    assert row["state"] == "unreadable" and row["raw"] != ""
    # the rest of the row is read exactly
    exact = {k for k, *_ in result["exact"]}
    assert {("requests", item, a) for a in APPLICANTS if a != APPLICANTS[column]} <= exact


def test_a_marked_fee_is_flagged_and_its_neighbours_read(tmp_path, page):
    html, edited = _edit_row(page, "行政事业性收费", lambda k, v: f"{v}<sup>2</sup>")
    assert len(edited) == 1
    report, result = _read(tmp_path, html)
    assert result["wrong"] == [] and result["missing"] == []
    flagged = {k: why for k, _, why in result["flagged"]}
    assert "a footnote mark after the number" in flagged[("active_disclosure", "fees.amount", None)]


DOCX_MARKS = {
    "superscript": (lambda v: ((v, ""), ("1", '<w:vertAlign w:val="superscript"/>')), "a footnote mark after the number"),
    "subscript": (lambda v: ((v, ""), ("1", '<w:vertAlign w:val="subscript"/>')), "a footnote mark after the number"),
    "struck-whole": (lambda v: ((v, "<w:strike/>"),), "struck through"),
}


@pytest.mark.parametrize("variant", sorted(DOCX_MARKS))
def test_one_marked_docx_cell_costs_only_itself(tmp_path, variant):
    """The official 2021 template filled with the sample figures, one table-3 cell marked."""
    import govdisclose

    from conftest import CORPUS
    from docx_fixtures import Runs, fill_template, run, sample_values

    template = CORPUS / "template_2021_blank.docx"
    if not template.exists():
        pytest.skip(f"the official blank template is not in the shared corpus at {CORPUS}")
    truth = sample_values()
    key = ("requests", "granted", "natural_person")
    markup, reason = DOCX_MARKS[variant]
    assert truth[key] not in ("", "0", "/")
    values = {**truth, key: Runs(run(t, props) for t, props in markup(truth[key]))}
    report = govdisclose.read_report(fill_template(template, values, tmp_path / f"{variant}.docx"))
    from test_variants import write_truth

    result = compare(report.metrics, write_truth(tmp_path / "truth.csv", truth))
    assert result["wrong"] == [] and result["missing"] == []
    flagged = {k: why for k, _, why in result["flagged"]}
    assert list(flagged) == [key] and reason in flagged[key]


# -- Markdown strikethrough in a pipe-table cell (the real Markdown page data/shanghai_stcsm_2024.txt)

def _markdown_row(text: str, label: str, edit) -> str:
    """The page with the value cells of the pipe row labelled ``label`` rewritten by ``edit(k, value)``."""
    lines = text.split("\n")
    (at,) = [k for k, line in enumerate(lines) if line.startswith("|") and f"| {label} |" in line]
    cells = lines[at].split("|")
    start = next(k for k, c in enumerate(cells) if c.strip() == label) + 1
    for j in range(start, len(cells)):
        value = cells[j].strip()
        if value:
            new = edit(j - start, value)
            if new is not None:
                cells[j] = f" {new} "
    lines[at] = "|".join(cells)
    return "\n".join(lines)


def _read_md(tmp_path: Path, text: str):
    import govdisclose

    path = tmp_path / "shanghai_stcsm_2024.txt"
    path.write_text(text, encoding="utf-8")
    report = govdisclose.read_report(path)
    return compare(report.metrics, truth_file("shanghai_stcsm_2024"))


def test_markdown_strikethrough_is_not_part_of_the_value(tmp_path):
    """``~~33~~32``: the page shows 32 (the agency's correction), so the cell reads 32."""
    page = corpus_file("shanghai_stcsm_2024.txt").read_text(encoding="utf-8")
    baseline = _read_md(tmp_path, page)
    edited = _markdown_row(page, "一、本年新收政府信息公开申请数量", lambda k, v: f"~~{int(v) + 1}~~{v}")
    edited = _markdown_row(edited, "（七）总计", lambda k, v: f"~~{v}0~~{v}" if k == 6 else None)
    assert edited.count("~~") == 16
    result = _read_md(tmp_path, edited)
    assert result["wrong"] == [] and result["missing"] == []
    assert len(result["exact"]) == len(baseline["exact"]) and len(result["flagged"]) == len(baseline["flagged"])


def test_markdown_cell_struck_through_whole_is_flagged_not_blank(tmp_path):
    page = corpus_file("shanghai_stcsm_2024.txt").read_text(encoding="utf-8")
    baseline = {k for k, *_ in _read_md(tmp_path, page)["flagged"]}
    edited = _markdown_row(page, "一、本年新收政府信息公开申请数量", lambda k, v: f"~~{v}~~" if k == 0 else None)
    result = _read_md(tmp_path, edited)
    assert result["wrong"] == [] and result["missing"] == []
    flagged = {k: why for k, _, why in result["flagged"]}
    assert set(flagged) - baseline == {("requests", "new_received", "natural_person")}
    assert "struck through" in flagged[("requests", "new_received", "natural_person")]
