"""The PDF reader: real published PDFs (from the shared corpus) and small PDFs made here.

The real documents are parsed once per session. Generated PDFs come from
``tests/fixtures/pdf/minipdf.py`` (a few dozen lines of PDF writing, no dependencies).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import re
import sys
import warnings
from pathlib import Path

import pytest

from govdisclose import read_report
from govdisclose.exceptions import CorruptDocumentError, EmptyDocumentError, GovDiscloseError
from govdisclose.readers import pdf as pdf_reader
from govdisclose.readers import read_document
from govdisclose.readers.model import Cell, Document, Paragraph, Table

from conftest import corpus_file, truth_file
from truthcheck import compare

_spec = importlib.util.spec_from_file_location("_fixture_minipdf", Path(__file__).parents[1] / "fixtures" / "pdf" / "minipdf.py")
minipdf = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = minipdf
_spec.loader.exec_module(minipdf)

CELL_LOCATION = re.compile(r"^page \d+, table \d+, row \d+, col \d+, box \(-?\d+,-?\d+,-?\d+,-?\d+\)")
PARAGRAPH_LOCATION = re.compile(r"^page \d+, line \d+$")
REAL = ["huaian_2024", "hongze_2023", "hongze_2024"]


# -- helpers ---------------------------------------------------------------------------------

def _read(path: Path, **kwargs) -> Document:
    return pdf_reader.read(path, path.read_bytes(), **kwargs)


def _texts(row: list[Cell]) -> list[str]:
    return [c.text for c in row]


def _row(doc: Document, word: str) -> list[Cell]:
    rows = [r for t in doc.tables for r in t.rows if any(word in c.text and not c.merged for c in r)]
    assert len(rows) == 1, f"{len(rows)} rows hold {word!r}"
    return rows[0]


def _values(row: list[Cell]) -> list[Cell]:
    """The non-merged cells at the right end of a row that hold numbers."""
    out = []
    for cell in reversed(row):
        if cell.merged:
            continue
        if not re.fullmatch(r"[\d.]+", cell.text):
            break
        out.append(cell)
    return out[::-1]


@contextlib.contextmanager
def _strict_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="pdfminer.*")
        yield


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- the real documents, parsed once ------------------------------------------------------------

@pytest.fixture(scope="session")
def real_docs() -> dict[str, Document]:
    cache: dict[str, Document] = {}

    def get(name: str) -> Document:
        if name not in cache:
            with _strict_warnings():  # session fixtures run outside conftest's per-test filter
                cache[name] = _read(corpus_file(f"{name}.pdf"))
        return cache[name]

    return get  # type: ignore[return-value]


@pytest.fixture(scope="session")
def huaian(real_docs) -> Document:
    return real_docs("huaian_2024")


@pytest.fixture(scope="session")
def hongze_2023(real_docs) -> Document:
    return real_docs("hongze_2023")


@pytest.fixture(scope="session")
def hongze_2024(real_docs) -> Document:
    return real_docs("hongze_2024")


def test_huaian_new_received_row_has_printed_values(huaian):
    row = _row(huaian, "一、本年新收政府信息公开申请数量")
    assert _texts(_values(row)) == ["3001", "53", "0", "0", "61", "4", "3119"]
    assert all(str(c.location).startswith("page 4, table 2, row 4, col ") for c in _values(row))
    assert all(CELL_LOCATION.match(str(c.location)) for c in row)


def test_huaian_table4_is_one_row_of_fifteen_numbers_on_page_5(huaian):
    rows = [r for t in huaian.tables for r in t.rows if len(_values(r)) == 15]
    assert len(rows) == 1
    cells = _values(rows[0])
    assert _texts(cells) == ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"]
    assert all(str(c.location).startswith("page 5, table 2, row 4, col ") and CELL_LOCATION.match(str(c.location)) for c in cells)
    # boxes run left to right
    x0s = [int(re.search(r"box \((\d+),", str(c.location)).group(1)) for c in cells]
    assert x0s == sorted(x0s) and len(set(x0s)) == 15


def test_header_words_broken_per_character_are_joined(huaian):
    header = [c.text for t in huaian.tables for r in t.rows for c in r if not c.merged]
    for word in ("结果维持", "结果纠正", "其他结果", "尚未审结", "商业企业", "科研机构", "社会公益组织", "法律服务机构"):
        assert word in header
    assert not any("\n" in c.text for t in huaian.tables for r in t.rows for c in r)


def test_vertical_merged_label_is_one_span_not_rows(huaian, hongze_2023):
    for doc in (huaian, hongze_2023):
        cells = [c for t in doc.tables for r in t.rows for c in r if c.text == "三、本年度办理结果"]
        origins = [c for c in cells if not c.merged]
        assert len(origins) == 1 and len(cells) >= 11
        # no row is made of a lone stacked character
        for table in doc.tables:
            for row in table.rows:
                own = [c.text for c in row if not c.merged and c.text]
                assert own not in (["本"], ["年"], ["度"], ["结"], ["果"], ["、"])


def test_spanned_value_slots_are_merged_copies(huaian):
    row = _row(huaian, "行政许可")
    assert _texts(row) == ["行政许可", "447228", "447228", "447228"]
    assert [c.merged for c in row] == [False, False, True, True]
    assert _texts(_values(_row(huaian, "行政事业性收费"))) == ["96171.6"]


def test_page_numbers_are_gone(huaian, hongze_2023):
    for doc in (huaian, hongze_2023):
        for block in doc.blocks:
            texts = [block.text] if isinstance(block, Paragraph) else [c.text for r in block.rows for c in r]
            for text in texts:
                assert not re.search(r"-\s*\d\s*-\s*$", text), text
    assert _texts(_values(_row(huaian, "1.本机关不掌握相关政府信息"))) == ["746", "12", "0", "0", "10", "1", "769"]


def test_title_first_and_section_headings_alone(huaian, hongze_2024):
    assert isinstance(huaian.blocks[0], Paragraph)
    assert huaian.blocks[0].text.replace(" ", "") == "淮安市人民政府2024年政府信息公开工作年度报告"
    assert hongze_2024.blocks[0].text.replace(" ", "") == "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"
    texts = [p.text for p in huaian.paragraphs]
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert heading in texts
    assert all(PARAGRAPH_LOCATION.match(str(p.location)) for p in huaian.paragraphs)
    # reading order: heading 三 before table 3, table 3 before heading 四
    order = [b.text if isinstance(b, Paragraph) else ("<requests>" if "本年新收" in b.text() else "<table>") for b in huaian.blocks]
    assert order.index("三、收到和处理政府信息公开申请情况") < order.index("<requests>") < order.index("四、政府信息公开行政复议、行政诉讼情况")
    compact = huaian.text().replace(" ", "")
    assert "全年收取政府信息公开信息处理费3940元" in compact
    assert "全市共受理政府信息公开申请3119件，答复3050件" in compact  # 答 / 复 were on two lines


def test_prose_in_white_boxes_is_not_a_table(huaian):
    # Word paints every paragraph on a white box; those must stay prose, with every character
    para = next(p for p in huaian.paragraphs if p.text.startswith("本报告由淮安市人民政府办公室"))
    assert "2024年12月31日。如对本报告有疑问" in para.text.replace(" ", "")
    assert not any("本报告由" in t.text() for t in huaian.tables)


def test_table_rows_across_pages_keep_their_own_values(huaian, hongze_2024):
    first_p5 = next(t for t in huaian.tables if str(t.location).startswith("page 5, table 1"))
    assert "2.没有现成信息需要另行制作" in _texts(first_p5.rows[0])
    assert _texts(_values(first_p5.rows[0])) == ["11", "0", "0", "0", "0", "0", "11"]
    assert not huaian.notes
    first_p4 = next(t for t in hongze_2024.tables if str(t.location).startswith("page 4, table 1"))
    assert _texts(_values(first_p4.rows[0])) == ["1", "0", "0", "0", "0", "0", "1"]


def test_hongze_source_errors_and_typo_kept_as_printed(hongze_2023):
    rows = [r for t in hongze_2023.tables for r in t.rows if len(_values(r)) == 15]
    assert len(rows) == 1
    assert _texts(_values(rows[0])) == ["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]
    assert _texts(_values(_row(hongze_2023, "2.其他法律行政止公开"))) == ["0"] * 7
    assert _texts(_values(_row(hongze_2023, "行政事业性收费"))) == ["7730.28"]


def test_hongze_unruled_bottom_edge_closed_by_cell_boxes(hongze_2023):
    # page 3's table has no ruling under its last row; the cell boxes close it
    row = _row(hongze_2023, "2.没有现成信息需要另行制作")
    assert row[0].text == "三、本年度办理结果" and row[0].merged
    assert _texts(_values(row)) == ["3", "0", "0", "0", "0", "0", "3"]
    assert not any("text positions" in n for n in hongze_2023.notes)


def test_hongze_2024_fee_without_decimals(hongze_2024):
    assert _texts(_values(_row(hongze_2024, "行政事业性收费"))) == ["7545"]
    assert _texts(_values(_row(hongze_2024, "一、本年新收政府信息公开申请数量"))) == ["95", "0", "0", "0", "0", "0", "95"]


@pytest.mark.parametrize("name", REAL)
def test_text_position_fallback_reads_the_same_cells(name, real_docs):
    """With the rulings ignored, the tables rebuilt from text positions hold the same values."""
    ruled = real_docs(name)
    loose = _read(corpus_file(f"{name}.pdf"), rulings=False)
    assert any("text positions" in n for n in loose.notes)

    def numbers(doc: Document) -> list[list[str]]:
        return [_texts(_values(r)) for t in doc.tables for r in t.rows if _values(r)]

    assert numbers(loose) == numbers(ruled)
    stacked = [c for t in loose.tables for r in t.rows for c in r if c.text.startswith("三、本年度办")]
    assert stacked and len([c for c in stacked if not c.merged]) == 1


# -- end to end ----------------------------------------------------------------------------------

def _read_report():
    return read_report


@pytest.fixture(scope="session")
def reports() -> dict:
    read_report = _read_report()
    cache: dict = {}

    def get(name: str):
        if name not in cache:
            with _strict_warnings():
                cache[name] = read_report(corpus_file(f"{name}.pdf"))
        return cache[name]

    return get


@pytest.mark.parametrize("name,cells", [("huaian_2024", 200), ("hongze_2023", 186), ("hongze_2024", 186)])
def test_end_to_end_every_truth_cell_exact(name, cells, reports):
    report = reports(name)
    result = compare(report.metrics, truth_file(name))
    assert not result["wrong"] and not result["missing"] and not result["flagged"], {k: v[:5] for k, v in result.items() if k != "exact"}
    assert len(result["exact"]) == cells
    assert report.format == "pdf"
    located = report.metrics["location"].astype(str)
    assert located.str.match(CELL_LOCATION.pattern).all()


@pytest.mark.parametrize("name,cells", [("huaian_2024", 200), ("hongze_2023", 186), ("hongze_2024", 186)])
def test_end_to_end_from_text_positions(name, cells, monkeypatch):
    read_report = _read_report()
    path = corpus_file(f"{name}.pdf")
    monkeypatch.setattr(pdf_reader, "read", functools.partial(pdf_reader.read, rulings=False))
    result = compare(read_report(path).metrics, truth_file(name))
    assert not result["wrong"] and not result["missing"] and not result["flagged"], {k: v[:5] for k, v in result.items() if k != "exact"}
    assert len(result["exact"]) == cells


def test_backend_pages_and_rasteriser():
    from govdisclose.readers.pdf.pdfium import PdfFile

    path = corpus_file("huaian_2024.pdf")
    with PdfFile(path, path.read_bytes()) as pdf:
        assert len(pdf) == 6
        page = pdf.page(3)
        assert (page.number, page.width, page.height, page.rotation) == (4, 595.0, 842.0, 0)
        assert "".join(g.text for g in page.glyphs).startswith("-4-信息内容")
        rulings = [s for s in page.shapes if s.kind == "line" and s.stroke]
        assert len(rulings) == 39 and all(s.stroke_color == (0, 0, 0, 255) for s in rulings)
        bitmap = pdf.render(3, 0.5)
        assert bitmap.shape == (421, 298, 3)
        assert bitmap.min() < 100 < 250 < bitmap.max()  # ink on paper


@pytest.mark.parametrize("rotate,box,upright", [
    (0, (100, 200, 110, 210), True), (90, (632, 100, 642, 110), False),
    (180, (485, 632, 495, 642), True), (270, (200, 485, 210, 495), False),
])
def test_backend_places_text_and_rulings_on_the_page_as_displayed(rotate, box, upright):
    """Boxes are in points from the top left of the page as shown (its /Rotate applied)."""
    from govdisclose.readers.pdf.pdfium import PdfFile

    pdf = minipdf.MiniPDF()
    page = pdf.page(rotate=rotate)
    page.text(100, 200, "行政")
    page.line(72, 300, 400, 300)
    with PdfFile(Path("turned.pdf"), pdf.build()) as doc:
        content = doc.page(0)
    assert (content.width, content.height) == ((842.0, 595.0) if rotate in (90, 270) else (595.0, 842.0))
    first = content.glyphs[0]
    assert first.text == "行" and tuple(round(v) for v in first[1:5]) == box and first.upright is upright
    (line,) = content.shapes
    ruling = {0: (72, 300, 400, 300), 90: (542, 72, 542, 400), 180: (195, 542, 523, 542), 270: (300, 195, 300, 523)}[rotate]
    assert line.kind == "line" and tuple(round(v) for v in (line.x0, line.top, line.x1, line.bottom)) == ruling


def test_white_boxes_are_read_only_near_the_rulings_they_could_close():
    """Word paints every paragraph and cell on a white box: one on a ruled table's rulings can
    close the table and is read; one far from any ruling that shows, or on a page without
    rulings, never can and is left out of the page's shapes."""
    from govdisclose.readers.pdf.pdfium import PdfFile

    pdf = minipdf.MiniPDF()
    ruled = pdf.page()
    ruled.grid(72, 100, [100, 100], [20, 20])
    ruled.rect(72, 100, 172, 120, fill_gray=1.0, stroke=False)  # a cell's white box
    ruled.rect(72, 500, 400, 540, fill_gray=1.0, stroke=False)  # a paragraph's, far below the table
    prose = pdf.page()
    prose.text(72, 200, "正文")
    prose.rect(72, 190, 400, 215, fill_gray=1.0, stroke=False)
    with PdfFile(Path("boxes.pdf"), pdf.build()) as doc:
        first, second = doc.page(0), doc.page(1)
    boxes = [tuple(round(v) for v in (s.x0, s.top, s.x1, s.bottom)) for s in first.shapes if s.kind == "rect"]
    assert boxes == [(72, 100, 172, 120)]
    assert len([s for s in first.shapes if s.kind == "line"]) == 12
    assert second.shapes == [] and "".join(g.text for g in second.glyphs) == "正文"


