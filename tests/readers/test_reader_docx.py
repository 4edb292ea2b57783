"""The DOCX reader: the official 2021 template's grid, single Word features, bad input, and
filled templates (and their LibreOffice PDFs) read back end to end with every cell exact."""

from __future__ import annotations

import csv
import hashlib
import io
import random
import zipfile
from pathlib import Path

import pytest

from govdisclose import read_report
from govdisclose.exceptions import (
    CorruptDocumentError,
    DocumentTooLargeError,
    EmptyDocumentError,
    GovDiscloseError,
    UnsupportedFormatError,
)
from govdisclose.readers import docx, read_document
from govdisclose.readers.model import Paragraph, Table
from govdisclose.template.normalize import norm

from conftest import corpus_file, truth_file
from docx_fixtures import (
    SAMPLE_TITLE,
    document_xml,
    docx_to_pdf,
    fill_template,
    has_cjk_font,
    make_docx,
    make_ole,
    offline_web_page,
    p,
    sample_values,
    soffice,
    soffice_convert,
    tbl,
    tc,
    tr,
)
from truthcheck import compare

# -- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def template(corpus_dir: Path) -> Path:
    path = corpus_dir / "template_2021_blank.docx"
    assert path.exists(), f"{path} is missing from the shared corpus"  # (corpus_dir skips where there is none)
    return path


@pytest.fixture(scope="session")
def blank_doc(template: Path):
    return read_document(template)


