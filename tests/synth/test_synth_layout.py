"""The synthetic layout is the template's: the 2021 tables match the official blank template cell
for cell (merges included), and synth/ takes every printed word from govdisclose.template."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

import govdisclose.synth
from govdisclose.synth import generate_corpus, make_report
from govdisclose.synth.grids import blocks, slots
from govdisclose.synth.office import _docx_skeleton
from govdisclose.template.printed import REPORT_NAME, SECTIONS, printed_labels, unnumbered

BLANK = Path("/work/shared/corpus/template_2021_blank.docx")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _blank_tables() -> list[list[list[str | None]]]:
    """The blank template's tables as slot grids: a cell's text at its origin, None where a
    merge covers the slot (gridSpan to the right, vMerge continue below)."""
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(BLANK).read("word/document.xml"))
    tables = []
    for table in root.iter(f"{W}tbl"):
        grid = []
        for tr in table.iter(f"{W}tr"):
            row: list[str | None] = []
            for tc in tr.iter(f"{W}tc"):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                text = "".join("".join(p.itertext()) for p in tc.iter(f"{W}p")).strip()
                below = merge is not None and merge.get(f"{W}val") in (None, "continue")
                row.append(None if below else text)
                row += [None] * (int(span.get(f"{W}val")) - 1 if span is not None else 0)
            grid.append(row)
        tables.append(grid)
    return tables


@pytest.mark.skipif(not BLANK.is_file(), reason="the shared corpus is not available")
def test_2021_tables_are_the_blank_templates_cell_for_cell():
    report = make_report("示例东山县交通运输局", 2023, seed=3)
    grids = [block[1] for block in blocks(report) if block[0] == "table"]
    drawn = [[[None if s is None else ("" if s.value else s.text) for s in row] for row in slots(g)] for g in grids]
    assert drawn == _blank_tables()
    headings = [block[1] for block in blocks(report) if block[0] == "heading"]
    assert headings == list(SECTIONS)


def test_no_template_wording_in_synth():
    """Labels, headers and headings live in govdisclose.template; synth/ only refers to them."""
    words = {w for t in ("2019", "2021") for label in printed_labels(t) for w in (label, unnumbered(label))}
    words = {w for w in words | {REPORT_NAME} if len(w) >= 3}  # 总计, 规章, 其他 are too short to tell
    assert {"本年新收政府信息公开申请数量", "结转下年度继续办理", "本年制发件数", "法人或其他组织", "结果维持"} <= words
    for path in sorted(Path(govdisclose.synth.__file__).parent.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert not sorted(w for w in words if w in source), path.name


@pytest.mark.slow
def test_docx_bytes_depend_only_on_the_seed(tmp_path):
    a = generate_corpus(tmp_path / "a", 2, formats=("docx",), seed=4)
    _docx_skeleton.cache_clear()  # as in a new process, a while later: python-docx stamps the time
    time.sleep(2.1)  # zip times have a 2-second resolution
    b = generate_corpus(tmp_path / "b", 2, formats=("docx",), seed=4)
    for pa, pb in zip(a.files["source"], b.files["source"]):
        assert Path(pa).read_bytes() == Path(pb).read_bytes()