def test_text_in_a_font_not_embedded_is_never_a_silent_blank(tmp_path):
    """A one-character text object whose font is not embedded (and that no font on the machine
    draws) is left out of PDFium's text: it reads as U+FFFD (flagged), never as an empty cell."""
    pdf = minipdf.MiniPDF()
    page = pdf.page()
    page.grid(72, 100, [120, 60], [20, 20])
    page.text(75, 104, "行政许可"), page.text(200, 104, "7")
    page.text(75, 124, "行政处罚"), page.text(200, 124, "九", embedded=False)
    doc = read_document(_write(tmp_path, "lone.pdf", pdf.build()))
    rows = [_texts(r) for r in doc.tables[0].rows]
    assert rows[0] == ["行政许可", "7"]
    assert rows[1][0] == "行政处罚" and rows[1][1] in ("九", "\ufffd")
    if rows[1][1] == "\ufffd":
        assert any("not embedded" in n for n in doc.notes)


def test_tables_past_the_page_limit_say_how_many_pages_were_read(tmp_path, monkeypatch):
    pdf = minipdf.MiniPDF()
    pdf.page().text(72, 72, "某某局2023年政府信息公开工作年度报告")
    _word_like_page(pdf)
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 1)
    with pytest.raises(GovDiscloseError, match=r"late\.pdf: only the first 1 of 2 pages were read, and they hold no table"):
        read_document(_write(tmp_path, "late.pdf", pdf.build()))


