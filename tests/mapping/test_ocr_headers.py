"""OCR-misread header cells of tables 3 and 4 matched to the template's labels only where the match is
unique, the columns then form the template's header, and the arithmetic confirms them
(govdisclose.mapping.ocr_headers), on the readings captured off a real scan: 平潭 2019 rendered by
LibreOffice, scanned at office quality (seed 31), read by OCR. Its table-3 header reads 科研机沟 and
法律服务机沟, its table-4 header 结昊维诗, 结果红正, 尚六自结, 总一, 天经复议直:接起诉 …"""

from __future__ import annotations

import copy

import pytest
from ocr_fixture import captured_tables, rebuilt

from govdisclose.mapping.mapper import map_document
from govdisclose.mapping.ocr_headers import requests_labels, review_labels, tolerant_label

NAME = "pingtan_2019_office_31"


def _cells(mapping, table: str) -> dict:
    return {(c.item, c.applicant): c for c in mapping.cells if c.table == table}


def _edited(edit) -> list[dict]:  # type: ignore[no-untyped-def]
    tables = copy.deepcopy(captured_tables(NAME))
    for t in tables:
        for row in t["rows"]:
            for cell in row:
                edit(cell)
    return tables


def test_the_scan_really_misreads_the_headers() -> None:
    texts = {cell[0] for t in captured_tables(NAME) for row in t["rows"] for cell in row}
    assert {"科研机沟", "法律服务机沟", "结昊维诗", "总一"} <= texts
    assert "科研机构" not in texts


def test_misread_table3_header_is_tolerated_and_the_table_read() -> None:
    mapping = map_document(rebuilt(captured_tables(NAME)))
    cells = _cells(mapping, "requests")
    assert all(c.state == "number" for c in cells.values())
    assert cells[("new_received", "natural_person")].raw == "23"
    assert cells[("new_received", "research_institution")].raw == "0"
    assert cells[("new_received", "total")].raw == "23"
    assert cells[("granted", "total")].raw == "7"
    tolerated = [f for f in mapping.findings if f.rule == "ocr.header_tolerated" and "table requests" in f.message]
    assert [(f.location.row, f.location.col) for f in tolerated] == [(2, 6), (2, 8)]
    assert "'科研机沟'" in tolerated[0].message and "'科研机构'" in tolerated[0].message
    assert not [f for f in mapping.findings if f.rule == "column.header" and f.severity == "warning"]


def test_misread_table4_header_is_tolerated_and_the_table_read() -> None:
    mapping = map_document(rebuilt(captured_tables(NAME)))
    cells = _cells(mapping, "review_litigation")
    assert len(cells) == 15 and all(c.state == "number" and c.raw == "0" for c in cells.values())
    printed = {f.message.split("'")[1] for f in mapping.findings if f.rule == "ocr.header_tolerated" and "review_litigation" in f.message}
    assert printed == {"结昊维诗", "结果红正", "尚六自结", "总一", "天经复议直:接起诉", "结果维特", "结果丝正"}


def test_the_same_cells_from_a_text_layer_keep_the_exact_rules() -> None:
    """No OCR readings: a header printed 科研机沟 is what the page prints; the table stays flagged."""
    mapping = map_document(rebuilt(captured_tables(NAME), ocr=False))
    assert all(c.state == "unreadable" for c in _cells(mapping, "requests").values())
    assert all(c.state == "unreadable" for c in _cells(mapping, "review_litigation").values())
    assert not [f for f in mapping.findings if f.rule == "ocr.header_tolerated"]


def test_a_tolerated_header_is_read_as_printed_where_columns_are_swapped() -> None:
    """scripts/ocr_column_collapse.py: 自然人 and 商业企业 values swapped under a 科研机沟 header. The header's
    exactly read cells say which column is which: 商业企业 gets the 23, 自然人 the 0."""
    def swap(cell: list) -> None:
        if cell[2:4] in ([9, 2], [10, 3]) and cell[5] in (4, 5) and cell[0].isdigit():
            cell[5] = 9 - cell[5]  # col 4 <-> col 5

    tables = _edited(swap)
    for t in tables:
        for row in t["rows"]:
            row.sort(key=lambda c: c[5])
    cells = _cells(map_document(rebuilt(tables)), "requests")
    assert cells[("new_received", "natural_person")].raw == "0"
    assert cells[("new_received", "commercial_enterprise")].raw == "23"
    assert cells[("new_received", "total")].raw == "23"


