"""Inline markup means what a reader of the page sees (spec §4a, issue 9), in HTML and DOCX.

Every variant is a real report with real figures: the saved 平潭 2024 page (its printed cells
wrapped in struck-through, hidden, raised or form markup) and the official blank 2021 template
filled with :func:`docx_fixtures.sample_values` (cells printed as several formatted runs). Each
read is compared cell by cell with the truth: exact, or ``unreadable`` where the markup leaves
the value in doubt (a footnote mark on a number) — never a wrong number.
"""

from __future__ import annotations

import csv
import re
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from govdisclose.readers import read_document
from govdisclose.readers.docx.styles import STRUCK_CELL as DOCX_STRUCK_CELL
from govdisclose.readers.html import read as read_html
from govdisclose.readers.html.visible import STRUCK_CELL

from conftest import corpus_file, truth_file
from docx_fixtures import Runs, deleted, fill_template, inserted, run, sample_values
from truthcheck import compare

APPLICANTS = (
    "natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
    "legal_service_org", "other_org", "total",
)

# Rows of the 平潭 2024 page (their label cell as printed) and the codes of their value cells.
ROWS: dict[str, list[tuple[str, str, str | None]]] = {
    "一、本年新收政府信息公开申请数量": [("requests", "new_received", a) for a in APPLICANTS],
    "（一）予以公开": [("requests", "granted", a) for a in APPLICANTS],
    "3.其他": [("requests", "other_handling.other", a) for a in APPLICANTS],
    "（七）总计": [("requests", "total_processed", a) for a in APPLICANTS],
    "行政规范性文件": [("active_disclosure", f"normative_documents.{p}", None) for p in ("issued", "repealed", "in_force")],
    "行政事业性收费": [("active_disclosure", "fees.amount", None)],
}
_VALUE_CELL = re.compile(r"<td\b[^>]*>\s*<p\b[^>]*>\s*(\d+(?:\.\d+)?)\s*</p>\s*</td>")


# -- HTML ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page() -> str:
    return corpus_file("pingtan_2024.html").read_text(encoding="utf-8")


def _wrap(page: str, markup: Callable[[str], str], rows: tuple[str, ...] = tuple(ROWS)) -> tuple[str, dict]:
    """The page with each value cell of ``rows`` printed as ``markup(value)``; returns the page
    and the printed value of each edited cell by its code."""
    edits: list[tuple[int, int, str]] = []
    printed: dict[tuple[str, str, str | None], str] = {}
    for label in rows:
        at = page.index(f">{label}<")
        end = page.index("</tr>", at)
        cells = list(_VALUE_CELL.finditer(page, at, end))
        keys = ROWS[label]
        assert len(cells) == len(keys), f"row {label}: {len(cells)} value cells on the page"
        for match, key in zip(cells, keys):
            edits.append((match.start(1), match.end(1), match.group(1)))
            printed[key] = match.group(1)
    for start, end, value in sorted(edits, reverse=True):
        page = page[:start] + markup(value) + page[end:]
    return page, printed


def _with_style(page: str, css: str) -> str:
    return page.replace("</head>", f"<style type=\"text/css\">{css}</style></head>", 1)


def _report(tmp_path: Path, html: str, name: str = "pingtan_2024.html"):
    from govdisclose import read_report

    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return read_report(path)


def _metric(report, key: tuple[str, str, str | None]):
    m = report.metrics
    rows = m[(m["table"] == key[0]) & (m["item"] == key[1])]
    if key[2] is not None:
        rows = rows[rows["applicant"] == key[2]]
    (row,) = rows.itertuples(index=False)
    return row


def _assert_exact(report, truth: Path, printed: dict) -> None:
    """Every cell exact against the truth, and each edited cell's raw text is the printed value."""
    result = compare(report.metrics, truth)
    assert {k: v for k, v in result.items() if k != "exact" and v} == {}
    assert len(result["exact"]) == 200
    for key, value in printed.items():
        assert _metric(report, key).raw == value, key