# -- generated PDFs: layout cases --------------------------------------------------------------

def _split_row_pdf() -> bytes:
    """A ruled table crossing a page break, two rows cut by it."""
    pdf = minipdf.MiniPDF()
    one = pdf.page()
    one.text(72, 60, "某某局2023年政府信息公开工作年度报告", size=16)
    widths, x0 = [200, 60, 60], 72
    one.grid(x0, 700, widths, [30, 30, 30])
    one.text(75, 710, "1.本机关不掌握相关政府信息")
    one.text(280, 710, "5"), one.text(340, 710, "5")
    one.text(75, 740, "（二）部分公开（区分处理的")  # label continued on the next page, values here
    one.text(280, 740, "4"), one.text(340, 740, "4")
    one.text(75, 770, "5.要求行政机关确认或重新出")  # label here, values on the next page
    two = pdf.page()
    two.grid(x0, 72, widths, [30, 30])
    two.text(75, 82, "具已获取信息")
    two.text(280, 82, "1"), two.text(340, 82, "12")
    two.text(75, 112, "（七）总计")
    two.text(280, 112, "10"), two.text(340, 112, "21")
    return pdf.build()


def test_row_cut_by_page_break_is_joined(tmp_path):
    doc = read_document(_write(tmp_path, "split.pdf", _split_row_pdf()))
    assert doc.format == "pdf"
    rows = [_texts(r) for t in doc.tables for r in t.rows]
    assert ["5.要求行政机关确认或重新出具已获取信息", "1", "12"] in rows
    assert ["（七）总计", "10", "21"] in rows
    assert len(rows) == 4
    joined = _row(doc, "具已获取信息")
    assert str(joined[0].location).startswith("page 1, table 1, row 3, col 1") and "page 2, table 1, row 1, col 1" in str(joined[0].location)
    assert str(joined[1].location).startswith("page 2, table 1, row 1, col 2")
    assert any("joined" in n for n in doc.notes)