def test_a_misread_header_the_arithmetic_does_not_confirm_stays_flagged() -> None:
    """The same scan with table 3's 总计 column misread on most rows: the row totals no longer confirm
    the tolerated header, so the table stays flagged, and each cell's note names the cause: the header
    cells OCR read that name no column (not OCR's doubt about the cell)."""
    def break_totals(cell: list) -> None:
        if cell[2:4] in ([9, 2], [10, 3]) and cell[5] == 10 and cell[0].isdigit() and not cell[1]:
            cell[0] = str(int(cell[0]) + 1)

    mapping = map_document(rebuilt(_edited(break_totals)))
    cells = _cells(mapping, "requests")
    assert all(c.state == "unreadable" for c in cells.values())
    note = cells[("new_received", "natural_person")].note
    assert note.startswith("the header of table requests could not be matched: its cells '科研机沟' (row 2, col 6; 科研机构?), "
                           "'法律服务机沟' (row 2, col 8; 法律服务机构?)")
    assert "the row totals hold on 0 of 23" in note and "OCR unsure" not in note
    assert [f for f in mapping.findings if f.rule == "column.header" and f.severity == "warning" and "'科研机沟'" in f.message]
    assert not [f for f in mapping.findings if f.rule == "ocr.header_tolerated" and "table requests" in f.message]


def test_a_misread_table4_header_whose_block_totals_break_stays_flagged_with_its_cause() -> None:
    def break_review(cell: list) -> None:
        if cell[2:5] == [10, 4, 4] and cell[5] == 1:
            cell[0] = "3"  # 行政复议 结果维持 3 where its block total reads 0

    cells = _cells(map_document(rebuilt(_edited(break_review))), "review_litigation")
    assert all(c.state == "unreadable" for c in cells.values())
    note = cells[("review.upheld", None)].note
    assert note.startswith("table review_litigation: the header of table review_litigation could not be matched: its cells "
                           "'结昊维诗' (row 2, col 1; 结果维持?), '结果红正' (row 2, col 2; 结果纠正?)")
    assert "names the outcomes in another order" in note


def test_a_misread_total_column_is_tolerated_where_no_swap_changes_a_value() -> None:
    """A misread 总计 (总汁): its swap with 自然人 is one the row totals could see, but the two columns
    print the same numbers on every row of this report, so no value depends on it."""
    def misread_total(cell: list) -> None:
        if cell[0] == "总计" and cell[2:4] == [9, 2]:
            cell[0] = "总汁"

    mapping = map_document(rebuilt(_edited(misread_total)))
    assert _cells(mapping, "requests")[("new_received", "total")].raw == "23"  # 自然人 = 总计 on every row: no value changes


@pytest.mark.parametrize(("text", "labels", "label"), [
    ("科研机沟", requests_labels(), "科研机构"),
    ("社会公益组织", requests_labels(), "社会公益组织"),
    ("总汁", requests_labels(), "总计"),
    ("结果丝正", review_labels(), "结果纠正"),
    ("结果纠持", review_labels(), None),  # one edit from 结果维持 and from 结果纠正: not unique
    ("总", requests_labels(), "总计"),  # 计 lost (office scan, seed 7)
    ("商业企17", requests_labels(), "商业企业"),  # 业 read as digits (fax scan, seed 7)
    ("法律务机沟", requests_labels(), "法律服务机构"),  # 服 lost, 构 as 沟 (fax scan, seed 7)
    ("淇他", requests_labels(), "其他"),
    ("#", requests_labels(), None),
    ("17", requests_labels(), None),
    ("结果", review_labels(), None),  # two characters short of 结果维持, 结果纠正 and 其他结果
    ("研究机关", requests_labels(), None),  # two plain edits from 科研机构
    ("结果维护", review_labels(), "结果维持"),
    ("尚水目结", review_labels(), "尚未审结"),  # 未 as 水, 审 as 目 (平潭 2019 blurred scan, seed 31)
    ("尚水自", review_labels(), None),  # two look-alikes and a lost character: too far
])
def test_tolerant_label(text: str, labels: tuple[str, ...], label: str | None) -> None:
    assert tolerant_label(text, labels) == label