STRUCK = {
    "del": lambda v: f"<del>70</del>{v}",
    "s": lambda v: f"<s>70</s>{v}",
    "strike": lambda v: f"<strike>70</strike>{v}",
    "struck_after": lambda v: f"{v}<strike>0</strike>",
    "line_through_inline": lambda v: f'<span style="text-decoration: line-through">70</span>{v}',
    "line_through_long_form": lambda v: f"<span style='TEXT-DECORATION-LINE:line-through;color:red'>70</span>{v}",
    "line_through_class": lambda v: f'<span class="old">70</span>{v}',
    "line_through_descendant_rule": lambda v: f'<font class="rev"><b>70</b></font>{v}',
}


@pytest.mark.parametrize("variant", sorted(STRUCK))
def test_struck_through_text_is_not_part_of_the_value(tmp_path: Path, page: str, variant: str) -> None:
    html, printed = _wrap(page, STRUCK[variant])
    html = _with_style(html, ".old { text-decoration: line-through } .TRS_Editor .rev b { text-decoration: line-through }")
    report = _report(tmp_path, html)
    _assert_exact(report, truth_file("pingtan_2024"), printed)


def test_struck_through_notes_and_grid(page: str) -> None:
    html, _ = _wrap(page, STRUCK["del"], rows=("一、本年新收政府信息公开申请数量",))
    doc = read_html(Path("p.html"), html.encode("utf-8"))
    assert _grid_row(doc, "一、本年新收政府信息公开申请数量")[-7:] == ["217", "1", "0", "0", "0", "0", "218"]
    assert "struck-through text was left out (7 places)" in doc.notes


def _grid_row(doc, label: str) -> list[str]:
    """The printed texts of the table row holding a cell that reads ``label``."""
    return next([c.text for c in r] for t in doc.tables for r in t.rows if any(c.text == label for c in r))


def _assert_flagged(report, truth: Path, edited: set) -> None:
    """The edited cells are flagged (unreadable); every other cell is exact or flagged; none wrong."""
    result = compare(report.metrics, truth)
    assert result["wrong"] == [] and result["missing"] == [] and result["extra"] == []
    flagged = {key for key, _, _ in result["flagged"]}
    assert edited <= flagged
    assert len(result["exact"]) + len(flagged) == 200


def test_a_cell_struck_through_whole_is_flagged_not_blank(tmp_path: Path, page: str) -> None:
    html, printed = _wrap(page, lambda v: f"<del>{v}</del>", rows=("（一）予以公开",))
    doc = read_html(Path("p.html"), html.encode("utf-8"))
    assert _grid_row(doc, "（一）予以公开")[-7:] == [STRUCK_CELL] * 7
    _assert_flagged(_report(tmp_path, html), truth_file("pingtan_2024"), set(printed))


def test_a_struck_cell_is_flagged_with_its_row(tmp_path: Path, page: str) -> None:
    html, printed = _wrap(page, lambda v: f"<del>{v}</del>" if v == "71" else v, rows=("（一）予以公开",))
    report = _report(tmp_path, html)
    edited = {key for key, value in printed.items() if value == "71"}
    assert edited == {("requests", "granted", "natural_person"), ("requests", "granted", "total")}
    _assert_flagged(report, truth_file("pingtan_2024"), edited)
    doc = read_html(Path("p.html"), html.encode("utf-8"))
    assert _grid_row(doc, "（一）予以公开")[-7:] == [STRUCK_CELL, "0", "0", "0", "0", "0", STRUCK_CELL]


MARKS = {
    "sub": lambda v: f"{v}<sub>1</sub>",
    "sup": lambda v: f"{v}<sup>1</sup>",
    "vertical_align": lambda v: f'{v}<span style="vertical-align: super; font-size: 9px">2</span>',
}


@pytest.mark.parametrize("variant", sorted(MARKS))
def test_footnote_marks_never_run_into_the_number(tmp_path: Path, page: str, variant: str) -> None:
    """``71<sub>1</sub>`` is never 711: the cell keeps its mark apart (``71_1``) and is flagged."""
    rows = ("一、本年新收政府信息公开申请数量", "行政事业性收费")
    html, printed = _wrap(page, MARKS[variant], rows=rows)
    doc = read_html(Path("p.html"), html.encode("utf-8"))
    mark = "_" if variant == "sub" else "^"
    note = "2" if variant == "vertical_align" else "1"
    assert _grid_row(doc, "一、本年新收政府信息公开申请数量")[-7:] == [f"{v}{mark}{note}" for v in ("217", "1", "0", "0", "0", "0", "218")]
    assert _grid_row(doc, "行政事业性收费")[-1] == f"18651.06{mark}{note}"
    _assert_flagged(_report(tmp_path, html), truth_file("pingtan_2024"), set(printed))