def test_label_words_alone_on_next_page_join_the_row(tmp_path):
    pdf = minipdf.MiniPDF()
    one = pdf.page()
    one.grid(72, 740, [200, 60], [30, 30])
    one.text(75, 750, "一、本年新收政府信息公开申请数量"), one.text(280, 750, "7")
    one.text(75, 780, "（二）部分公开（区分处理的"), one.text(280, 780, "4")
    two = pdf.page()
    two.grid(72, 72, [200, 60], [30, 30])
    two.text(75, 82, "只计这一情形）")
    two.text(75, 112, "（三）不予公开"), two.text(280, 112, "0")
    doc = read_document(_write(tmp_path, "tail.pdf", pdf.build()))
    rows = [_texts(r) for t in doc.tables for r in t.rows]
    assert rows == [["一、本年新收政府信息公开申请数量", "7"], ["（二）部分公开（区分处理的只计这一情形）", "4"], ["（三）不予公开", "0"]]


def test_rows_with_own_values_on_each_page_are_not_joined(tmp_path):
    pdf = minipdf.MiniPDF()
    one = pdf.page()
    one.grid(72, 740, [200, 60], [30, 30])
    one.text(75, 750, "规章"), one.text(280, 750, "1")
    one.text(75, 780, "行政规范性文件")  # printed blank
    two = pdf.page()
    two.grid(72, 72, [200, 60], [30])
    two.text(75, 82, "行政许可"), two.text(280, 82, "9")
    doc = read_document(_write(tmp_path, "blank.pdf", pdf.build()))
    rows = [_texts(r) for t in doc.tables for r in t.rows]
    assert rows == [["规章", "1"], ["行政规范性文件", ""], ["行政许可", "9"]]