@pytest.fixture(scope="session")
def built(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Filled templates with their truth CSVs: ``sample`` (blanks, ``/``, ``—``, a 5270.6597 fee),
    ``fee_in_yuan`` (the fee printed ``251000元``) and ``review_blank`` (table 4 left empty)."""
    folder = tmp_path_factory.mktemp("docx_built")
    values = sample_values()
    fill_template(template, values, folder / "sample.docx")
    _write_truth(values, folder / "sample.csv")
    fee_values = {**values, ("active_disclosure", "fees.amount", None): "251000元"}
    fill_template(template, fee_values, folder / "fee_in_yuan.docx")
    _write_truth({**fee_values, ("active_disclosure", "fees.amount", None): "25.1"}, folder / "fee_in_yuan.csv")
    no_review = {k: ("" if k[0] == "review_litigation" else v) for k, v in values.items()}
    fill_template(template, no_review, folder / "review_blank.docx")
    _write_truth(no_review, folder / "review_blank.csv")
    return folder


@pytest.fixture(scope="session")
def built_pdfs(built: Path) -> dict[str, Path]:
    """The filled documents converted by LibreOffice (once per session), by stem."""
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    if not has_cjk_font():
        pytest.skip("no Chinese font for LibreOffice: apt-get install fonts-noto-cjk")
    pdfs = docx_to_pdf([built / "sample.docx", built / "fee_in_yuan.docx"], built / "pdf")
    assert pdfs is not None
    return {pdf.stem: pdf for pdf in pdfs}


@pytest.fixture(scope="session")
def built_pdf(built_pdfs: dict[str, Path]) -> Path:
    return built_pdfs["sample"]


def _write_truth(values: dict, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["table", "item", "applicant", "value"])
        for (table, item, applicant), value in values.items():
            writer.writerow([table, item, applicant or "", value])


@pytest.fixture
def small_docx(tmp_path: Path) -> Path:
    """A small report-like .docx made here (no corpus needed): a title and a 40-row table."""
    rows = [tr(tc("项目", '<w:gridSpan w:val="2"/>'), tc("数量"))]
    rows += [tr(tc(f"第{k}项"), tc(f"说明{k * 7919 % 1000}"), tc(str(k * 104729 % 9973))) for k in range(40)]
    return make_docx(tmp_path / "small.docx", p(SAMPLE_TITLE) + tbl(*rows, grid=3))


def _docx(tmp_path: Path, body: str, name: str = "t.docx", **kwargs) -> Path:
    return make_docx(tmp_path / name, body, **kwargs)


def _read(path: Path):
    return docx.read(path, path.read_bytes())


def _texts(row) -> list[str]:
    return [c.text for c in row]


# -- the official blank template -----------------------------------------------------------------


def test_template_tables_have_full_rectangular_grids(blank_doc):
    tables = blank_doc.tables
    assert [str(t.location) for t in tables] == ["table 1", "table 2", "table 3"]
    assert [len(t.rows) for t in tables] == [14, 28, 4]
    assert [{len(row) for row in t.rows} for t in tables] == [{4}, {10}, {15}]


def test_template_vertical_merge_of_outcome_label(blank_doc):
    requests = blank_doc.tables[1]
    column = [row[0] for row in requests.rows]
    span = [k for k, cell in enumerate(column) if cell.text == "三、本年度办理结果"]
    assert len(span) == 22 and span == list(range(5, 27))  # rows 6..27 as printed
    assert not column[5].merged and str(column[5].location) == "table 2, row 6, col 1"
    assert all(c.merged and str(c.location).endswith("(merged with row 6, col 1)") for c in column[6:27])
    # the sub-group label （三）不予公开 spans its eight rows in column 2
    col2 = [row[1].text for row in requests.rows[7:15]]
    assert col2 == ["（三）不予公开"] * 8 and [row[1].merged for row in requests.rows[7:15]] == [False] + [True] * 7


def test_template_horizontal_spans_and_header(blank_doc):
    active, requests, review = blank_doc.tables
    licensing = active.rows[6]
    assert licensing[0].text == "行政许可" and [c.merged for c in licensing] == [False, False, True, True]
    assert str(licensing[2].location) == "table 1, row 7, col 3 (merged with row 7, col 2)"
    assert _texts(active.rows[1]) == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    header = [norm(c.text) for c in requests.rows[2]][3:]
    assert header == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert requests.rows[2][3].merged and not requests.rows[1][3].merged  # 自然人 spans two header rows
    assert norm(requests.rows[3][0].text) == "一、本年新收政府信息公开申请数量"
    assert [c.merged for c in requests.rows[3]] == [False, True, True] + [False] * 7
    assert [norm(c.text) for c in review.rows[1][5:11]] == ["未经复议直接起诉"] * 5 + ["复议后起诉"]
    # empty template cells (some hold only ideographic spaces) read as empty text
    assert _texts(review.rows[3]) == [""] * 15 and _texts(active.rows[2])[1:] == ["", "", ""]


def test_template_paragraphs_in_reading_order(blank_doc):
    kinds = [(type(b).__name__, b.text if isinstance(b, Paragraph) else str(b.location)) for b in blank_doc.blocks]
    assert kinds[:4] == [
        ("Paragraph", "政府信息公开工作年度报告格式模板"),
        ("Paragraph", "一、总体情况"),
        ("Paragraph", "（文字描述）"),
        ("Paragraph", "二、主动公开政府信息情况"),
    ]
    order = [k[1] for k in kinds]
    assert order.index("三、收到和处理政府信息公开申请情况") < order.index("table 2") < order.index("四、政府信息公开行政复议、行政诉讼情况")
    assert order.index("table 3") < order.index("五、存在的主要问题及改进情况")
    heading = next(b for b in blank_doc.paragraphs if b.text == "一、总体情况")
    assert str(heading.location) == "paragraph 4"  # the 4th body paragraph, empty ones counted


# -- single Word features --------------------------------------------------------------------------


def test_runs_join_without_spaces_tabs_and_breaks(tmp_path):
    body = (
        "<w:p><w:r><w:t>本年</w:t></w:r><w:r><w:t>新收</w:t></w:r><w:r><w:tab/><w:t>18</w:t><w:br/><w:t>件</w:t></w:r></w:p>"
        + tbl(tr("<w:tc><w:p><w:r><w:t>予以</w:t></w:r><w:r><w:tab/><w:t>公开</w:t></w:r></w:p><w:p><w:r><w:t>第二行</w:t></w:r></w:p></w:tc>"))
    )
    doc = _read(_docx(tmp_path, body))
    assert (doc.blocks[0].text, str(doc.blocks[0].location)) == ("本年新收\t18\n件", "paragraph 1")
    assert doc.tables[0].rows[0][0].text == "予以 公开\n第二行"
    assert doc.format == "docx" and doc.source.endswith("t.docx")


def test_deleted_revisions_field_codes_and_hidden_text_are_not_read(tmp_path):
    body = (
        '<w:p><w:del w:id="1"><w:r><w:delText>99</w:delText></w:r></w:del><w:ins w:id="2"><w:r><w:t>18</w:t></w:r></w:ins>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>件</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>可见</w:t></w:r></w:p>'
    )
    doc = _read(_docx(tmp_path, body))
    assert doc.blocks[0].text == "18件可见"
    assert any("hidden" in note for note in doc.notes)


def test_text_box_read_once_after_its_paragraph(tmp_path):
    box = "<w:txbxContent>" + p("示例县人民政府2022年政府信息公开工作年度报告") + "</w:txbxContent>"
    body = (
        "<w:p><w:r><w:t>前</w:t></w:r><w:r><mc:AlternateContent>"
        f"<mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>{box}</wps:txbx>"
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>" + p("后")
    )
    doc = _read(_docx(tmp_path, body))
    assert [(b.text, str(b.location)) for b in doc.blocks] == [
        ("前", "paragraph 1"),
        ("示例县人民政府2022年政府信息公开工作年度报告", "paragraph 1 (text box 1; paragraph 1)"),
        ("后", "paragraph 2"),
    ]


def test_nested_tables_in_a_layout_frame_keep_reading_order(tmp_path):
    inner = tbl(tr(tc("行政复议"), tc("5")), grid=2)
    frame = tbl(tr(f"<w:tc>{p('三、收到和处理政府信息公开申请情况')}{inner}{p('四、行政复议')}</w:tc>"), grid=1)
    doc = _read(_docx(tmp_path, p("标题") + frame + tbl(tr(tc("后表")), grid=1)))
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Paragraph", "Table", "Paragraph", "Table"]
    assert str(doc.blocks[1].location) == "table 1, row 1, col 1, paragraph 1"
    assert str(doc.blocks[2].location) == "table 2" and _texts(doc.blocks[2].rows[0]) == ["行政复议", "5"]
    assert str(doc.blocks[2].rows[0][1].location) == "table 2, row 1, col 2"
    assert str(doc.blocks[4].location) == "table 3"
    assert any("layout frame" in note for note in doc.notes)


def test_grid_before_after_and_short_rows_are_padded_as_non_values(tmp_path):
    table = tbl(
        tr(tc("A"), tc("B"), tc("C"), tc("D")),
        tr(tc("x"), tc("1"), props='<w:gridBefore w:val="1"/><w:gridAfter w:val="1"/>'),
        tr(tc("短行")),
        grid=4,
    )
    rows = _read(_docx(tmp_path, table)).tables[0].rows
    assert [len(r) for r in rows] == [4, 4, 4]
    assert _texts(rows[1]) == ["", "x", "1", ""] and [c.merged for c in rows[1]] == [True, False, False, True]
    assert str(rows[1][0].location) == "table 1, row 2, col 1 (no cell)"
    assert str(rows[1][2].location) == "table 1, row 2, col 3"
    assert [c.merged for c in rows[2]] == [False, True, True, True]


def test_vmerge_without_origin_and_legacy_hmerge(tmp_path):
    table = tbl(
        tr(tc("孤", '<w:vMerge/>'), tc("左", '<w:hMerge w:val="restart"/>'), tc("", '<w:hMerge/>')),
        tr(tc("", '<w:vMerge/>'), tc("7"), tc("8")),
        grid=3,
    )
    rows = _read(_docx(tmp_path, table)).tables[0].rows
    assert _texts(rows[0]) == ["孤", "左", "左"] and [c.merged for c in rows[0]] == [False, False, True]
    assert rows[1][0].text == "孤" and rows[1][0].merged  # continues the row above
    assert str(rows[1][0].location) == "table 1, row 2, col 1 (merged with row 1, col 1)"


def test_content_controls_strict_namespace_and_symbols(tmp_path):
    body = (
        f"<w:sdt><w:sdtPr/><w:sdtContent>{p('控件段落')}</w:sdtContent></w:sdt>"
        + tbl(f"<w:sdt><w:sdtContent>{tr(tc('行'), '<w:sdt><w:sdtContent>' + tc('9') + '</w:sdtContent></w:sdt>')}</w:sdtContent></w:sdt>", grid=2)
        + '<w:p><w:r><w:sym w:font="Wingdings" w:char="F0FC"/><w:sym w:font="SimSun" w:char="2116"/></w:r></w:p>'
    )
    doc = _read(_docx(tmp_path, body))
    assert doc.blocks[0].text == "控件段落" and _texts(doc.tables[0].rows[0]) == ["行", "9"]
    assert doc.blocks[2].text == "\ufffd№"  # a symbol-font glyph is never guessed
    strict = document_xml(p("严格格式"), namespaces='xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"')
    assert _read(_docx(tmp_path, "", name="strict.docx", document=strict)).blocks[0].text == "严格格式"


def test_main_part_found_through_package_relationships(tmp_path):
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="r" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="/word/document2.xml"/></Relationships>'
    )
    path = _docx(tmp_path, "", parts={"_rels/.rels": rels, "word/document.xml": None, "word/document2.xml": document_xml(p("另名"))})
    assert _read(path).blocks[0].text == "另名"


# -- bad input ---------------------------------------------------------------------------------------


def _raises(exc_type, path: Path, data: bytes | None = None, words: str = ""):
    with pytest.raises(exc_type) as info:
        docx.read(path, path.read_bytes() if data is None else data)
    message = str(info.value)
    assert path.name in message and words in message
    return message


def test_not_a_zip_and_other_zips_are_unsupported(tmp_path):
    _raises(UnsupportedFormatError, tmp_path / "junk.docx", b"\x00\x01binary junk", "not a zip")
    xlsx = make_docx(tmp_path / "book.docx", parts={"word/document.xml": None, "_rels/.rels": None, "xl/workbook.xml": "<workbook/>"})
    _raises(UnsupportedFormatError, xlsx, words="Excel")
    plain = tmp_path / "plain.docx"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("readme.txt", "hello")
    _raises(UnsupportedFormatError, plain, words="not a Word document")


def test_truncated_and_damaged_zips_are_corrupt(tmp_path, small_docx):
    data = small_docx.read_bytes()
    _raises(CorruptDocumentError, tmp_path / "half.docx", data[: len(data) // 2], "damaged or truncated")
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 200
    flipped = bytearray(data)
    flipped[start:start + 64] = bytes(b ^ 0x5A for b in flipped[start:start + 64])
    _raises(CorruptDocumentError, tmp_path / "flipped.docx", bytes(flipped), "word/document.xml")


def test_zip_level_encryption_is_corrupt(tmp_path, small_docx):
    data = bytearray(small_docx.read_bytes())
    name = b"word/document.xml"
    for marker, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # local header, central directory
        at = bytes(data).find(marker)
        name_at = 30 if marker == b"PK\x03\x04" else 46
        while bytes(data[at + name_at:at + name_at + len(name)]) != name:
            at = bytes(data).find(marker, at + 4)
        data[at + flag_at] |= 1  # general-purpose flag bit 0: encrypted
    _raises(CorruptDocumentError, tmp_path / "zipcrypto.docx", bytes(data), "encrypted")


def test_missing_main_part_bad_xml_and_empty_documents(tmp_path):
    gone = make_docx(tmp_path / "gone.docx", parts={"word/document.xml": None, "word/styles.xml": "<styles/>"})
    _raises(CorruptDocumentError, gone, words="word/document.xml is missing")
    broken = _docx(tmp_path, "", name="broken.docx", document=b"<w:document><w:body><w:p>")
    _raises(CorruptDocumentError, broken, words="not well-formed")
    empty = _docx(tmp_path, "<w:p/><w:p><w:r><w:t>  </w:t></w:r></w:p>" + tbl(), name="empty.docx")
    _raises(EmptyDocumentError, empty, words="no text")
    scan = '<w:p><w:r><w:drawing><wp:inline><a:graphic><a:graphicData/></a:graphic></wp:inline></w:drawing></w:r></w:p>'
    _raises(EmptyDocumentError, _docx(tmp_path, scan * 3, name="scan.docx"), words="only 3 picture(s)")
    other = _docx(tmp_path, "", name="other.docx", document=b'<doc xmlns="urn:x"><body/></doc>')
    _raises(CorruptDocumentError, other, words="not a WordprocessingML")


def test_zip_bomb_refused_by_declared_size(tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<w:document>" + b" " * (docx.MAX_XML_BYTES + 1) + b"</w:document>")
    assert bomb.stat().st_size < 200_000
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    _raises(DocumentTooLargeError, bomb, words="declares")
    assert "word/document.xml" not in opened  # refused from the declared size, nothing inflated


def test_inflated_stream_is_capped_while_reading(monkeypatch):
    raw = io.BytesIO(b"x" * 5000)
    reader = docx.CappedReader(raw, 4096)
    assert len(reader.read(4096)) == 4096
    with pytest.raises(docx.TooLarge):
        reader.read(4096)


def test_entity_bombs_deep_nesting_and_huge_spans_fail_fast(tmp_path):
    lol = '<!ENTITY a "aaaaaaaaaa">' + "".join(f'<!ENTITY {c} "{("&" + p_ + ";") * 10}">' for p_, c in zip("abcdefgh", "bcdefghi"))
    laughs = f'<?xml version="1.0"?><!DOCTYPE d [{lol}]><w:document xmlns:w="{docx.W_NAMESPACES[0]}"><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>'
    _raises(CorruptDocumentError, _docx(tmp_path, "", name="laughs.docx", document=laughs.encode()))
    nested = p("深")
    for _ in range(100):
        nested = tbl(f"<w:tr><w:tc>{nested}</w:tc></w:tr>")
    _raises(CorruptDocumentError, _docx(tmp_path, nested, name="deep.docx"), words="depth")
    wide = tbl(tr(tc("x", '<w:gridSpan w:val="100000000"/>')))
    _raises(DocumentTooLargeError, _docx(tmp_path, wide, name="wide.docx"), words="spans")


@pytest.mark.parametrize(
    ("limit", "value", "words"),
    [("MAX_BLOCK_ELEMENTS", 2000, "XML elements"), ("MAX_CELLS", 1000, "cells"), ("MAX_BLOCKS", 50, "paragraphs")],
)
def test_element_cell_and_block_limits(tmp_path, monkeypatch, limit, value, words):
    monkeypatch.setattr(docx, limit, value)
    rows = tbl(*(tr(*(tc(str(k)) for k in range(10))) for _ in range(120)), grid=10)
    body = rows if limit != "MAX_BLOCKS" else "".join(p(f"第{k}段") for k in range(60))
    _raises(DocumentTooLargeError, _docx(tmp_path, body), words=words)
    monkeypatch.undo()
    assert len(_read(_docx(tmp_path, body, name="ok.docx")).blocks) in (1, 60)


def test_nesting_just_under_the_parser_limit_reads(tmp_path):
    nested = p("深")
    for _ in range(75):
        nested = tbl(f"<w:tr><w:tc>{nested}</w:tc></w:tr>")
    doc = _read(_docx(tmp_path, nested))
    assert [(str(b.location), b.rows[0][0].text, str(b.rows[0][0].location)) for b in doc.blocks] == [("table 75", "深", "table 75, row 1, col 1")]


def test_password_protected_docx_is_named_as_such(tmp_path):
    encrypted = make_ole(tmp_path / "locked.docx")
    message = _raises(CorruptDocumentError, encrypted, words="password-protected")
    assert "remove the password" in message
    _raises(UnsupportedFormatError, make_ole(tmp_path / "old.doc", ("WordDocument",)), words="old binary Word")


def test_password_protected_docx_message_through_dispatcher(tmp_path):
    with pytest.raises(CorruptDocumentError, match="password-protected"):
        read_document(make_ole(tmp_path / "locked.docx"))


def test_reading_never_modifies_the_file(small_docx):
    path = small_docx
    before = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    read_document(path)
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before


def test_only_package_errors_escape_on_random_damage(small_docx):
    """Seeded byte flips, cuts and holes: every failure is a GovDiscloseError naming the file."""
    data = small_docx.read_bytes()
    assert _read(small_docx).tables[0].rows[40][2].text == str(39 * 104729 % 9973)
    rng = random.Random(20240131)
    outcomes: set[str] = set()
    for k in range(150):
        damaged = bytearray(data)
        if k % 3 == 0:
            for _ in range(rng.randint(1, 20)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        elif k % 3 == 1:
            damaged = damaged[: rng.randrange(len(damaged))]
        else:
            at = rng.randrange(len(damaged))
            del damaged[at:at + rng.randint(1, 500)]
        name = f"damaged{k}.docx"
        try:
            docx.read(Path(name), bytes(damaged))
            outcomes.add("read")
        except GovDiscloseError as exc:
            assert name in str(exc)
            outcomes.add(type(exc).__name__)
    assert "CorruptDocumentError" in outcomes


# -- filled templates, end to end ------------------------------------------------------------------


def test_filled_template_grid_holds_the_printed_text(built):
    doc = read_document(built / "sample.docx")
    requests = doc.tables[1]
    new_received = requests.rows[3]
    assert _texts(new_received)[3:] == ["117", "14", "", "/", "—", "4", "135"]
    assert str(new_received[9].location) == "table 2, row 4, col 10"
    assert doc.tables[0].rows[13][1].text == "5270.6597"
    assert (doc.blocks[0].text, str(doc.blocks[0].location)) == (SAMPLE_TITLE, "paragraph 2")


def _read_report():
    return read_report


def test_filled_docx_read_back_with_every_cell_exact(built):
    report = _read_report()(built / "sample.docx")
    assert (report.agency, report.year, report.template, report.format) == ("示例县人民政府", 2022, "2021", "docx")
    result = compare(report.metrics, built / "sample.csv")
    assert {k: len(v) for k, v in result.items()} == {"exact": 200, "flagged": 0, "wrong": 0, "missing": 0, "extra": 0}
    fee = report.metrics.query("item == 'fees.amount'").iloc[0]
    assert (fee["raw"], str(fee["value"]), fee["unit"], fee["location"]) == ("5270.6597", "5270.6597", "万元", "table 1, row 14, col 2")
    states = report.metrics.query("table == 'requests'").groupby("applicant", observed=True)["state"].agg(set).to_dict()
    assert states["research_institution"] == {"blank"} and states["social_welfare_org"] == {"na"}
    assert "135件" in report.sections["一"] and "无其他需要报告的事项" in report.sections["六"]


def test_docx_grid_of_a_table_4_left_blank(built):
    row = read_document(built / "review_blank.docx").tables[2].rows[3]
    assert [(c.text, c.merged) for c in row] == [("", False)] * 15
    assert str(row[14].location) == "table 3, row 4, col 15"


def test_table_4_left_blank_reads_as_blank(built):
    report = _read_report()(built / "review_blank.docx")
    result = compare(report.metrics, built / "review_blank.csv")
    assert len(result["exact"]) == 200, {k: v[:3] for k, v in result.items() if k != "exact"}


def test_fee_printed_in_yuan_is_converted_to_wan_yuan(built):
    report = _read_report()(built / "fee_in_yuan.docx")
    fee = report.metrics.query("item == 'fees.amount'").iloc[0]
    assert fee["raw"] == "251000元" and fee["state"] == "number" and float(fee["value"]) == 25.1
    result = compare(report.metrics, built / "fee_in_yuan.csv")
    assert len(result["exact"]) == 200 and not (result["wrong"] or result["flagged"] or result["missing"])


def _pdf_report(built_pdf: Path):
    return _read_report()(built_pdf)


@pytest.mark.slow
def test_libreoffice_pdf_of_filled_template_read_back_exact(built, built_pdf):
    report = _pdf_report(built_pdf)
    assert (report.template, report.format) == ("2021", "pdf")
    result = compare(report.metrics, built / "sample.csv")
    assert {k: len(v) for k, v in result.items()} == {"exact": 200, "flagged": 0, "wrong": 0, "missing": 0, "extra": 0}, {
        k: v[:5] for k, v in result.items() if k != "exact"
    }
    # table 3 crosses a page break in LibreOffice's layout (with Noto CJK): its last row is still read
    carried_forward = report.metrics.query("item == 'carried_forward' and applicant == 'total'").iloc[0]
    assert carried_forward["raw"] == "9" and carried_forward["location"].startswith("page ")


@pytest.mark.slow
def test_libreoffice_pdf_fee_in_yuan(built, built_pdfs):
    report = _pdf_report(built_pdfs["fee_in_yuan"])
    fee = report.metrics.query("item == 'fees.amount'").iloc[0]
    assert fee["raw"] == "251000元" and fee["state"] == "number" and float(fee["value"]) == 25.1
    result = compare(report.metrics, built / "fee_in_yuan.csv")
    assert len(result["exact"]) == 200 and not (result["wrong"] or result["flagged"] or result["missing"])


@pytest.mark.slow
def test_libreoffice_pdf_title_wrapped_mid_word(built_pdf):
    report = _pdf_report(built_pdf)
    assert (report.agency, report.year) == ("示例县人民政府", 2022)


# -- real reports saved as Word documents (LibreOffice's DOCX export of the saved web pages) -------

WEB_PAGES = {"pingtan_2024": 200, "shuyang_fgj_2023": 200, "pingtan_2019": 198}


@pytest.fixture(scope="session")
def web_docx(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled HTML reports, offline copies converted to .docx by LibreOffice in one call."""
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    folder = tmp_path_factory.mktemp("web_docx")
    pages = [offline_web_page(corpus_file(f"{stem}.html"), folder / "html") for stem in WEB_PAGES]
    outputs = soffice_convert(pages, folder, "docx:MS Word 2007 XML")
    assert outputs is not None
    return {out.stem: out for out in outputs}


@pytest.mark.slow
@pytest.mark.parametrize("stem", list(WEB_PAGES))
def test_real_report_as_docx_every_cell_exact(web_docx, stem):
    report = _read_report()(web_docx[stem])
    assert report.format == "docx" and report.template == ("2019" if stem.endswith("2019") else "2021")
    result = compare(report.metrics, truth_file(stem))
    assert len(result["exact"]) == WEB_PAGES[stem], {k: v[:5] for k, v in result.items() if k != "exact"}
    assert not (result["wrong"] or result["flagged"] or result["missing"] or result["extra"])


def test_real_report_as_docx_grid(web_docx):
    doc = read_document(web_docx["pingtan_2024"])
    assert [(len(t.rows), len(t.rows[0])) for t in doc.tables] == [(14, 4), (28, 10), (4, 15)]
    requests = doc.tables[1]
    assert _texts(requests.rows[3])[3:] == ["217", "1", "0", "0", "0", "0", "218"]
    outcome = [row[0] for row in requests.rows if norm(row[0].text) == "三、本年度办理结果"]
    assert len(outcome) == 22 and [c.merged for c in outcome] == [False] + [True] * 21


def test_every_table_cell_has_a_findable_location(built):
    doc = read_document(built / "sample.docx")
    for table in doc.tables:
        for r, row in enumerate(table.rows, start=1):
            for c, cell in enumerate(row, start=1):
                assert (cell.location.table, cell.location.row, cell.location.col) == (table.location.table, r, c)
    assert all(isinstance(b, (Paragraph, Table)) for b in doc.blocks)


# -- automatic list numbers ------------------------------------------------------------------------

_W_DECL = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_NUMBERING = f"""<w:numbering {_W_DECL}>
<w:abstractNum w:abstractNumId="7">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="8">
  <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="8"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="7"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
</w:numbering>"""
_STYLES = f"""<w:styles {_W_DECL}>
<w:style w:type="paragraph" w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="H1b"><w:basedOn w:val="H1"/></w:style>
<w:style w:type="paragraph" w:styleId="Loop"><w:basedOn w:val="Loop2"/></w:style>
<w:style w:type="paragraph" w:styleId="Loop2"><w:basedOn w:val="Loop"/></w:style>
</w:styles>"""
_DOC_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="n" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="lists.xml"/>'
    '<Relationship Id="s" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/word/styles.xml"/>'
    "</Relationships>"
)