HIDDEN = {
    "class": lambda v: f'<span class="hide">9</span>{v}',
    "id_rule": lambda v: f'<span id="n{v.replace(".", "-")}">9</span>{v}',
    "inline": lambda v: f'<span style="display:none">9</span>{v}',
    "inline_uppercase": lambda v: f'<SPAN STYLE="DISPLAY: NONE">9</SPAN>{v}',
    "visibility": lambda v: f'<i style="visibility:hidden">9</i>{v}',
    "hidden_attribute": lambda v: f"<span hidden>9</span>{v}",
    # the style attribute 8 lines above the end of its start tag, and 8 lines below its start
    "attribute_far_from_tag_end": lambda v: "<span style='display:none'" + "\n  title='注'" * 8 + "\n>9</span>" + v,
    "attribute_far_from_tag_start": lambda v: "<span\n\n\n\n\n\n\n\nstyle='display:none'>\n\n\n\n\n\n\n\n9</span>" + v,
    "hidden_block_far_from_text": lambda v: '<div style="display:none">\n' + "<br>\n" * 8 + f"9</div>{v}",
    "visible_again_inside_hidden": lambda v: f'<span style="visibility:hidden">9<b style="visibility:visible">{v}</b></span>',
}


@pytest.mark.parametrize("variant", sorted(HIDDEN))
def test_hidden_text_is_not_printed(tmp_path: Path, page: str, variant: str) -> None:
    html, printed = _wrap(page, HIDDEN[variant])
    css = ".hide{display:none}" + "".join(f"#n{v.replace('.', '-')}{{display:none}}" for v in set(printed.values()))
    report = _report(tmp_path, _with_style(html, css))
    _assert_exact(report, truth_file("pingtan_2024"), printed)


def test_a_more_specific_rule_shows_what_a_class_hides(tmp_path: Path, page: str) -> None:
    html, printed = _wrap(page, lambda v: f'<span class="hide shown">{v}</span>')
    report = _report(tmp_path, _with_style(html, "span.hide.shown{display:inline} .hide{display:none}"))
    _assert_exact(report, truth_file("pingtan_2024"), printed)


def test_stylesheet_cascade_visible_again_and_child_rules(tmp_path: Path, page: str) -> None:
    """A class sets ``visibility:visible`` under a hidden span; a child rule strikes only its target."""
    html, printed = _wrap(page, lambda v: f'<span class="gone">9<em class="back">{v}</em></span><i><u>70</u></i>')
    css = ".gone{visibility:hidden} span.gone em.back{visibility:visible} td p > i > u{text-decoration:line-through}"
    _assert_exact(_report(tmp_path, _with_style(html, css)), truth_file("pingtan_2024"), printed)


def test_a_big_site_stylesheet_reads_in_bounded_time(tmp_path: Path, page: str) -> None:
    """2,000 rules (descendant selectors, ``*``, tag rules) cost little: rules are indexed by key
    and rejected by their ancestors' keys before they are matched."""
    rules = []
    for k in range(2000):
        rules.append(
            (f".c{k} a {{text-decoration:none}}", f"div.m{k} > ul li {{display:block}}", f"#id{k} p, td span.x{k} {{display:none}}",
             f"td.t{k}, th, p, span {{vertical-align: middle}}", f".n{k} * {{visibility: visible}}")[k % 5]
        )
    html, printed = _wrap(page, lambda v: f'<span class="x5">9</span>{v}')
    html = _with_style(html, "\n".join(rules) + "\ntd span.x5 { display: none }")
    start = time.perf_counter()
    report = _report(tmp_path, html)
    assert time.perf_counter() - start < 5
    _assert_exact(report, truth_file("pingtan_2024"), printed)


def test_print_only_and_unsupported_rules_do_not_hide(tmp_path: Path, page: str) -> None:
    """A rule for print, or with a selector the reader does not match, leaves text shown (and the
    unsupported one is noted); the value cells read as printed."""
    html, printed = _wrap(page, lambda v: f'<span class="p">{v}</span>')
    css = "@media print { .p {display:none} } .p:hover {display:none}"
    report = _report(tmp_path, _with_style(html, css))
    _assert_exact(report, truth_file("pingtan_2024"), printed)
    doc = read_html(Path("p.html"), _with_style(html, css).encode("utf-8"))
    assert any("not applied" in n and ".p:hover" in n for n in doc.notes)