def test_cell_text_broken_per_character_and_spans(tmp_path):
    pdf = minipdf.MiniPDF()
    page = pdf.page()
    # header: 行政复议 spans two columns; 结/果/维/持 one character per line in its cell
    page.grid(72, 100, [40, 40, 40], [20, 60, 20], skip={("v", 1, 0)})
    page.text(90, 104, "行政复议")
    for k, ch in enumerate("结果维持"):
        page.text(75, 123 + 12 * k, ch)
    page.text(115, 123, "结果"), page.text(115, 135, "纠正")
    page.text(155, 123, "总"), page.text(155, 135, "计")
    page.text(75, 184, "3"), page.text(115, 184, "4"), page.text(155, 184, "7")
    doc = read_document(_write(tmp_path, "header.pdf", pdf.build()))
    (table,) = doc.tables
    assert _texts(table.rows[0]) == ["行政复议", "行政复议", ""]
    assert [c.merged for c in table.rows[0]] == [False, True, False]
    assert _texts(table.rows[1]) == ["结果维持", "结果纠正", "总计"]
    assert _texts(table.rows[2]) == ["3", "4", "7"]


def test_digits_spread_across_a_cell_stay_apart(tmp_path):
    """A number typeset with letter spacing is not silently glued (the value parser flags it)."""
    pdf = minipdf.MiniPDF()
    page = pdf.page()
    page.grid(72, 100, [120, 80], [20])
    page.text(75, 104, "行政许可")
    page.text(200, 104, "1"), page.text(240, 104, "2")
    doc = read_document(_write(tmp_path, "spread.pdf", pdf.build()))
    assert _texts(doc.tables[0].rows[0]) == ["行政许可", "1 2"]


def _word_like_page(pdf, with_footer: bool = True):
    """Prose on white boxes (as Word exports it), then a ruled table, then a page number."""
    page = pdf.page()
    page.text(297.5 - 7 * 8, 60, "某某区人民政府", size=16)  # centred title lines
    page.text(297.5 - 15 * 8, 84, "2023年政府信息公开工作年度报告", size=16)
    lines = ["　　本报告由某某区人民政府办公室根据《中华人民共和国", "政府信息公开条例》（以下简称《条例》）要求编制此报", "告。",
             "　　一、总体情况", "　　全年受理政府信息公开申请21件。"]
    for k, text in enumerate(lines):
        top = 130 + 24 * k
        page.rect(72, top - 4, 522, top + 20, fill_gray=1.0, stroke=False)
        indent = 32 if text.startswith("　") else 0
        page.text(72 + indent, top, text.strip("　"), size=16)
    page.grid(72, 300, [200, 60, 60], [24, 24])
    page.text(75, 306, "规章"), page.text(280, 306, "1"), page.text(340, 306, "0")
    page.text(75, 330, "行政规范性文件"), page.text(280, 330, "8"), page.text(340, 330, "26")
    if with_footer:
        page.text(480, 793, "-1-", size=13)
    return page


def test_white_paragraph_boxes_stay_prose(tmp_path):
    pdf = minipdf.MiniPDF()
    _word_like_page(pdf)
    doc = read_document(_write(tmp_path, "word.pdf", pdf.build()))
    assert [p.text for p in doc.paragraphs] == [
        "某某区人民政府2023年政府信息公开工作年度报告",
        "本报告由某某区人民政府办公室根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制此报告。",
        "一、总体情况",
        "全年受理政府信息公开申请21件。",
    ]
    assert str(doc.paragraphs[0].location) == "page 1, line 1"
    (table,) = doc.tables
    assert [_texts(r) for r in table.rows] == [["规章", "1", "0"], ["行政规范性文件", "8", "26"]]
    assert "-1-" not in doc.text()


def test_unruled_table_with_side_label_and_footers(tmp_path):
    """No rulings: rows from text positions; a side label printed one character per line is one
    merged label; the page number on the last row's line and a 第 N 页 line are dropped."""
    pdf = minipdf.MiniPDF()
    page = pdf.page()
    page.text(72, 60, "二、收到和处理政府信息公开申请情况", size=14)
    header_top = 600
    for x, word in ((300, "自然人"), (360, "其他"), (420, "总计")):
        page.text(x, header_top, word)
    labels = ["一、本年新收政府信息公开申请数量", "（一）予以公开", "（二）部分公开", "（三）不予公开", "（四）无法提供", "四、结转下年度继续办理"]
    values = [("12", "0", "12"), ("5", "/", "5"), ("3", "", "3"), ("2", "0", "2"), ("2", "1", "3"), ("769", "0", "769")]
    for k, (label, vals) in enumerate(zip(labels, values)):
        top = 620 + 24 * k
        x = 72 if k in (0, 5) else 100
        page.text(x, top, label)
        for xv, v in zip((305, 365, 425), vals):
            if v:
                page.text(xv, top, v)
    for k, ch in enumerate("三、本年度"):  # side label down rows 2-5
        page.text(76, 640 + 14 * k, ch, size=10)
    page.text(480, 620 + 24 * 5, "- 5 -", size=10)  # page number on the same line as the last row
    page.text(270, 810, "第 5 页", size=9)
    doc = read_document(_write(tmp_path, "loose.pdf", pdf.build()))
    (table,) = doc.tables
    rows = [_texts(r) for r in table.rows]
    assert rows[0] == ["", "", "自然人", "其他", "总计"]
    body = rows[1:]
    assert [r[-3:] for r in body] == [list(v) for v in values]
    assert [r[1] for r in body] == labels
    side = [c for r in table.rows for c in r if c.text == "三、本年度"]
    assert len(side) >= 3 and [c.merged for c in side][0] is False and all(c.merged for c in side[1:])
    assert not any(r[0].text and not r[0].merged and r[0].text != "三、本年度" for r in table.rows[1:])
    assert "5 -" not in doc.text() and "第 5 页" not in doc.text()
    assert any("text positions" in n for n in doc.notes)
    assert all(CELL_LOCATION.match(str(c.location)) for r in table.rows[1:] for c in r[1:])


