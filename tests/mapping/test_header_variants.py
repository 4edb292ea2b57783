"""What the page prints wins (spec §4a): columns, blocks and units read from the printed header.

Variants of a rebuilt report (figures that differ in every row and column, so a value read from
the wrong column cannot pass) whose headers put the columns in another order, add columns the
template does not have, state units, or print table 4 in another shape — in tab text (aligned and
shifted), Markdown pipe tables and HTML. Each is read and compared cell by cell with the truth:
exact where the header makes the meaning unambiguous, ``unreadable`` where it does not — never a
wrong number.
"""

from __future__ import annotations

import itertools
import random

import pytest
from docx_render import to_docx
from test_variants import (
    APPLICANTS,
    C,
    Grid,
    Style,
    _own_label,
    _printed,
    build,
    check,
    requests_rows,
    rich21,
    to_html,
    to_text,
    write,
)

HEAD = {"natural_person": "自然人", "commercial_enterprise": "商业企业", "research_institution": "科研机构",
        "social_welfare_org": "社会公益组织", "legal_service_org": "法律服务机构", "other_org": "其他", "total": "总计"}
LEGAL = APPLICANTS[1:6]
SHAPES = ["tab-aligned", "tab-starts", "pipe-aligned", "html", "docx"]


def render(tmp_path, doc, shape: str):
    if shape == "html":
        return write(tmp_path, "r.html", to_html(doc))
    if shape == "docx":
        return to_docx(doc, tmp_path / "r.docx")
    fmt, mode = shape.split("-")
    return write(tmp_path, "r.md" if fmt == "pipe" else "r.txt", to_text(doc, mode=mode, pipe=fmt == "pipe"))


def replace_table(doc, is_it, grid: Grid):
    for k, block in enumerate(doc.blocks):
        if block[0] == "t" and is_it(block[1]):
            doc.blocks[k] = ("t", grid)
            return doc
    raise AssertionError("table not found")


def _is_table3(grid: Grid) -> bool:
    return any("申请人情况" in c.text for c in grid.rows[0])


def _is_table4(grid: Grid) -> bool:
    return any(c.text == "行政复议" or c.text.startswith("行政复议") for row in grid.rows[:2] for c in row)


# --------------------------------------------------------------------------------------------
# table 3: applicant columns in another order, under a one- or two-level header
# --------------------------------------------------------------------------------------------

def table3_ordered(values, order, *, two_level: bool, extra: dict[int, tuple[str, object]] | None = None) -> Grid:
    """Table 3 with its value columns in ``order``; ``extra`` inserts columns: position → (header,
    value function of the item)."""
    style = Style()
    columns: list[tuple[str, object]] = [(a, None) for a in order]
    for at, spec in sorted((extra or {}).items()):
        columns.insert(at, ("extra", spec))
    if two_level:  # the 法人 columns must stand together under their merged header
        first_legal = next(k for k, (a, _) in enumerate(columns) if a in LEGAL)
        n_legal = sum(1 for a, _ in columns if a in LEGAL)
        assert all(a in LEGAL for a, _ in columns[first_legal:first_legal + n_legal])
        top, sub = [], []
        k = 0
        while k < len(columns):
            a, spec = columns[k]
            if k == first_legal:
                top.append(C("法人或其他组织", cs=n_legal))
                sub += [C(HEAD[b]) for b, _ in columns[k:k + n_legal]]
                k += n_legal
                continue
            top.append(C(HEAD[a] if a != "extra" else spec[0], rs=2))
            k += 1
        header = [[C("项目", rs=3, cs=3), C("申请人情况", cs=len(columns))], top, sub]
    else:
        header = [[C("项目", cs=3)] + [C(HEAD[a] if a != "extra" else spec[0]) for a, spec in columns]]
    rows = list(header)
    for item in requests_rows("2021"):
        cells = [C(_own_label(style, item), cs=3)]
        for a, spec in columns:
            cells.append(C(spec[1](item) if a == "extra" else _printed(style, ("requests", item, a), values)))
        rows.append(cells)
    return Grid(rows, header_rows=len(header))