FORMS = {
    "input": lambda v: f'<input type="text" value="{v}" readonly>',
    "input_untyped": lambda v: f"<input value={v}>",
    "textarea": lambda v: f"<textarea rows=1>{v}</textarea>",
    "select": lambda v: f"<select><option>999</option><option selected>{v}</option></select>",
    "select_first": lambda v: f"<select><option>{v}</option><option>999</option></select>",
}


@pytest.mark.parametrize("variant", sorted(FORMS))
def test_form_field_values_are_printed_text(tmp_path: Path, page: str, variant: str) -> None:
    html, printed = _wrap(page, FORMS[variant])
    _assert_exact(_report(tmp_path, html), truth_file("pingtan_2024"), printed)


def test_hidden_and_button_fields_print_nothing(page: str) -> None:
    html, _ = _wrap(page, lambda v: f'<input type="hidden" value="9"><input type="submit" value="8">{v}', rows=("（七）总计",))
    doc = read_html(Path("p.html"), html.encode("utf-8"))
    assert _grid_row(doc, "（七）总计")[-7:] == ["217", "1", "0", "0", "0", "0", "218"]


@pytest.mark.parametrize("count", [300, 3000])
def test_unclosed_font_tags_in_prose_are_read(tmp_path: Path, page: str, count: int) -> None:
    """Old CMS editors leave hundreds of <font> open: the page is read, in bounded time and memory."""
    at = page.index("总体情况")
    html = page[:at] + "".join(f'<font color="#33333{k % 10}" size=3>第{k}段' for k in range(count)) + page[at:]
    tracemalloc.start()
    start = time.perf_counter()
    report = _report(tmp_path, html)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    _assert_exact(report, truth_file("pingtan_2024"), {})
    assert elapsed < 10 and peak < 200 * 2**20
    doc = read_html(Path("p.html"), html.encode("utf-8"))
    assert any("第299段" in p.text for p in doc.paragraphs)


def test_unclosed_font_tags_that_hide_text_are_not_flattened(page: str) -> None:
    """Flattening takes out only plain formatting tags: one that can hide keeps its meaning, and
    a page that cannot be read within the parser's depth limit is refused, not misread."""
    from govdisclose.exceptions import DocumentTooLargeError

    at = page.index("总体情况")
    html = page[:at] + '<font style="display:none">' * 3000 + page[at:]
    with pytest.raises(DocumentTooLargeError, match="depth"):
        read_html(Path("deep.html"), html.encode("utf-8"))


# -- DOCX ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(corpus_dir: Path) -> Path:
    path = corpus_dir / "template_2021_blank.docx"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path


# Cells of the filled template given inline formatting, with a non-zero printed value each.
DOCX_CELLS: tuple[tuple[str, str, str | None], ...] = (
    ("active_disclosure", "licensing.decisions", None),
    ("active_disclosure", "fees.amount", None),
    ("requests", "new_received", "natural_person"),
    ("requests", "new_received", "total"),
    ("requests", "granted", "commercial_enterprise"),
    ("requests", "unable.not_held", "total"),
    ("review_litigation", "review.upheld", None),
    ("review_litigation", "litigation_after_review.total", None),
)

STYLES = (
    '<w:style w:type="character" w:customStyle="1" w:styleId="Revised"><w:name w:val="Revised"/>'
    '<w:rPr><w:strike/><w:color w:val="FF0000"/></w:rPr></w:style>'
    '<w:style w:type="character" w:customStyle="1" w:styleId="RevisedNote"><w:name w:val="Revised note"/>'
    '<w:basedOn w:val="Revised"/><w:rPr><w:vanish w:val="0"/></w:rPr></w:style>'
    '<w:style w:type="character" w:customStyle="1" w:styleId="Mark"><w:name w:val="Mark"/>'
    '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
)