_OFFSET_LABELS = ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果", "四、结转下年度继续办理"]
_OFFSET_VALUES = [("12", "1", "13"), ("5", "0", "5"), ("3", "2", "5"), ("7", "0", "7")]


def _offset_table(tmp_path: Path, shift: float, which: str, pitch: float = 24, values=_OFFSET_VALUES) -> Document:
    """A table without rulings (header 自然人/法人/总计 over four rows, one row every ``pitch``
    points); the second row's values (``which="all"``) or only its 总计 (``"total"``) printed
    ``shift`` points below (above when negative) its label."""
    pdf = minipdf.MiniPDF()
    page = pdf.page()
    page.text(72, 60, "二、收到和处理政府信息公开申请情况", size=14)
    for x, word in ((300, "自然人"), (360, "法人"), (420, "总计")):
        page.text(x, 600, word)
    for k, (label, vals) in enumerate(zip(_OFFSET_LABELS, values)):
        top = 620 + pitch * k
        page.text(72, top, label)
        for c, (x, v) in enumerate(zip((305, 365, 425), vals)):
            if v:
                page.text(x, top + (shift if k == 1 and (which == "all" or c == 2) else 0), v)
    return read_document(_write(tmp_path, "offset.pdf", pdf.build()))


@pytest.mark.parametrize("shift, which, pitch", [(-5, "all", 24), (5, "all", 24), (-5, "total", 24), (5, "total", 24),
                                                 (-7, "all", 14), (-12, "total", 24)])
def test_values_half_a_line_off_their_label_belong_to_it(tmp_path, shift, which, pitch):
    """Spec §4a: values printed half a line above or below their label in a table without
    rulings still belong to that label (a label like 二、… alone on its line is no heading, a
    lone 总计 value no header line); the row above, whose 总计 is printed, cannot own it."""
    doc = _offset_table(tmp_path, shift, which, pitch)
    (table,) = doc.tables
    rows = [_texts(r) for r in table.rows]
    assert rows == [["", "自然人", "法人", "总计"]] + [[label, *vals] for label, vals in zip(_OFFSET_LABELS, _OFFSET_VALUES)]
    assert "二、上年结转政府信息公开申请数量" not in [p.text for p in doc.paragraphs]


def test_values_between_two_rows_lacking_them_are_unreadable_never_blank(tmp_path):
    """A 总计 printed exactly between two rows that both lack one: either row may own it, so both
    cells read unreadable (the value and a ? and why in the location), never blank."""
    from govdisclose.template.values import parse_value

    values = [("12", "1", ""), ("5", "0", "5"), ("3", "2", "5"), ("7", "0", "7")]
    doc = _offset_table(tmp_path, -12, "total", values=values)
    (table,) = doc.tables
    first, second = table.rows[1], table.rows[2]
    assert _texts(first)[:3] == [_OFFSET_LABELS[0], "12", "1"] and _texts(second)[:3] == [_OFFSET_LABELS[1], "5", "0"]
    for cell in (first[3], second[3]):
        assert cell.text == "5?" and parse_value(cell.text).state == "unreadable"
        assert "cannot be told" in str(cell.location) and CELL_LOCATION.match(str(cell.location))
    assert [_texts(r) for r in table.rows[3:]] == [[label, *vals] for label, vals in zip(_OFFSET_LABELS[2:], values[2:])]


# -- generated PDFs: bad input -------------------------------------------------------------------

def test_encrypted_pdf(tmp_path):
    pdf = minipdf.MiniPDF()
    pdf.page().text(72, 72, "加密")
    path = _write(tmp_path, "locked.pdf", pdf.build(encrypt=True))
    with pytest.raises(CorruptDocumentError, match=r"locked\.pdf: .*encrypted"):
        read_document(path)


def test_image_only_pdf_needs_ocr(tmp_path):
    from PIL import Image

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (300, 200), "white").save(path, "PDF")
    # an image-only PDF is read by OCR (readers/ocr, the [ocr] extra in [dev]): a blank scan has no text
    with pytest.raises(EmptyDocumentError, match=r"scan\.pdf: OCR found no text"):
        read_document(path)


def test_pdf_without_pages(tmp_path):
    path = _write(tmp_path, "nopages.pdf", minipdf.MiniPDF().build())
    with pytest.raises(EmptyDocumentError, match=r"nopages\.pdf: .*no pages"):
        read_document(path)