_rng = random.Random(9)
_SAMPLED = [tuple(_rng.sample(APPLICANTS, 7)) for _ in range(6)]
ORDERS = {
    "template": tuple(APPLICANTS),
    "total-first": ("total", *APPLICANTS[:6]),
    "legal-reversed": ("natural_person", *reversed(LEGAL), "total"),
    "person-after-legal": (*LEGAL, "natural_person", "total"),
    **{f"sampled-{k}": order for k, order in enumerate(_SAMPLED)},
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", list(ORDERS))
def test_applicant_columns_in_any_order_one_level_header(tmp_path, name, shape):
    values = rich21()
    doc = replace_table(build(values), _is_table3, table3_ordered(values, ORDERS[name], two_level=False))
    check(render(tmp_path, doc, shape), values, template="2021")


def _two_level_orders():
    out = {}
    for k, (tops, legal) in enumerate(itertools.product(itertools.permutations(("natural_person", "legal", "total")),
                                                         [LEGAL, tuple(reversed(LEGAL)), LEGAL[2:] + LEGAL[:2]])):
        order = []
        for t in tops:
            order.extend(legal if t == "legal" else (t,))
        out[f"two-level-{k}"] = tuple(order)
    return dict(list(out.items())[::3])


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name,order", list(_two_level_orders().items()))
def test_applicant_columns_in_any_order_two_level_header(tmp_path, name, order, shape):
    values = rich21()
    doc = replace_table(build(values), _is_table3, table3_ordered(values, order, two_level=True))
    check(render(tmp_path, doc, shape), values, template="2021")


def _legal_sum(values):
    return lambda item: str(sum(int(values[("requests", item, a)]) for a in LEGAL))


EXTRAS = {
    "subtotal-after-legal": lambda v: {6: ("小计", _legal_sum(v))},
    "subtotal-heji-before-total": lambda v: {6: ("法人或其他组织合计", _legal_sum(v))},
    "remark-column": lambda v: {7: ("备注", lambda item: "")},
    "subtotal-and-remark": lambda v: {6: ("小计", _legal_sum(v)), 8: ("备注", lambda item: "")},
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", list(EXTRAS))
def test_extra_columns_are_recognised_by_their_header(tmp_path, name, shape):
    values = rich21()
    grid = table3_ordered(values, tuple(APPLICANTS), two_level=False, extra=EXTRAS[name](values))
    doc = replace_table(build(values), _is_table3, grid)
    check(render(tmp_path, doc, shape), values, template="2021")


def test_subtotal_column_with_a_blank_total_is_not_read_as_the_total(tmp_path):
    """An extra 小计 column and the 总计 column printed blank: the subtotal is not the total."""
    values = rich21()
    blank_total = {k: ("" if k[0] == "requests" and k[2] == "total" else v) for k, v in values.items()}
    grid = table3_ordered(blank_total, tuple(APPLICANTS), two_level=False, extra={6: ("小计", _legal_sum(values))})
    doc = replace_table(build(blank_total), _is_table3, grid)
    for shape in ("tab-aligned", "html", "docx"):
        check(render(tmp_path, doc, shape), blank_total, template="2021")


# --------------------------------------------------------------------------------------------
# table 4: blocks and outcome columns in another order
# --------------------------------------------------------------------------------------------

PARTS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结", "total": "总计"}
BLOCK_NAMES = {"review": "行政复议", "litigation_direct": "未经复议直接起诉", "litigation_after_review": "复议后起诉"}


def table4_ordered(values, lit_order, part_order) -> Grid:
    v = lambda b, p: _printed(Style(), ("review_litigation", f"{b}.{p}", None), values)  # noqa: E731
    header = [
        [C("行政复议", cs=5), C("行政诉讼", cs=10)],
        [C(PARTS[p], rs=2) for p in part_order] + [C(BLOCK_NAMES[b], cs=5) for b in lit_order],
        [C(PARTS[p]) for p in part_order] * 2,
    ]
    body = [[C(v("review", p)) for p in part_order] + [C(v(b, p)) for b in lit_order for p in part_order]]
    return Grid(header + body, header_rows=3)


T4_ORDERS = {
    "template": (("litigation_direct", "litigation_after_review"), tuple(PARTS)),
    "after-review-first": (("litigation_after_review", "litigation_direct"), tuple(PARTS)),
    "pending-before-other": (("litigation_direct", "litigation_after_review"), ("upheld", "corrected", "pending", "other", "total")),
    "total-first-both-swapped": (("litigation_after_review", "litigation_direct"), ("total", "upheld", "corrected", "other", "pending")),
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", list(T4_ORDERS))
def test_table4_blocks_and_outcomes_in_any_order(tmp_path, name, shape):
    values = rich21()
    lit, parts = T4_ORDERS[name]
    doc = replace_table(build(values), _is_table4, table4_ordered(values, lit, parts))
    check(render(tmp_path, doc, shape), values, template="2021")


def table4_transposed(values) -> Grid:
    """Blocks as columns, outcomes as rows (5 × 3)."""
    v = lambda b, p: _printed(Style(), ("review_litigation", f"{b}.{p}", None), values)  # noqa: E731
    blocks = ("review", "litigation_after_review", "litigation_direct")
    header = [[C("")] + [C({"review": "行政复议", "litigation_direct": "行政诉讼（未经复议直接起诉）",
                             "litigation_after_review": "行政诉讼（复议后起诉）"}[b]) for b in blocks]]
    body = [[C(PARTS[p])] + [C(v(b, p)) for b in blocks] for p in PARTS]
    return Grid(header + body, header_rows=1)


@pytest.mark.parametrize("shape", SHAPES)
def test_table4_transposed(tmp_path, shape):
    values = rich21()
    doc = replace_table(build(values), _is_table4, table4_transposed(values))
    check(render(tmp_path, doc, shape), values, template="2021")


@pytest.mark.parametrize("shape", ["tab-aligned", "pipe-aligned", "html", "docx"])
def test_table4_as_three_headed_sub_tables(tmp_path, shape):
    """### 行政复议 / ### 行政诉讼（未经复议直接起诉）/ ### 行政诉讼（复议后起诉）, each a header row of
    结果维持…总计 over one row of five (seen in a real county report converted to Markdown)."""
    doc, values = _sub_tables_case()
    check(render(tmp_path, doc, shape), values, template="2021")


# --------------------------------------------------------------------------------------------
# units printed in a header
# --------------------------------------------------------------------------------------------

def _with_fee_header(doc, header: str, printed: str):
    for block in doc.blocks:
        if block[0] != "t":
            continue
        for row in block[1].rows:
            for cell in row:
                if cell.text.startswith("本年收费金额"):
                    cell.text = header
            if row and row[0].text == "行政事业性收费":
                row[1].text = printed
    return doc


FEE_HEADERS = {
    "yuan-header": ("本年收费金额（单位：元）", "52706597", "5270.6597"),
    "yuan-header-no-word": ("本年收费金额（元）", "251000", "25.1"),
    "wan-header": ("本年收费金额（单位：万元）", "5270.6597", "5270.6597"),
    "yi-header": ("本年收费金额（单位：亿元）", "0.5", "5000"),
    "yuan-header-yuan-cell": ("本年收费金额（单位：元）", "251000元", "25.1"),
}


@pytest.mark.parametrize("shape", ["tab-aligned", "pipe-aligned", "html", "docx"])
@pytest.mark.parametrize("name", list(FEE_HEADERS))
def test_unit_in_the_fee_header_converts_the_value(tmp_path, name, shape):
    values = rich21()
    header, printed, expected = FEE_HEADERS[name]
    values[("active_disclosure", "fees.amount", None)] = expected
    doc = _with_fee_header(build(values), header, printed)
    report = check(render(tmp_path, doc, shape), values, template="2021")
    fee = report.metrics.query("item == 'fees.amount'").iloc[0]
    assert fee["unit"] == "万元" and fee["raw"] == printed
    if header.endswith(("（单位：元）", "（元）", "（单位：亿元）")) and not printed.endswith("元"):
        assert "header" in fee["note"]


def test_a_cell_unit_that_contradicts_the_header_is_not_guessed(tmp_path):
    values = rich21()
    doc = _with_fee_header(build(values), "本年收费金额（单位：元）", "5270.6597万元")  # the cell says 万元: it wins
    values[("active_disclosure", "fees.amount", None)] = "5270.6597"
    check(render(tmp_path, doc, "tab-aligned"), values, template="2021")


# --------------------------------------------------------------------------------------------
# two reports in one file: a table is never borrowed from the neighbour
# --------------------------------------------------------------------------------------------

def _two_reports_case():
    values = rich21()
    first = build(values, title="示例市示例局2022年政府信息公开工作年度报告")
    at = next(k for k, b in enumerate(first.blocks) if b[0] == "t" and _is_table4(b[1]))
    del first.blocks[at]  # the first report has no table 4
    first.blocks += build(values).blocks
    return first, values


def _assert_no_borrowed_table(path) -> None:
    import govdisclose

    try:
        report = govdisclose.read_report(path)
    except govdisclose.GovDiscloseError as exc:
        assert "report" in str(exc) and "2" in str(exc)  # refused, saying there are two
        return
    review = report.metrics.query("table == 'review_litigation'")
    assert (review["state"] == "unreadable").all(), "the first report borrowed the second's table 4"


@pytest.mark.parametrize("shape", ["tab-aligned", "html", "docx"])
def test_two_reports_in_one_file_never_share_a_table(tmp_path, shape):
    _assert_no_borrowed_table(render(tmp_path, _two_reports_case()[0], shape))


# --------------------------------------------------------------------------------------------
# a label wrapped onto its own row, the values on the next
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", ["tab-aligned", "html", "docx"])
@pytest.mark.parametrize("item", ["new_received", "carried_over", "carried_forward"])
def test_label_wrapped_above_its_values(tmp_path, item, shape):
    values = rich21()
    doc = build(values)
    grid = next(b[1] for b in doc.blocks if b[0] == "t" and _is_table3(b[1]))
    label = Style()
    for r, row in enumerate(grid.rows):
        if any(c.text == _own_label(label, item) for c in row):
            n_values = 7
            values_row = [C(c.text) for c in row[-n_values:]]
            for c in row[-n_values:]:
                c.text = ""
            lead = sum(c.cs for c in row[:-n_values])
            grid.rows.insert(r + 1, [C("", cs=lead)] + values_row)
            break
    else:
        raise AssertionError(item)
    check(render(tmp_path, doc, shape), values, template="2021")


# --------------------------------------------------------------------------------------------
# the same families as PDF: the DOCX above printed by LibreOffice (ruled tables)
# --------------------------------------------------------------------------------------------

def _orders_case(order, two_level=False):
    def make():
        values = rich21()
        return replace_table(build(values), _is_table3, table3_ordered(values, order, two_level=two_level)), values
    return make


def _extra_case(name):
    def make():
        values = rich21()
        grid = table3_ordered(values, tuple(APPLICANTS), two_level=False, extra=EXTRAS[name](values))
        return replace_table(build(values), _is_table3, grid), values
    return make


def _blank_total_case():
    values = rich21()
    blank_total = {k: ("" if k[0] == "requests" and k[2] == "total" else v) for k, v in values.items()}
    grid = table3_ordered(blank_total, tuple(APPLICANTS), two_level=False, extra={6: ("小计", _legal_sum(values))})
    return replace_table(build(blank_total), _is_table3, grid), blank_total


def _t4_case(name):
    def make():
        values = rich21()
        lit, parts = T4_ORDERS[name]
        return replace_table(build(values), _is_table4, table4_ordered(values, lit, parts)), values
    return make


def _transposed_case():
    values = rich21()
    return replace_table(build(values), _is_table4, table4_transposed(values)), values


def _sub_tables_case():
    values = rich21()
    doc = build(values)
    at = next(k for k, b in enumerate(doc.blocks) if b[0] == "t" and _is_table4(b[1]))
    subs = []
    for block, title in (("review", "行政复议"), ("litigation_direct", "行政诉讼（未经复议直接起诉）"),
                         ("litigation_after_review", "行政诉讼（复议后起诉）")):
        grid = Grid([[C(PARTS[p]) for p in PARTS],
                     [C(_printed(Style(), ("review_litigation", f"{block}.{p}", None), values)) for p in PARTS]], header_rows=1)
        subs += [("h", 3, title), ("t", grid)]
    doc.blocks[at:at + 1] = subs
    return doc, values


def _fee_case(name):
    def make():
        values = rich21()
        header, printed, expected = FEE_HEADERS[name]
        values[("active_disclosure", "fees.amount", None)] = expected
        return _with_fee_header(build(values), header, printed), values
    return make


def _wrapped_case(item):
    def make():
        values = rich21()
        doc = build(values)
        grid = next(b[1] for b in doc.blocks if b[0] == "t" and _is_table3(b[1]))
        for r, row in enumerate(grid.rows):
            if any(c.text == _own_label(Style(), item) for c in row):
                values_row = [C(c.text) for c in row[-7:]]
                for c in row[-7:]:
                    c.text = ""
                grid.rows.insert(r + 1, [C("", cs=sum(c.cs for c in row[:-7]))] + values_row)
                break
        return doc, values
    return make


PDF_CASES = {
    **{f"order-{n}": _orders_case(ORDERS[n]) for n in ("total-first", "legal-reversed", "sampled-0", "sampled-3")},
    **{f"two-level-{n}": _orders_case(o, two_level=True) for n, o in list(_two_level_orders().items())[::2]},
    **{f"extra-{n}": _extra_case(n) for n in EXTRAS},
    "subtotal-blank-total": _blank_total_case,
    **{f"t4-{n}": _t4_case(n) for n in T4_ORDERS if n != "template"},
    "t4-transposed": _transposed_case,
    "t4-sub-tables": _sub_tables_case,
    **{f"fee-{n}": _fee_case(n) for n in ("yuan-header", "yi-header")},
    "wrapped-new_received": _wrapped_case("new_received"),
}
TWO_REPORTS = "two-reports"  # printed with the others, checked by its own test


@pytest.fixture(scope="session")
def header_pdfs(tmp_path_factory):
    """Every PDF case printed by LibreOffice in one call: {name: (pdf, truth)}."""
    from docx_fixtures import docx_to_pdf, has_cjk_font, soffice

    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: the PDF variants are printed by it")
    if not has_cjk_font():
        pytest.skip("no CJK font for LibreOffice: it would print the Chinese labels as boxes")
    out = tmp_path_factory.mktemp("header-variants-docx")
    built, truths = [], {}
    cases = {**PDF_CASES, TWO_REPORTS: _two_reports_case}
    names = []
    for ruled in (True, False):
        for name, make in cases.items():
            doc, values = make()
            name = name if ruled else f"unruled-{name}"
            built.append(to_docx(doc, out / f"{name}.docx", borders=ruled))
            truths[name] = values
            names.append(name)
    pdfs = docx_to_pdf(built, tmp_path_factory.mktemp("header-variants-pdf"), timeout=900)
    assert pdfs is not None
    return {name: (pdf, truths[name]) for name, pdf in zip(names, pdfs)}


#: Unruled PDFs where the reader runs two header cells into one (``总计 备注``, ``小计 总计``: the
#: column beside is blank or holds no number, so the text positions cannot separate the words): the
#: column under the joined header cannot be told, and table 3's 总计 comes back unreadable.
_JOINED_TOTAL_HEADER = {"unruled-extra-subtotal-and-remark", "unruled-subtotal-blank-total"}


@pytest.mark.slow
@pytest.mark.parametrize("name", [*PDF_CASES, *(f"unruled-{n}" for n in PDF_CASES)])
def test_header_variants_as_pdf(header_pdfs, name):
    """Ruled (bordered Word tables) and unruled (borderless: columns only aligned text) PDFs."""
    pdf, values = header_pdfs[name]
    flagged = {("requests", item, "total") for item in requests_rows("2021")} if name in _JOINED_TOTAL_HEADER else set()
    report = check(pdf, values, template="2021", flagged=flagged)
    if name.startswith("fee-"):
        fee = report.metrics.query("item == 'fees.amount'").iloc[0]
        assert fee["unit"] == "万元" and "header" in fee["note"]


@pytest.mark.slow
@pytest.mark.parametrize("name", [TWO_REPORTS, f"unruled-{TWO_REPORTS}"])
def test_two_reports_in_one_pdf_never_share_a_table(header_pdfs, name):
    _assert_no_borrowed_table(header_pdfs[name][0])


# --------------------------------------------------------------------------------------------
# lesser families
# --------------------------------------------------------------------------------------------

def _with_active_header(doc, replace: dict[str, str]):
    for block in doc.blocks:
        if block[0] == "t":
            for row in block[1].rows:
                for cell in row:
                    cell.text = replace.get(cell.text, cell.text)
    return doc


@pytest.mark.parametrize("shape", ["tab-aligned", "pipe-aligned", "html", "docx"])
def test_2021_table_2_with_the_2019_header_is_not_mapped_to_the_2019_code(tmp_path, shape):
    """A 2021 report (2021 table 3, 本年废止件数/现行有效件数 beside) whose 规章/规范性文件 block heads
    its first column with the 2019 words 本年新制作数量: "newly made" is not "issued" (spec §2), so
    the 2021 cells are flagged with the printed value kept, and no 2019 cell is invented."""
    values = rich21()
    doc = _with_active_header(build(values), {"本年制发件数": "本年新制作数量"})
    flagged = {("active_disclosure", "regulations.issued", None), ("active_disclosure", "normative_documents.issued", None)}
    report = check(render(tmp_path, doc, shape), values, template="2021", flagged=flagged)
    m = report.metrics
    issued = m[m["item"] == "regulations.issued"].iloc[0]
    assert issued["raw"] == values[("active_disclosure", "regulations.issued", None)]
    assert "2019" in issued["note"] and "new_made" in issued["note"]
    assert not m["item"].astype(str).str.endswith("new_made").any()


def _with_index_column(grid: Grid, *, header_rows: int) -> Grid:
    """Table 3 with a 序号 column at its left: 1, 2, 3 … before each data row's label."""
    rows = []
    for r, row in enumerate(grid.rows):
        if r == 0:
            rows.append([C("序号", rs=header_rows)] + row)
        elif r < header_rows:
            rows.append(row)
        else:
            rows.append([C(str(r - header_rows + 1))] + row)
    return Grid(rows, header_rows=header_rows)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("levels", ["template-header", "one-level", "two-level-total-first"])
def test_index_column_at_the_left_of_table_3(tmp_path, shape, levels):
    """序号 1, 2, 3 … before each label of table 3: the numbers are row numbers, not values."""
    values = rich21()
    doc = build(values)
    at = next(k for k, b in enumerate(doc.blocks) if b[0] == "t" and _is_table3(b[1]))
    grid = {"template-header": lambda: doc.blocks[at][1],
            "one-level": lambda: table3_ordered(values, tuple(APPLICANTS), two_level=False),
            "two-level-total-first": lambda: table3_ordered(values, ORDERS["total-first"], two_level=True)}[levels]()
    doc.blocks[at] = ("t", _with_index_column(grid, header_rows=grid.header_rows))
    check(render(tmp_path, doc, shape), values, template="2021")