def test_the_arithmetic_must_hold_on_most_rows_to_confirm_a_tolerated_header() -> None:
    from govdisclose.mapping.columns import ColumnPlan
    from govdisclose.mapping.ocr_headers import confirms
    from govdisclose.mapping.rows import rows_of_cells

    codes = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org",
             "other_org", "total")
    plan = ColumnPlan(codes, True, tuple(range(1, 8)), 8, None)
    sums = [("total", codes[:-1])]
    good = [["规章", "3", "1", "2", "0", "0", "0", "6"], ["x", "1", "0", "0", "0", "0", "0", "1"], ["y", "2", "2", "0", "0", "0", "1", "5"]]
    assert confirms(plan, rows_of_cells(good), {"research_institution"}, sums, least=3)[0]
    assert not confirms(plan, rows_of_cells(good[:2]), {"research_institution"}, sums, least=3)[0]  # too few rows
    bad = [*good, *[["z", "2", "2", "0", "0", "0", "1", "9"]] * 3]  # the totals fail on 3 rows of 6
    ok, why = confirms(plan, rows_of_cells(bad), {"research_institution"}, sums, least=3)
    assert not ok and "hold on 3 of 6" in why


def _renamed(names: dict[str, str], then=None) -> list[dict]:  # type: ignore[no-untyped-def]
    def edit(cell: list) -> None:
        cell[0] = names.get(cell[0], cell[0])
        if then is not None:
            then(cell)
    return _edited(edit)


def test_a_header_cell_far_from_every_label_is_taken_by_elimination_when_the_totals_confirm() -> None:
    """科研机沟 read as 科学机关 (two edits from 科研机构, so no longer tolerated by likeness): the one cell of
    the 法人或其他组织 segment naming nothing, 科研机构 the one label that segment lacks; the totals hold."""
    mapping = map_document(rebuilt(_renamed({"科研机沟": "科学机关"})))
    cells = _cells(mapping, "requests")
    assert all(c.state == "number" for c in cells.values())
    assert cells[("new_received", "natural_person")].raw == "23"
    assert cells[("new_received", "research_institution")].raw == "0"
    assert cells[("granted", "total")].raw == "7"
    tolerated = [f for f in mapping.findings if f.rule == "ocr.header_tolerated" and "table requests" in f.message]
    where = {(f.location.row, f.location.col): f.message for f in tolerated}
    assert sorted(where) == [(2, 6), (2, 8)]
    assert "'科学机关'" in where[(2, 6)] and "by elimination" in where[(2, 6)]
    assert "by elimination" not in where[(2, 8)]  # 法律服务机沟: the only label within one character


def test_two_header_cells_naming_nothing_in_one_segment_are_not_eliminated() -> None:
    mapping = map_document(rebuilt(_renamed({"科研机沟": "科学机关", "法律服务机沟": "法规服务所"})))
    assert all(c.state == "unreadable" for c in _cells(mapping, "requests").values())
    assert not [f for f in mapping.findings if f.rule == "ocr.header_tolerated" and "table requests" in f.message]


def test_an_eliminated_header_cell_the_totals_do_not_confirm_stays_flagged() -> None:
    def break_totals(cell: list) -> None:
        if cell[2:4] in ([9, 2], [10, 3]) and cell[5] == 10 and cell[0].isdigit() and not cell[1]:
            cell[0] = str(int(cell[0]) + 1)

    mapping = map_document(rebuilt(_renamed({"科研机沟": "科学机关"}, break_totals)))
    assert all(c.state == "unreadable" for c in _cells(mapping, "requests").values())
    assert not [f for f in mapping.findings if f.rule == "ocr.header_tolerated" and "table requests" in f.message]