@pytest.mark.parametrize("cut", [0.25, 0.5, 0.9])
def test_truncated_generated_pdf(tmp_path, cut):
    pdf = minipdf.MiniPDF()
    _word_like_page(pdf)
    data = pdf.build()
    path = _write(tmp_path, "cut.pdf", data[: int(len(data) * cut)])
    with pytest.raises(CorruptDocumentError, match=r"cut\.pdf: .*truncated"):
        read_document(path)


@pytest.mark.parametrize("cut", [0.3, 0.7])
def test_truncated_real_pdf(tmp_path, monkeypatch, cut):
    data = corpus_file("huaian_2024.pdf").read_bytes()
    path = _write(tmp_path, "huaian_cut.pdf", data[: int(len(data) * cut)])
    # refused from the missing end-of-file marker, before PDFium parses anything
    monkeypatch.setattr(pdf_reader, "PdfFile", lambda *a: pytest.fail("a cut PDF reached the parser"))
    with pytest.raises(CorruptDocumentError, match=r"huaian_cut\.pdf: .*truncated"):
        read_document(path)


def test_damaged_objects_raise_our_error_or_read(tmp_path):
    pdf = minipdf.MiniPDF()
    _word_like_page(pdf)
    data = bytearray(pdf.build(compress=False))
    for start in range(200, len(data) - 200, 97):  # scribble over the objects, keep the trailer
        data[start:start + 3] = b"\x00)>"
    path = _write(tmp_path, "damaged.pdf", bytes(data))
    try:
        doc = read_document(path)
    except GovDiscloseError as exc:
        assert "damaged.pdf" in str(exc)
    else:
        assert doc.format == "pdf"


def test_not_really_a_pdf(tmp_path):
    path = _write(tmp_path, "fake.pdf", b"%PDF-1.7\nthis is not a pdf at all\n%%EOF\n")
    with pytest.raises(GovDiscloseError, match=r"fake\.pdf: "):
        read_document(path)


def test_page_cap_is_noted(tmp_path, monkeypatch):
    pdf = minipdf.MiniPDF()
    _word_like_page(pdf)
    pdf.page().text(72, 72, "第二页的文字")
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 1)
    doc = read_document(_write(tmp_path, "long.pdf", pdf.build()))
    assert "only the first 1 of 2 pages were read" in doc.notes
    assert "第二页" not in doc.text()


def test_input_file_is_not_modified(tmp_path):
    pdf = minipdf.MiniPDF()
    _word_like_page(pdf)
    path = _write(tmp_path, "keep.pdf", pdf.build())
    before = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    read_document(path)
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before


def test_minipdf_fixture_reads_back():
    """The fixture writer itself: what is written is what the reader reads."""
    pdf = minipdf.MiniPDF()
    pdf.page().text(72, 72, "政府信息公开（2023）", size=12)
    doc = pdf_reader.read(Path("mini.pdf"), pdf.build())
    assert [p.text for p in doc.paragraphs] == ["政府信息公开（2023）"]
    assert isinstance(doc.blocks[0], Paragraph) and not any(isinstance(b, Table) for b in doc.blocks)


@pytest.mark.parametrize("turn", ["down", "up"])
def test_side_label_set_with_a_text_direction(tmp_path, turn):
    """A rowspan label whose text is turned a quarter reads in order, as one span."""
    pdf = minipdf.MiniPDF()
    page = pdf.page()
    page.grid(72, 100, [30, 150, 50], [30, 30, 30], skip={("h", 1, 0), ("h", 2, 0)})
    page.text(80, 110, "三、本年度办理结果", size=8, turn=turn)
    for k, (label, value) in enumerate([("（一）予以公开", "5"), ("（二）部分公开", "1"), ("（三）不予公开", "0")]):
        page.text(105, 108 + 30 * k, label), page.text(260, 108 + 30 * k, value)
    doc = read_document(_write(tmp_path, "turned.pdf", pdf.build()))
    (table,) = doc.tables
    assert [_texts(r) for r in table.rows] == [
        ["三、本年度办理结果", "（一）予以公开", "5"],
        ["三、本年度办理结果", "（二）部分公开", "1"],
        ["三、本年度办理结果", "（三）不予公开", "0"],
    ]
    assert [r[0].merged for r in table.rows] == [False, True, True]


def test_fake_bold_drawn_twice_reads_once(tmp_path):
    pdf = minipdf.MiniPDF()
    page = pdf.page()
    page.grid(72, 100, [120, 60], [20])
    for dx in (0, 0.6):
        page.text(75 + dx, 104, "行政处罚"), page.text(200 + dx, 104, "11")
    doc = read_document(_write(tmp_path, "bold.pdf", pdf.build()))
    assert _texts(doc.tables[0].rows[0]) == ["行政处罚", "11"]


