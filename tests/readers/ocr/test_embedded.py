"""Tables printed as pictures inside a web page or a Word file, read by OCR where the picture stands.

The pictures are pages 4–5 of a real corpus report (tables 2–4) rendered here; the truth is that
report's. Every OCR value is confirmed by the arithmetic: none may be wrong, the rest is flagged."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from govdisclose.mapping.mapper import map_document
from govdisclose.mapping.ocr_confirm import confirm_ocr
from govdisclose.readers import read_document
from govdisclose.readers.ocr.document import OcrDocument
from govdisclose.tidy import frame_from_cells

sys.path.insert(0, str(Path(__file__).parent))
from scans import render  # noqa: E402  (tests/readers/ocr/scans.py)
from test_ocr import score  # noqa: E402

from conftest import CORPUS as SHARED  # noqa: E402

HUAIAN = SHARED / "huaian_2024.pdf"
needs_corpus = pytest.mark.skipif(not HUAIAN.exists(), reason="the shared corpus is absent")


@pytest.fixture(scope="module")
def table_pngs(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("pictures")
    out = []
    for number, page in enumerate(render(HUAIAN, 300)[3:5], start=4):
        out.append(folder / f"page{number}.png")
        Image.fromarray(page).save(out[-1])
    return out


def truth() -> pd.DataFrame:
    frame = pd.read_csv(SHARED / "truth" / "huaian_2024.csv", dtype=str, keep_default_na=False).assign(raw=lambda t: t["value"])
    return frame[frame["table"] == "requests"]  # table 3: all on pages 4-5


def check(doc: OcrDocument) -> None:
    """The document's cells mapped and confirmed by the arithmetic as :func:`govdisclose.read_report` does (read once)."""
    mapping = confirm_ocr(doc, map_document(doc))
    metrics = frame_from_cells(mapping.cells, agency="", year=2024, template=mapping.template, source=doc.source)
    result = score(metrics, truth())
    assert result["wrong"] == [] and result["absent"] == []
    # measured 166 of 175 exact at 300 dpi (at 200 dpi 108: '0'/'1' beside a ruling read unsure; still 0 wrong)
    assert len(result["exact"]) >= 0.9 * len(truth())


@pytest.mark.slow
@needs_corpus
def test_local_pictures_of_tables_in_a_web_page_are_read_in_place_and_remote_ones_never_fetched(table_pngs, tmp_path):
    for png in table_pngs:
        (tmp_path / "img").mkdir(exist_ok=True)
        (tmp_path / "img" / png.name).write_bytes(png.read_bytes())
    page = tmp_path / "report.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><title>淮安市人民政府2024年政府信息公开工作年度报告</title></head><body>"
        "<p>一、总体情况</p><p>（一）主动公开</p>"
        "<img src='http://example.org/banner.png'><img src='img/gone.png'>"
        "<p>二、主动公开政府信息情况</p><img src='img/page4.png'><img src='img/page5.png'>"
        "<p>五、政府信息公开工作存在的主要问题及改进情况</p></body></html>", encoding="utf-8")
    doc = read_document(page)
    assert isinstance(doc, OcrDocument) and doc.readings
    kinds = [type(b).__name__ if type(b).__name__ == "Table" else b.text[:2] for b in doc.blocks]
    assert kinds[kinds.index("二、") + 1] == "Table" and kinds[-1] == "五、"  # the tables stand where the pictures were
    assert any("http://example.org/banner.png" in n and "not a local file" in n for n in doc.notes)
    assert any("img/gone.png" in n and "not there" in n for n in doc.notes)
    cell = next(c.location for c in doc.tables[0].rows[-1] if doc.reading(c.location) is not None)
    assert cell.page == 1 and cell.bbox is not None and cell.detail == "image img/page4.png"
    check(doc)


@pytest.mark.slow
@needs_corpus
def test_pictures_of_tables_embedded_in_a_docx_are_read_in_place(table_pngs, tmp_path):
    import docx
    from docx.shared import Inches

    word = docx.Document()
    word.add_paragraph("淮安市人民政府2024年政府信息公开工作年度报告")
    word.add_paragraph("二、主动公开政府信息情况")
    for png in table_pngs:  # word/media/imageN.png, referenced from the body by r:embed
        word.add_picture(str(png), width=Inches(6))
    word.add_paragraph("五、政府信息公开工作存在的主要问题及改进情况")
    path = tmp_path / "report.docx"
    word.save(str(path))
    doc = read_document(path)
    assert isinstance(doc, OcrDocument) and doc.readings
    kinds = [type(b).__name__ if type(b).__name__ == "Table" else b.text[:2] for b in doc.blocks]
    assert kinds[kinds.index("二、") + 1] == "Table" and kinds[-1] == "五、"  # the tables stand where the pictures were
    cell = next(c.location for c in doc.tables[0].rows[-1] if doc.reading(c.location) is not None)
    assert cell.bbox is not None and cell.detail.startswith("image word/media/")
    check(doc)