DOCX_EXACT: dict[str, Callable[[str], Runs]] = {
    "strike": lambda v: Runs((run("70", "<w:strike/>"), run(v))),
    "dstrike": lambda v: Runs((run(v), run("0", "<w:dstrike/>"))),
    "strike_inside": lambda v: Runs((run(v[:1]), run("9", '<w:strike w:val="true"/>'), run(v[1:]))),
    "strike_by_character_style": lambda v: Runs((run("70", '<w:rStyle w:val="Revised"/>'), run(v))),
    "strike_by_based_on_style": lambda v: Runs((run("70", '<w:rStyle w:val="RevisedNote"/>'), run(v))),
    "strike_turned_off": lambda v: Runs((run(v[:1], '<w:strike w:val="0"/>'), run(v[1:]))),
    "vanish": lambda v: Runs((run("9", "<w:vanish/>"), run(v))),
    "tracked_change": lambda v: Runs((deleted("70"), inserted(v))),
    "tracked_change_inside": lambda v: Runs((run(v[:1]), deleted("5"), inserted(v[1:]))),
}


def _truth_csv(values: dict, path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["table", "item", "applicant", "value"])
        for (table, item, applicant), value in values.items():
            writer.writerow([table, item, applicant or "", value])
    return path


def _docx_report(template: Path, tmp_path: Path, markup: Callable[[str], Runs], name: str):
    from govdisclose import read_report

    truth = sample_values()
    assert all(truth[key] not in ("", "0", "/", "—") for key in DOCX_CELLS)
    values: dict = {**truth, **{key: markup(truth[key]) for key in DOCX_CELLS}}
    path = fill_template(template, values, tmp_path / f"{name}.docx", styles=STYLES)
    return read_report(path), _truth_csv(truth, tmp_path / f"{name}.csv"), truth


@pytest.mark.parametrize("variant", sorted(DOCX_EXACT))
def test_docx_struck_hidden_and_deleted_runs_are_not_part_of_the_value(template: Path, tmp_path: Path, variant: str) -> None:
    report, truth_path, truth = _docx_report(template, tmp_path, DOCX_EXACT[variant], variant)
    result = compare(report.metrics, truth_path)
    assert {k: v for k, v in result.items() if k != "exact" and v} == {}
    assert len(result["exact"]) == 200
    for key in DOCX_CELLS:
        assert _metric(report, key).raw == truth[key], key


DOCX_MARKS: dict[str, Callable[[str], Runs]] = {
    "superscript": lambda v: Runs((run(v), run("1", '<w:vertAlign w:val="superscript"/>'))),
    "subscript": lambda v: Runs((run(v), run("1", '<w:vertAlign w:val="subscript"/>'))),
    "superscript_by_style": lambda v: Runs((run(v), run("2", '<w:rStyle w:val="Mark"/>'))),
}


@pytest.mark.parametrize("variant", sorted(DOCX_MARKS))
def test_docx_footnote_marks_never_run_into_the_number(template: Path, tmp_path: Path, variant: str) -> None:
    report, truth_path, truth = _docx_report(template, tmp_path, DOCX_MARKS[variant], variant)
    doc = read_document(tmp_path / f"{variant}.docx")
    mark, note = ("_", "1") if variant == "subscript" else ("^", "2" if variant.endswith("style") else "1")
    assert _grid_row(doc, "行政许可")[-1] == f"{truth[DOCX_CELLS[0]]}{mark}{note}"
    assert _grid_row(doc, "行政事业性收费")[-1] == f"5270.6597{mark}{note}"
    _assert_flagged(report, truth_path, set(DOCX_CELLS))


def test_docx_cell_struck_through_whole_is_flagged_not_blank(template: Path, tmp_path: Path) -> None:
    report, truth_path, truth = _docx_report(template, tmp_path, lambda v: Runs((run(v, "<w:strike/>"),)), "struck_whole")
    doc = read_document(tmp_path / "struck_whole.docx")
    assert _grid_row(doc, "行政许可")[-1] == DOCX_STRUCK_CELL == STRUCK_CELL
    _assert_flagged(report, truth_path, set(DOCX_CELLS))


def test_docx_notes_say_what_was_left_out(template: Path, tmp_path: Path) -> None:
    truth = sample_values()
    values = {**truth, DOCX_CELLS[0]: DOCX_EXACT["strike"](truth[DOCX_CELLS[0]])}
    doc = read_document(fill_template(template, values, tmp_path / "note.docx"))
    assert "struck-through text (w:strike) was left out" in doc.notes
    assert _grid_row(doc, "行政许可")[-1] == truth[DOCX_CELLS[0]]