def test_ruled_rows_without_column_rulings_are_read_from_positions(tmp_path):
    """Rows ruled, value columns not: the row boxes hold label and numbers apart; read by position."""
    pdf = minipdf.MiniPDF()
    page = pdf.page()
    widths = [200, 200]
    page.grid(72, 100, widths, [24, 24, 24], skip={("v", 1, 1), ("v", 1, 2)})
    page.text(300, 106, "自然人"), page.text(360, 106, "其他"), page.text(420, 106, "总计")
    page.text(75, 130, "一、本年新收政府信息公开申请数量")
    page.text(305, 130, "12"), page.text(365, 130, "0"), page.text(425, 130, "12")
    page.text(75, 154, "二、上年结转政府信息公开申请数量")
    page.text(305, 154, "3"), page.text(425, 154, "3")
    doc = read_document(_write(tmp_path, "partial.pdf", pdf.build()))
    rows = [_texts(r) for t in doc.tables for r in t.rows]
    assert ["一、本年新收政府信息公开申请数量", "12", "0", "12"] in rows
    assert ["二、上年结转政府信息公开申请数量", "3", "", "3"] in rows  # printed blank stays blank
    assert any("lacks column rulings" in n for n in doc.notes)


def test_glyphs_printed_over_each_other_are_not_one_number(tmp_path):
    """A doubled or damaged text layer: 1 printed over 1 must not read as 11."""
    pdf = minipdf.MiniPDF()
    page = pdf.page()
    page.grid(72, 100, [120, 60], [20])
    page.text(75, 104, "行政强制"), page.text(200, 104, "1"), page.text(203, 104, "1")
    doc = read_document(_write(tmp_path, "over.pdf", pdf.build()))
    assert _texts(doc.tables[0].rows[0]) == ["行政强制", "1 1"]


def test_doubled_glyphs_dropped_as_the_rule_says():
    """page_glyphs against the rule read plainly, one glyph against every glyph kept before it:
    the same text, starting less than a point away across, its top in the same or a
    neighbouring whole point; blanks always stay and empty glyphs never do."""
    import random

    from govdisclose.readers.pdf.glyphs import Glyph
    from govdisclose.readers.pdf.pages import page_glyphs

    def by_rule(glyphs: list[Glyph]) -> list[Glyph]:
        kept: list[Glyph] = []
        for g in glyphs:
            if not g.text:
                continue
            if not g.text.isspace() and any(
                k.text == g.text and abs(int(k.top) - int(g.top)) <= 1 and abs(k.x0 - g.x0) < 1.0 for k in kept
            ):
                continue
            kept.append(g)
        return kept

    rnd = random.Random(11)
    dropped = 0
    for case in range(800):
        # half the pages without empty glyphs: the whole-page look for pairs decides those
        texts = ["1", "0", "的", "a", " ", "", "\u3000"] if case % 2 else ["1", "0", "的", "a", " ", "\u3000", "\U0002000b"]
        glyphs: list[Glyph] = []
        for _ in range(rnd.randint(0, 40)):
            text = rnd.choice(texts)
            x0 = rnd.choice([rnd.uniform(-3, 600), float(rnd.randint(0, 5)), rnd.randint(0, 5) + 0.999])
            top = rnd.choice([rnd.uniform(-3, 800), float(rnd.randint(-2, 3)), rnd.randint(-2, 3) + 0.999])
            glyphs.append(Glyph(text, x0, top, x0 + 5, top + 10, 10))
            if rnd.random() < 0.4:  # drawn again nearby: over it, or just far enough away
                g = rnd.choice(glyphs)
                dx, dy = rnd.choice([0.0, 0.6, 0.999, 1.0, -1.0, 1.5]), rnd.choice([0.0, 0.5, 1.0, -1.0, 2.0])
                glyphs.append(Glyph(g.text, g.x0 + dx, g.top + dy, g.x1 + dx, g.bottom + dy, 10))
        expected = by_rule(glyphs)
        assert page_glyphs(glyphs) == expected
        dropped += len(glyphs) - len(expected)
    assert dropped > 200  # the cases were there


def test_a_row_cut_by_a_page_break_under_a_spanned_group_label_is_joined_not_read_blank(tmp_path):
    """The group label （三）不予处理 spans the rows above the break, and its last character 理
    stands over the next page's first row with the item's last words and no values: the row is
    joined (its values are the upper page's), never read as a row printed blank (沭阳 2023 as
    LibreOffice lays it out without its column widths: 0 and 0 read blank)."""
    pdf = minipdf.MiniPDF()
    one = pdf.page()
    widths = [60, 160, 60, 60]
    one.grid(72, 700, widths, [30, 30], skip={("h", 1, 0)})  # the group's cell spans both rows
    one.text(75, 710, "（三）不予处")
    one.text(135, 710, "1.信访举报投诉类申请"), one.text(300, 710, "2"), one.text(360, 710, "2")
    one.text(135, 740, "3.要求"), one.text(300, 740, "0"), one.text(360, 740, "0")
    two = pdf.page()
    two.grid(72, 72, widths, [30, 30])
    two.text(75, 82, "理"), two.text(135, 82, "提供公开出版物")
    two.text(75, 112, "（七）总计"), two.text(300, 112, "10"), two.text(360, 112, "21")
    doc = read_document(_write(tmp_path, "group.pdf", pdf.build()))
    rows = [_texts(r) for t in doc.tables for r in t.rows]
    assert ["（三）不予处", "3.要求提供公开出版物", "0", "0"] in rows
    assert not any("提供公开出版物" in r[1] and r[2:] == ["", ""] for r in rows)
    assert any("joined" in n for n in doc.notes)