@pytest.fixture(scope="module")
def text_png(tmp_path_factory) -> Path:
    """Page 6 of 淮安 2024 (sections 五 and 六, text only) as a picture, at 150 dpi."""
    out = tmp_path_factory.mktemp("text") / "page6.png"
    Image.fromarray(render(HUAIAN, 150)[5]).save(out)
    return out


def _text_lines(doc, at: str) -> list:
    """The paragraphs after the one starting with ``at`` up to the next one not from a picture."""
    blocks = doc.blocks[[i for i, b in enumerate(doc.blocks) if getattr(b, "text", "").startswith(at)][0] + 1:]
    out = []
    for b in blocks:
        if not b.location.detail:
            break
        out.append(b)
    return out


@pytest.mark.slow
@needs_corpus
def test_the_text_of_a_picture_is_read_in_place_in_a_web_page_and_a_docx(text_png, tmp_path):
    import docx
    from docx.shared import Inches

    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "page6.png").write_bytes(text_png.read_bytes())
    page = tmp_path / "report.html"
    page.write_text("<html><head><meta charset='utf-8'></head><body><p>五、存在的主要问题及改进情况（见图）</p>"
                    "<img src='img/page6.png'><p>附件：无</p></body></html>", encoding="utf-8")
    word = docx.Document()
    word.add_paragraph("五、存在的主要问题及改进情况（见图）")
    word.add_picture(str(text_png), width=Inches(6))
    word.add_paragraph("附件：无")
    word.save(str(tmp_path / "report.docx"))
    for path, detail in ((page, "image img/page6.png"), (tmp_path / "report.docx", "image word/media/")):
        doc = read_document(path)
        lines = _text_lines(doc, "五、存在")
        assert lines and all(type(b).__name__ == "Paragraph" and b.location.detail.startswith(detail) for b in lines)
        assert doc.blocks[doc.blocks.index(lines[-1]) + 1].text == "附件：无"  # in the picture's place
        texts = ["".join(b.text.split()) for b in lines]
        assert "六、其他需要报告的事项" in texts  # the section heading printed in the picture (text layer of the PDF)
        assert "全年收取政府信息公开信息处理费3940元" in "".join(texts)
        assert any("OCR found no table in it" in n and "paragraphs" in n for n in doc.notes)


def test_a_figure_in_a_pictures_text_is_unreadable_as_a_scans_is_never_trusted(tmp_path):
    # a pre-2019 report whose second section is a picture of its text: the figures OCR reads from
    # it have no cell reading the arithmetic could prove. The picture's OCR document used to be
    # dropped when it held no table cell, and the figures were taken as printed (12, 8, 1)
    from PIL import ImageDraw, ImageFont

    import govdisclose
    from govdisclose.viz.fonts import find_cjk_font

    image = Image.new("RGB", (1240, 600), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(find_cjk_font()[1], 26)
    for y, text in ((60, "二、依申请公开政府信息情况"), (130, "2017年，本机关共收到政府信息公开申请12件，"), (200, "其中予以公开8件，不予公开1件。")):
        draw.text((80, y), text, fill="black", font=font)
    image.save(tmp_path / "prose.png")
    title = "某县发展和改革局2017年政府信息公开工作年度报告"
    (tmp_path / "report.html").write_text(
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1><p>一、概述</p>"
        "<p>本报告依据《条例》编制。</p><img src='prose.png'><p>三、其他</p></body></html>", encoding="utf-8")
    report = govdisclose.read_report(tmp_path / "report.html")
    m = report.metrics.set_index("item")
    assert report.template == "pre2019"
    assert list(m.loc[["requests_received", "requests_granted", "requests_denied"], "raw"]) == ["12件", "8件", "1件"]  # OCR read them
    assert set(m["state"]) == {"unreadable"} and m["value"].isna().all()
    assert all("image prose.png" in loc for loc in m["location"])
    assert (report.findings["rule"] == "ocr.unconfirmed").sum() == 3