def _np(text: str, num: str | None = None, ilvl: int | None = None, style: str | None = None) -> str:
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None or ilvl is not None:
        props += "<w:numPr>" + (f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else "") + (
            f'<w:numId w:val="{num}"/>' if num is not None else "") + "</w:numPr>"
    return f"<w:p><w:pPr>{props}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_automatic_list_numbers_are_printed(tmp_path):
    body = (
        _np("总体情况", style="H1")
        + _np("主动公开政府信息情况", style="H1b")
        + _np("予以公开", "1", 1)
        + _np("部分公开", style="H1", ilvl=1)
        + _np("收到和处理政府信息公开申请情况", "1", 0)
        + tbl(tr(f"<w:tc>{_np('不予公开', '1', 1)}</w:tc>", f"<w:tc>{_np('属于国家秘密', '1', 2)}</w:tc>"), grid=2)
        + _np("要点", "2", 0)
        + _np("不编号", "0", 0, style="H1")
        + _np("循环样式", style="Loop")
        + _np("重新起编", "3", 0)
        + _np("第三级", "1", 2)
    )
    path = _docx(tmp_path, body, parts={"word/lists.xml": _NUMBERING, "word/styles.xml": _STYLES,
                                        "word/_rels/document.xml.rels": _DOC_RELS})
    doc = _read(path)
    assert [b.text for b in doc.paragraphs] == [
        "一、总体情况", "二、主动公开政府信息情况", "（一）予以公开", "（二）部分公开", "三、收到和处理政府信息公开申请情况",
        "要点", "不编号", "循环样式", "五、重新起编", "1.\t第三级",
    ]
    assert _texts(doc.tables[0].rows[0]) == ["（一）不予公开", "1. 属于国家秘密"]


def test_unreadable_numbering_part_is_noted_not_fatal(tmp_path):
    path = _docx(tmp_path, _np("总体情况", "1", 0), parts={"word/numbering.xml": "<w:numbering"})
    doc = _read(path)
    assert doc.paragraphs[0].text == "总体情况" and any("numbering.xml could not be read" in n for n in doc.notes)
