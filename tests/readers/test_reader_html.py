"""The HTML reader: real saved pages (平潭 2019/2024, 沭阳发改局 2023) and small fixtures.

Document-level checks (grid shape, cell text and location) plus end-to-end checks of
``read_report`` against the hand-checked truth CSVs.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from govdisclose.exceptions import (
    CorruptDocumentError,
    DocumentTooLargeError,
    EmptyDocumentError,
    GovDiscloseError,
)
from govdisclose.readers import html as html_reader
from govdisclose.readers import read_document
from govdisclose.readers.html import clean_text, decode_html, read, read_tables
from govdisclose.readers.model import Document, Paragraph, Table

from conftest import corpus_file, truth_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
APPLICANT_ORDER = [
    "natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
    "legal_service_org", "other_org", "total",
]


def _read(path: Path) -> Document:
    return read(path, path.read_bytes())


def _read_text(html: str, name: str = "page.html", encoding: str = "utf-8") -> Document:
    return read(Path(name), html.encode(encoding))


def _row(table: Table, label: str) -> list:
    """The first row of ``table`` whose first cell reads ``label``."""
    for row in table.rows:
        if row[0].text == label:
            return row
    raise AssertionError(f"no row {label!r} in {table.location}")


def _table_with(doc: Document, label: str) -> Table:
    for table in doc.tables:
        if any(row[0].text == label for row in table.rows):
            return table
    raise AssertionError(f"no table has a row {label!r}")


def _truth_values(stem: str, item: str) -> list[str]:
    import csv

    with truth_file(stem).open(encoding="utf-8") as fh:
        rows = {r["applicant"]: r["value"] for r in csv.DictReader(fh) if r["table"] == "requests" and r["item"] == item}
    return [rows[a] for a in APPLICANT_ORDER]


@pytest.fixture(scope="module")
def pingtan_2024() -> Document:
    return _read(corpus_file("pingtan_2024.html"))


@pytest.fixture(scope="module")
def pingtan_2019() -> Document:
    return _read(corpus_file("pingtan_2019.html"))


@pytest.fixture(scope="module")
def shuyang() -> Document:
    return _read(corpus_file("shuyang_fgj_2023.html"))


# --- real documents: the grid ---------------------------------------------------------------


def test_pingtan_2024_new_requests_row_ends_with_printed_values(pingtan_2024: Document) -> None:
    table = _table_with(pingtan_2024, "一、本年新收政府信息公开申请数量")
    row = _row(table, "一、本年新收政府信息公开申请数量")
    assert [c.text for c in row[-7:]] == ["217", "1", "0", "0", "0", "0", "218"]
    assert [c.text for c in row[-7:]] == _truth_values("pingtan_2024", "new_received")
    assert not any(c.merged for c in row[-7:])
    assert [c.merged for c in row[:3]] == [False, True, True]
    assert str(row[-1].location) == "table 2, row 4, col 10, line 353"
    assert str(row[1].location) == "table 2, row 4, col 2, line 349 (merged from row 4, col 1)"


def test_pingtan_2024_grids_are_rectangular(pingtan_2024: Document) -> None:
    shapes = [(len(t.rows), {len(r) for r in t.rows}) for t in pingtan_2024.tables]
    assert shapes == [(14, {4}), (28, {10}), (4, {15})]


def test_outcome_label_spans_22_rows_in_2021(pingtan_2024: Document) -> None:
    table = pingtan_2024.tables[1]
    column = [row[0] for row in table.rows]
    spanned = [i for i, c in enumerate(column) if c.text == "三、本年度办理结果"]
    assert len(spanned) == 22 and spanned == list(range(5, 27))
    assert not column[5].merged and all(c.merged for c in column[6:27])
    assert str(column[26].location) == "table 2, row 27, col 1, line 349 (merged from row 6, col 1)"
    # the sub-row labels sit beside it: （三）不予公开 spans 8 rows, its items are their own cells
    assert [r[2].text for r in table.rows[7:9]] == ["1.属于国家秘密", "2.其他法律行政法规禁止公开"]
    assert [r[1].merged for r in table.rows[7:15]] == [False] + [True] * 7


def test_outcome_label_spans_in_2019_as_printed(pingtan_2019: Document) -> None:
    """The 2019 page prints 三、本年度办理结果 as two cells of rowspan 10 (20 rows in all)."""
    table = _table_with(pingtan_2019, "一、本年新收政府信息公开申请数量")
    assert (len(table.rows), {len(r) for r in table.rows}) == (26, {10})
    column = [row[0] for row in table.rows]
    spanned = [i for i, c in enumerate(column) if c.text == "三、本年度办理结果"]
    assert spanned == list(range(5, 25))
    assert [i for i in spanned if not column[i].merged] == [5, 15]
    other = next(r for r in table.rows if r[1].text == "（六）其他处理")
    assert other[2].merged and [c.text for c in other[-7:]] == ["0"] * 7


def test_single_value_blocks_span_three_columns(pingtan_2024: Document, pingtan_2019: Document) -> None:
    licensing = _row(pingtan_2024.tables[0], "行政许可")
    assert [(c.text, c.merged) for c in licensing] == [
        ("行政许可", False), ("4529", False), ("4529", True), ("4529", True)
    ]
    fees = _row(pingtan_2024.tables[0], "行政事业性收费")
    assert fees[1].text == "18651.06" and fees[2].merged and fees[3].merged
    procurement = _row(pingtan_2019.tables[0], "政府集中采购")
    assert [(c.text, c.merged) for c in procurement] == [
        ("政府集中采购", False), ("135", False), ("75394432.52元", False), ("75394432.52元", True)
    ]
    signed = _row(pingtan_2019.tables[0], "行政处罚")
    assert [c.text for c in signed] == ["行政处罚", "2648", "0", "430"]


def test_labels_broken_by_br_are_joined(pingtan_2019: Document) -> None:
    header = pingtan_2019.tables[0].rows[1]
    assert [c.text for c in header] == ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]


def test_word_html_blank_legal_person_columns(shuyang: Document) -> None:
    table = _table_with(shuyang, "一、本年新收政府信息公开申请数量")
    assert (len(table.rows), {len(r) for r in table.rows}) == (28, {10})
    row = _row(table, "一、本年新收政府信息公开申请数量")
    assert [c.text for c in row[-7:]] == ["26", "", "", "", "", "", "26"]
    assert [c.text for c in row[-7:]] == _truth_values("shuyang_fgj_2023", "new_received")
    assert not any(c.merged for c in row[-7:])  # printed blank, not covered by a span
    assert str(row[4].location).startswith("table 3, row 4, col 5, line ")
    review = shuyang.tables[-1]
    assert [c.text for c in review.rows[-1]] == ["0", "0", "0", "1", "1"] + ["0"] * 10


@pytest.mark.parametrize(
    ("name", "title", "where"),
    [
        ("pingtan_2019.html", "平潭综合实验区2019年度政府信息公开工作年度报告", "line 11 (<meta name=ArticleTitle>)"),
        ("pingtan_2024.html", "平潭综合实验区2024年度政府信息公开工作年度报告", "line 11 (<meta name=ArticleTitle>)"),
        ("shuyang_fgj_2023.html", "沭阳县发展和改革局2023年政府信息公开年度报告", "line 227 (<h1>)"),
    ],
)
def test_report_title_is_the_first_paragraph(name: str, title: str, where: str) -> None:
    doc = _read(corpus_file(name))
    first = doc.blocks[0]
    assert isinstance(first, Paragraph)
    assert first.text == title
    assert str(first.location) == f"paragraph 1, {where}"


@pytest.mark.parametrize("name", ["pingtan_2019.html", "pingtan_2024.html", "shuyang_fgj_2023.html"])
def test_sections_and_tables_in_reading_order(name: str) -> None:
    doc = _read(corpus_file(name))
    order = []
    for block in doc.blocks:
        if isinstance(block, Table):
            order.append("T")
        elif block.text[:2] in ("一、", "二、", "三、", "四、", "五、", "六、") and len(block.text) < 40:
            order.append(block.text[0])
    assert order == ["一", "二", "T", "三", "T", "四", "T", "五", "六"]


def test_site_navigation_and_page_chrome_are_left_out(pingtan_2024: Document, shuyang: Document) -> None:
    text = pingtan_2024.text()
    for chrome in ("网站标识码", "友情链接", "闽ICP备", "无障碍浏览", "扫一扫在手机上查看当前页面"):
        assert chrome not in text
    assert "2024年，无收取信息处理费情况。" in text
    assert any("TRS_Editor" in n for n in pingtan_2024.notes)
    text = shuyang.text()
    for chrome in ("索引号", "采集时间", "政府信息公开\n"):
        assert chrome not in text
    assert str(shuyang.tables[0].location) == "table 2, line 245"  # table 1 is the page's metadata box
    assert shuyang.paragraphs[-1].text == "2024年1月17日"


@pytest.mark.parametrize("name", ["pingtan_2019.html", "pingtan_2024.html", "shuyang_fgj_2023.html"])
def test_every_block_and_cell_has_a_location(name: str) -> None:
    doc = _read(corpus_file(name))
    assert doc.format == "html" and doc.source.endswith(name)
    for block in doc.blocks:
        if isinstance(block, Table):
            for r, row in enumerate(block.rows, 1):
                for c, cell in enumerate(row, 1):
                    assert (cell.location.table, cell.location.row, cell.location.col) == (block.location.table, r, c)
                    assert cell.location.line is not None and cell.location.file == doc.source
                    assert "\n" not in cell.text and cell.text == cell.text.strip()
        else:
            assert str(block.location).startswith("paragraph ") and block.text


# --- end to end ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stem", "cells"), [("pingtan_2019", 198), ("pingtan_2024", 200), ("shuyang_fgj_2023", 200)]
)
def test_read_report_matches_truth_exactly(stem: str, cells: int) -> None:
    from govdisclose import read_report

    from truthcheck import compare

    report = read_report(corpus_file(f"{stem}.html"))
    result = compare(report.metrics, truth_file(stem))
    assert {k: v for k, v in result.items() if k != "exact" and v} == {}
    assert len(result["exact"]) == cells


def test_read_report_location_leads_back_to_the_cell() -> None:
    from govdisclose import read_report

    report = read_report(corpus_file("pingtan_2024.html"))
    assert (report.agency, report.year, report.template) == ("平潭综合实验区", 2024, "2021")
    m = report.metrics
    total = m[(m["item"] == "new_received") & (m["applicant"] == "total")].iloc[0]
    assert (total["raw"], total["location"]) == ("218", "table 2, row 4, col 10, line 353")
    fees = m[m["item"] == "fees.amount"].iloc[0]
    assert (fees["raw"], fees["location"]) == ("18651.06", "table 1, row 14, col 2, line 349")


def test_read_report_keeps_blank_apart_from_zero() -> None:
    from govdisclose import read_report

    m = read_report(corpus_file("shuyang_fgj_2023.html")).metrics
    row = m[m["item"] == "new_received"].set_index("applicant")
    assert row.loc["natural_person", "state"] == "number" and row.loc["natural_person", "raw"] == "26"
    assert row.loc["commercial_enterprise", "state"] == "blank" and row.loc["commercial_enterprise", "raw"] == ""
    carried = m[(m["item"] == "carried_over") & (m["applicant"] == "total")].iloc[0]
    assert carried["state"] == "number" and carried["raw"] == "0"


@pytest.mark.parametrize(
    ("name", "natural", "total", "year"), [("gbk_declared.html", "11", "12", 2023), ("traditional.html", "8", "8", 2021)]
)
def test_fixture_pages_read_end_to_end(name: str, natural: str, total: str, year: int) -> None:
    from govdisclose import read_report

    report = read_report(FIXTURES / name)
    assert (report.year, report.template) == (year, "2021")
    m = report.metrics.set_index(["item", "applicant"])
    assert m.loc[("new_received", "natural_person"), "raw"] == natural
    assert m.loc[("new_received", "total"), "raw"] == total
    assert m.loc[("new_received", "total"), "state"] == "number"
    granted = ("granted", "total")  # not printed on the page: never a number
    assert granted not in m.index or m.loc[granted, "state"] != "number"


# --- fixtures: encodings -------------------------------------------------------------------


def test_gbk_declared_page_reads_as_gb18030() -> None:
    doc = _read(FIXTURES / "gbk_declared.html")
    assert doc.notes[0] == "decoded as gb18030"
    # GBK-only (珺镕) and GB18030-only (㐀) characters on a page declared gb2312
    assert doc.blocks[0].text == "珺镕县统计局2023年政府信息公开工作年度报告"
    assert str(doc.blocks[0].location) == "paragraph 1, line 5 (<title>)"
    assert "（测试字：㐀）" in doc.text()
    row = _row(doc.tables[0], "一、本年新收政府信息公开申请数量")
    assert [c.text for c in row[-7:]] == ["11", "1", "0", "0", "0", "0", "12"]
    assert "首页" not in doc.text() and "备案号" not in doc.text()  # nav and footer outside con_text


def test_gbk_bytes_declared_utf8_or_undeclared_are_detected() -> None:
    body = "<p>一、总体情况</p><table><tr><td>本年新收政府信息公开申请数量</td><td>12</td></tr></table>"
    gbk = ("<html><head><meta charset='utf-8'></head><body>" + body + "</body></html>").encode("gbk")
    doc = read(Path("wrong.html"), gbk)
    assert doc.tables[0].rows[0][0].text == "本年新收政府信息公开申请数量"
    assert any("declares UTF-8 but its bytes are GB18030" in n for n in doc.notes)
    doc = read(Path("bare.html"), ("<html><body>" + body + "</body></html>").encode("gbk"))
    assert doc.tables[0].rows[0][1].text == "12" and doc.notes[0] == "decoded as gb18030"
    # short GBK text that happens to be valid UTF-8 ("平潭" -> "ƽ̶") is still read as GBK
    assert decode_html("<meta charset=gbk><p>平潭</p>".encode("gbk"))[0].endswith("<p>平潭</p>")


def test_utf8_page_declared_gbk_reads_as_utf8() -> None:
    doc = _read(FIXTURES / "nested_layout.html")  # saved as UTF-8, still declaring gbk
    assert "the page declares gbk but its bytes are UTF-8; read as UTF-8" in doc.notes
    assert doc.blocks[0].text == "某市统计局2022年政府信息公开工作年度报告"


def test_utf8_bom_is_not_text() -> None:
    data = (FIXTURES / "utf8_bom.html").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    doc = read(FIXTURES / "utf8_bom.html", data)
    assert doc.notes[0] == "decoded as utf-8"
    assert doc.blocks[0].text == "沭阳县某局2022年度政府信息公开工作年度报告"
    assert "\ufeff" not in doc.text()
    assert [c.text for c in doc.tables[0].rows[-1][:5]] == ["1", "0", "0", "1", "2"]
    # a BOM beats a contradicting meta charset
    page = "\ufeff<meta charset=gbk><p>沭阳县</p>"
    assert read(Path("b.html"), page.encode("utf-8")).blocks[0].text == "沭阳县"
    assert read(Path("u16.html"), page.encode("utf-16")).blocks[0].text == "沭阳县"


def test_big5_declared_page() -> None:
    page = '<html><head><meta charset="big5"></head><body><p>行政複議 總計</p></body></html>'
    doc = read(Path("big5.html"), page.encode("big5"))
    assert doc.blocks[0].text == "行政複議總計" and doc.notes[0] == "decoded as big5hkscs"


def test_bad_bytes_never_crash_and_are_visible() -> None:
    page = "<html><head><meta charset=gbk></head><body><table><tr><td>总计</td><td>1".encode("gbk")
    page += b"\xff" + "2</td></tr></table></body></html>".encode("gbk")
    doc = read(Path("bad.html"), page)
    cell = doc.tables[0].rows[0][1]
    assert "\ufffd" in cell.text  # not silently '12' or '1'
    assert any("could not be decoded" in n for n in doc.notes)


def test_truncated_utf8_character_keeps_utf8() -> None:
    page = "<html><body><p>政府信息公开工作年度报告</p><p>总计".encode()
    doc = read(Path("cut.html"), page[:-2])  # cut inside the last character
    assert doc.notes[0] == "decoded as utf-8"
    assert doc.blocks[0].text == "政府信息公开工作年度报告"
    assert doc.blocks[1].text == "总\ufffd"


# --- fixtures: grids and text ---------------------------------------------------------------


def test_rowspan_colspan_expansion() -> None:
    doc = _read(FIXTURES / "spans.html")
    first, second = doc.tables
    assert [[(c.text, c.merged) for c in row] for row in first.rows] == [
        [("信息内容", False), ("信息内容", True), ("信息内容", True), ("自然人", False)],
        [("三、本年度办理结果", False), ("（一）予以公开", False), ("（一）予以公开", True), ("5", False)],
        [("三、本年度办理结果", True), ("（三）不予公开", False), ("1.属于国家秘密", False), ("0", False)],
        [("三、本年度办理结果", True), ("（三）不予公开", True), ("2.其他法律行政法规禁止公开", False), ("/", False)],
        [("四、结转下年度继续办理", False), ("四、结转下年度继续办理", True), ("1", False), ("备注", False)],
        # a short row is padded with empty slots that no printed cell covers (flagged merged, so
        # the mapper never takes them as values); rowspan=9 is cut at the table's end
        [("短行", False), ("", True), ("", True), ("备注", True)],
    ]
    assert str(first.rows[5][1].location) == "table 1, row 6, col 2, line 5 (no cell)"
    assert str(first.rows[3][0].location) == "table 1, row 4, col 1, line 5 (merged from row 2, col 1)"
    assert str(first.rows[1][3].location) == "table 1, row 2, col 4, line 11"
    caption = doc.blocks[doc.blocks.index(first) - 1]
    assert caption.text == "表三（节选）" and "caption of table 1" in str(caption.location)
    # rowspan=0 runs to the end of the table; colspan=0 counts as 1
    assert [[c.text for c in row] for row in second.rows] == [
        ["信息内容", "本年处理决定数量", "本年处理决定数量", "本年处理决定数量"],
        ["行政许可", "4529", "4529", "4529"],
        ["到表尾", "a", "b", "c"],
        ["到表尾", "d", "e", "f"],
    ]
    assert second.rows[3][0].merged


def test_short_row_is_never_read_as_blanks(tmp_path: Path) -> None:
    """A row that lost a cell (a damaged or hand-made page) must not shift values into the
    wrong columns: its missing slots are padding, which the mapper never takes as values."""
    from govdisclose import read_report

    data = corpus_file("shuyang_fgj_2023.html").read_bytes()
    cell = data.index(b"<td", data.index("国家秘密".encode()))  # that row's natural-person cell
    damaged = tmp_path / "damaged.html"
    damaged.write_bytes(data[:cell] + b" " + data[cell + 1 :])  # '<td' -> ' td': the cell is gone
    table = _table_with(_read(damaged), "一、本年新收政府信息公开申请数量")
    row = next(r for r in table.rows if r[2].text == "1.属于国家秘密")
    assert [c.text for c in row[3:]] == ["", "", "", "", "", "0", ""]
    assert row[-1].merged and (row[-1].location.row, row[-1].location.col, row[-1].location.detail) == (8, 10, "no cell")
    m = read_report(damaged).metrics
    assert set(m.loc[m["item"] == "denied.state_secret", "state"]) == {"unreadable"}  # not 0 -> blank, blank -> 0


def test_labels_placeholders_and_blanks_as_printed() -> None:
    doc = _read(FIXTURES / "labels.html")
    (table,) = doc.tables
    assert [c.text for c in table.rows[0]] == [
        "本年新收政府信息公开申请数量",  # <br>, <p>, <span> pieces joined without spaces
        "18",  # <span>1</span><span>8</span> reads 18 in a browser
        "",  # <o:p>&nbsp;</o:p>
        "",  # &nbsp;
        "/", "—", "无", "5270.6597万元",
        "",  # an ideographic space only
    ]
    assert [c.text for c in table.rows[1]] == [
        "Times New Roman",  # Latin pieces keep their space
        "12^1",  # a superscript footnote mark does not run into the number
        "[image]",  # printed as a picture: not blank
        "12 34",  # two numbers on two lines stay apart (unreadable later, never 1234)
        "7",  # display:none content is not printed
        "０", "+1036", "251000元", "0",
    ]
    text = doc.text()
    assert "999" not in text and "隐藏的段落" not in text and "WordDocument" not in text
    assert [p.text for p in doc.paragraphs] == ["一、总体情况", "二、主动公开政府信息情况"]


def test_clean_text_joins_cjk_and_keeps_latin_spaces() -> None:
    assert clean_text(" 本年 新收\n政府\u00a0信息 ") == "本年新收政府信息"
    assert clean_text("a\n b\u200b c") == "a b c"
    assert clean_text("（一）\u3000予以公开") == "（一）予以公开"
    assert clean_text("\u00a0\u3000 \n") == ""


def test_traditional_copy() -> None:
    doc = _read(FIXTURES / "traditional.html")
    assert doc.blocks[0].text == "某縣人民政府2021年度政府信息公開工作年度報告"
    assert any('class="article-content"' in n for n in doc.notes)
    (table,) = doc.tables
    row = _row(table, "一、本年新收政府信息公開申請數量")  # kept as printed, not converted
    assert [c.text for c in row[-7:]] == ["8", "0", "0", "0", "0", "0", "8"]
    assert table.rows[1][-1].text == "總計"
    text = doc.text()
    assert "熱門搜索" not in text and "版權所有" not in text and "互動交流" not in text


def test_nested_layout_table_is_not_a_giant_table() -> None:
    doc = _read(FIXTURES / "nested_layout.html")
    # only the two data tables: the page-wrapping table and one-column boxes read as prose
    assert [str(t.location) for t in doc.tables] == ["table 4, line 15", "table 5, line 20"]
    assert [len(t.rows) for t in doc.tables] == [3, 2]
    assert [c.text for c in doc.tables[0].rows[2][5:10]] == ["1", "0", "0", "0", "1"]
    assert doc.tables[1].rows[1][1].text == "0.35"
    texts = [p.text for p in doc.paragraphs]
    assert texts.index("某市统计局2022年政府信息公开工作年度报告", 1) < texts.index("一、总体情况")
    assert "首页" in texts  # the layout's own cells become paragraphs, not table rows


def test_cells_outside_any_row_form_their_own_row() -> None:
    """A damaged '<tr>' leaves cells directly in the table: a browser shows them as a row."""
    page = "<table><tr><td>一</td><td>1</td></tr> tr><td>二</td><td>2</td></tr><tr><form><td>三</td><td>3</td></form></tr></table>"
    assert [[c.text for c in row] for row in _read_text(page).tables[0].rows] == [["一", "1"], ["二", "2"], ["三", "3"]]


def test_hidden_rows_and_scripts_inside_tables() -> None:
    page = (
        "<table><tr><td>总计</td><td>5</td></tr>"
        "<tr style='display:none'><td>总计</td><td>6</td></tr>"
        "<tr><td>其他<script>document.write('9')</script></td><td hidden>3</td><td>4</td></tr>"
        "<tr><td>合计</td><td><img src='n.png' alt='12'></td><td><img src='n.png'>&nbsp;</td></tr></table>"
    )
    table = _read_text(page).tables[0]
    assert [[c.text for c in row] for row in table.rows] == [
        ["总计", "5", ""], ["", "", ""], ["其他", "", "4"], ["合计", "[image: 12]", "[image]"]
    ]




def _hidden_page(element: str, spread: int) -> str:
    """A page with one hidden ``element`` (``td`` or ``div``) whose ``style="display: none"`` is
    ``spread`` attribute lines above the end of its start tag (editors write one attribute a line)."""
    attrs = "".join(f'\n    data-k{k}="{k}"' for k in range(spread))
    sep = "\n    " if spread else " "
    start = f'<{element}{sep}style="display: none"{attrs}{chr(10) if spread else ""}>'
    cell = f"{start}9</td>" if element == "td" else "<td>&nbsp;</td>"
    prose = f"{start}隐藏的说明</div>" if element == "div" else ""
    return (
        "<html><body><p>一、总体情况</p>\n<table>\n<tr><td>规章</td><td>5</td>"
        f"{cell}</tr>\n</table>\n{prose}\n<p>二、主动公开</p></body></html>"
    )


@pytest.mark.parametrize(("element", "spread"), [
    ("td", 0), ("div", 0),
    ("td", 8), ("div", 8),  # fixed: the page's style cascade is applied to every element (readers/html/visible.py)
])
def test_hidden_element_with_its_style_lines_above_its_text(element: str, spread: int) -> None:
    doc = _read_text(_hidden_page(element, spread))
    assert [c.text for c in doc.tables[0].rows[0]] == ["规章", "5", ""]
    assert [p.text for p in doc.paragraphs] == ["一、总体情况", "二、主动公开"]


def test_read_tables_of_a_fragment_keeps_file_lines() -> None:
    """For HTML tables inside Markdown: the grid as read() builds it, located in the host file."""
    page = (FIXTURES / "spans.html").read_text(encoding="utf-8")
    fragment = page[page.index("<table") : page.index("</table>") + 8]
    (table,) = read_tables(fragment, "report.md", first_line=105, first_table=3)
    assert str(table.location) == "table 3, line 105"
    assert [[c.text for c in r] for r in table.rows] == [[c.text for c in r] for r in _read(FIXTURES / "spans.html").tables[0].rows]
    assert str(table.rows[1][3].location) == "table 3, row 2, col 4, line 111"
    assert read_tables("  \n", "report.md") == []


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \r\n\t "])
def test_empty_input(data: bytes) -> None:
    with pytest.raises(EmptyDocumentError, match=r"^empty\.html: "):
        read(Path("empty.html"), data)


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>x</title><script>var a = 1;</script></head><body>  </body></html>",
        "<html><body><p>&nbsp;</p><div style='display:none'>隐藏</div></body></html>",
    ],
)
def test_no_visible_text(page: str) -> None:
    with pytest.raises(EmptyDocumentError, match="no visible text"):
        _read_text(page, "blank.html")


def test_binary_data_is_refused() -> None:
    noise = random.Random(7).randbytes(20_000)
    with pytest.raises(CorruptDocumentError, match=r"^noise\.html: binary data"):
        read(Path("noise.html"), b"<html><body>" + noise)


def test_a_few_control_characters_are_dropped() -> None:
    doc = _read_text("<p>总\x00计\x07</p><table><tr><td>a\x1b</td><td>1</td></tr></table>")
    assert doc.blocks[0].text == "总计" and doc.tables[0].rows[0][0].text == "a"
    assert "3 control character(s) removed" in doc.notes


def test_control_characters_from_character_references() -> None:
    doc = _read_text("<p>a&#1;b&#12;c</p><table><tr><td>&#12;</td><td>1&#0;2</td><td>3&#xFFFF;</td></tr></table>")
    assert doc.blocks[0].text == "ab c"
    assert [c.text for c in doc.tables[0].rows[0]] == ["", "1\ufffd2", "3"]  # NUL is shown as U+FFFD


def test_truncated_page_reads_what_is_there() -> None:
    data = corpus_file("pingtan_2024.html").read_bytes()
    cut = data.index("（一）予以公开".encode()) + 200
    doc = read(Path("cut.html"), data[:cut])
    row = _row(doc.tables[1], "一、本年新收政府信息公开申请数量")
    assert [c.text for c in row[-7:]] == ["217", "1", "0", "0", "0", "0", "218"]
    assert len(doc.tables) == 2 and len(doc.tables[1].rows) < 28


def test_over_size_limit_is_refused_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    for step in ("page_bytes", "parse"):  # refused from the size alone: nothing decoded or parsed
        monkeypatch.setattr(html_reader, step, lambda *a, _step=step: pytest.fail(f"{_step} ran on an over-size page"))
    with pytest.raises(DocumentTooLargeError, match=r"^huge\.html: 50\.0 MB is over the 16 MB limit"):
        read(Path("huge.html"), b"<p>" * (50 * 2**20 // 3) + b"<p>")


def test_text_after_the_end_of_the_page_is_kept() -> None:
    """libxml2 alone would drop text after </html> and move text after </body> out of the body."""
    page = "<html><body><p>一、总体情况</p></body><p>二、主动公开</p></html>\n<p>三、收到和处理</p></HTML >"
    assert [p.text for p in _read_text(page).paragraphs] == ["一、总体情况", "二、主动公开", "三、收到和处理"]


def test_deep_nesting_is_refused_quickly() -> None:
    page = "<html><body>" + "<div><span>" * 50_000 + "x" + "</span></div>" * 50_000 + "</body></html>"
    with pytest.raises(DocumentTooLargeError, match=r"^deep\.html: .*nested|^deep\.html: over the HTML parser"):
        _read_text(page, "deep.html")


def test_span_bomb_is_refused_quickly() -> None:
    row = "<tr>" + '<td colspan="1000" rowspan="65534">1</td>' * 50 + "</tr>"
    with pytest.raises(DocumentTooLargeError, match="rowspan/colspan"):
        _read_text("<table>" + row * 400 + "</table>", "bomb.html")


def test_paragraph_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_reader, "MAX_PARAGRAPHS", 50)
    with pytest.raises(DocumentTooLargeError, match="paragraphs"):
        _read_text("<p>一段</p>" * 51, "many.html")
    assert len(_read_text("<p>一段</p>" * 50).paragraphs) == 50


def _synthetic_page(copies: int) -> bytes:
    block = (
        "<div><p>一、总体情况</p><p>2023年，全年收到政府信息公开申请12件，全部按期答复。</p>"
        "<table border=1><tr><td colspan=3 rowspan=2>（本列数据的勾稽关系）</td><td colspan=7>申请人情况</td></tr>"
        "<tr>" + "<td>自然人</td>" * 7 + "</tr>"
        "<tr><td colspan=3>一、本年新收政府信息公开申请数量</td>" + "<td><p><span>1</span></p></td>" * 7 + "</tr>"
        "</table></div>\n"
    )
    return ("<html><head><meta charset=utf-8></head><body>" + block * copies + "</body></html>").encode()


def test_a_page_of_many_report_blocks_reads_every_table() -> None:
    # (how the time grows with the page is for ``make bench``, not for a unit test)
    doc = read(Path("big.html"), _synthetic_page(400))
    assert len(doc.tables) == 400
    assert {tuple(c.text for c in t.rows[-1][-7:]) for t in doc.tables} == {("1",) * 7}


def test_random_markup_raises_only_library_errors() -> None:
    rng = random.Random(11)
    pieces = ["<table>", "</table>", "<tr>", "<td rowspan=3>", "<td colspan='2x'>", "</td>", "<p>", "<br>",
              "<o:p>", "&nbsp;", "总计", "12", "<div class=TRS_Editor>", "</div>", "<meta charset=gbk>",
              "<script>", "\xff", "<!--", "-->", "<![if x]>", "\u3000", "行政复议", "<sup>", "<img>"]
    for _ in range(300):
        page = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 40)))
        try:
            doc = read(Path("fuzz.html"), page.encode("utf-8", "surrogatepass"))
        except GovDiscloseError as exc:
            assert str(exc).startswith("fuzz.html: ")
            continue
        for table in doc.tables:
            assert len({len(row) for row in table.rows}) == 1


def test_dispatch_reads_html_without_touching_the_file(tmp_path: Path) -> None:
    source = FIXTURES / "gbk_declared.html"
    copy = tmp_path / "report.htm"
    copy.write_bytes(source.read_bytes())
    before = (copy.read_bytes(), os.stat(copy).st_mtime_ns)
    doc = read_document(copy)
    assert doc.format == "html" and doc.source == str(copy)
    assert (copy.read_bytes(), os.stat(copy).st_mtime_ns) == before
