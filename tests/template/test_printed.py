"""The printed forms of the templates are what real documents print: the 2021 blank template
(``template_2021_blank.docx``) word for word and in order, and a real 2019-template report."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from govdisclose.exceptions import CatalogueError
from govdisclose.template.catalogue import catalogue, requests_rows
from govdisclose.template.printed import (
    ACTIVE_CORNER,
    OUTCOME_SPAN,
    SECTIONS,
    active_blocks,
    active_label,
    printed_labels,
    requests_group_label,
    requests_header,
    requests_label,
    requests_rows_printed,
    review_header,
    review_words,
    title,
    unnumbered,
)

CORPUS = Path("/work/shared/corpus")
BLANK = CORPUS / "template_2021_blank.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _reading_order(template: str) -> list[str]:
    """Every heading and label of the template's sections 一–六 in the order a reader meets them."""
    out = [SECTIONS[0], SECTIONS[1]]
    for block in active_blocks(template):
        out += [block.article, ACTIVE_CORNER, *block.headers, *(label for _, label in block.rows)]
    out.append(SECTIONS[2])
    out += [cell.text for row in requests_header() for cell in row]
    started, groups = False, set()
    for row in requests_rows_printed(template):
        if row.outcome and not started:
            started = True
            out.append(OUTCOME_SPAN)
        if row.group and row.group not in groups:
            groups.add(row.group)
            out.append(row.group)
        out.append(row.label)
    out.append(SECTIONS[3])
    out += [cell.text for row in review_header() for cell in row]
    return [*out, SECTIONS[4], SECTIONS[5]]


def _blank_texts() -> list[str]:
    """The non-empty paragraphs and table cells of the blank 2021 template, in document order."""
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(BLANK).read("word/document.xml"))
    texts = []
    for element in root.find(f"{W}body"):
        if element.tag == f"{W}p":
            texts.append("".join(element.itertext()).strip())
        elif element.tag == f"{W}tbl":
            for cell in element.iter(f"{W}tc"):  # a cell's paragraphs are one label (商业 / 企业)
                texts.append("".join("".join(p.itertext()) for p in cell.iter(f"{W}p")).strip())
    return [t for t in texts if t]


@pytest.mark.skipif(not BLANK.is_file(), reason="the shared corpus is not available")
def test_2021_forms_are_the_blank_template_word_for_word_in_order():
    texts = _blank_texts()
    assert texts[0] == "政府信息公开工作年度报告格式模板"
    body = [t for t in texts[1:] if not t.startswith("（文字描述")]  # the placeholders for prose
    assert body == _reading_order("2021")
    assert printed_labels("2021") == set(body)


@pytest.mark.skipif(not (CORPUS / "pingtan_2019.txt").is_file(), reason="the shared corpus is not available")
def test_2019_forms_appear_in_order_in_a_real_2019_report():
    # the page's text runs all cells together; every 2019 heading and label occurs in reading order
    text = (CORPUS / "pingtan_2019.txt").read_text(encoding="utf-8")
    text = text[text.index("一、总体情况"):]
    at = 0
    for label in _reading_order("2019"):
        found = text.find(label, at)
        assert found >= 0, label
        at = found + len(label)
    assert "本年制发件数" not in text and "第二十条第（九）项" in text


def test_the_two_templates_differ_where_the_2021_revision_changed_them():
    only_2021 = printed_labels("2021") - printed_labels("2019")
    only_2019 = printed_labels("2019") - printed_labels("2021")
    assert {"本年制发件数", "本年废止件数", "现行有效件数", "行政规范性文件", "3.其他"} <= only_2021
    assert {"本年新制作数量", "采购总金额", "其他对外管理服务事项", "规范性文件", "第二十条第（九）项"} <= only_2019
    assert requests_label("other_handling", "2019") == "（六）其他处理"
    assert requests_group_label("other_handling.other") == "（六）其他处理"
    assert active_label("licensing", "2019") == active_label("licensing", "2021") == "行政许可"
    assert [b.headers for b in active_blocks("2019")][1] == ("上一年项目数量", "本年增/减", "处理决定数量")


def test_forms_cover_exactly_the_catalogue_cells():
    cat = catalogue()
    for template in ("2019", "2021"):
        in_template = cat["templates"].str.split(";").map(lambda t, template=template: template in t)
        active = set(cat.loc[in_template & (cat["table"] == "active_disclosure"), "item"])
        laid_out = {f"{row}.{f}" for b in active_blocks(template) for row, _ in b.rows for f in b.fields}
        assert laid_out == active
        assert tuple(r.item for r in requests_rows_printed(template)) == requests_rows(template)
    # the mixed 2023 layout: a 2021 report whose （六） is one row
    assert requests_rows_printed("2021", single_other_handling=True)[-3].label == "（六）其他处理"
    review = cat.loc[cat["table"] == "review_litigation", "item"]
    assert sum(c.cols for c in review_header()[0]) == len(review) == 15
    assert review_words("review.total") == ("行政复议", "总计")


def test_title_and_numbering():
    assert title("外交部", 2023) == "外交部2023年政府信息公开工作年度报告"
    assert unnumbered("四、结转下年度继续办理") == "结转下年度继续办理"
    assert unnumbered("(三)不予公开") == "不予公开" and unnumbered("3、其他") == "其他"
    assert re.fullmatch(r"[一二三四五六]、\S+", SECTIONS[5])


def test_unknown_template_or_row():
    with pytest.raises(CatalogueError):
        active_blocks("2017")
    with pytest.raises(CatalogueError):
        active_label("procurement", "2021")
    with pytest.raises(CatalogueError):
        requests_label("nonsense")
