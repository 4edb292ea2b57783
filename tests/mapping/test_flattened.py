"""unflatten: tables whose cells ran together, recovered from their wording (平潭 renderings)."""

from __future__ import annotations

import re

import pytest

from govdisclose.mapping.decode import MAX_PIECE, decode_requests, decode_review
from govdisclose.mapping.flattened import unflatten
from govdisclose.readers.model import Table
from govdisclose.template.catalogue import requests_rows
from govdisclose.template.normalize import norm

from conftest import DATA, corpus_file, truth_file
from truthcheck import compare

STEMS = ["pingtan_2019", "pingtan_2021", "pingtan_2023", "pingtan_2024"]
TEMPLATE = {"pingtan_2019": "2019", "pingtan_2021": "2021", "pingtan_2023": "2021", "pingtan_2024": "2021"}

RUNS_2021 = ["640020470", "0000000", "270020130", "500000 5", "0000000", "0000000", "0000000", "0000000",
             "1000001", "0000000", "6000006", "1000001", "220000325", "0000000", "0000000", "0000000",
             "0000000", "0000000", "0000000", "0000000", "0000000", "0000000", "1000001", "630020469", "1000001"]
LABELS_2021 = [
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（三）不予公开1.属于国家秘密",
    "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息",
    "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项", "（四）无法提供1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确", "（五）不予处理1.信访举报投诉类申请", "2.重复申请",
    "3.要求提供公开出版物", "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他", "（七）总计",
    "四、结转下年度继续办理",
]


def _text(stem: str) -> str:
    return corpus_file(f"{stem}.txt").read_text(encoding="utf-8")


def _rows(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def _data(table: Table) -> list[tuple[str, str]]:
    return [(row[0].text, row[1].text) for row in table.rows if len(row) == 2 and row[1].run]


# -- the four real renderings -------------------------------------------------------------------

def test_pingtan_2021_tables():
    t2, t3, t4 = unflatten(_text("pingtan_2021"))
    assert _rows(t2) == [
        ["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "000"], ["行政规范性文件", "693665"],
        ["第二十条第（五）项"], ["信息内容", "本年处理决定数量"], ["行政许可", "2293"],
        ["第二十条第（六）项"], ["信息内容", "本年处理决定数量"], ["行政处罚", "1282"], ["行政强制", "42"],
        ["第二十条第（八）项"], ["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", "24252.311082"],
    ]
    assert _rows(t3)[0] == ["申请人情况", "自然人", "法人或其他组织", "总计", "商业企业", "科研机构",
                            "社会公益组织", "法律服务机构", "其他"]
    assert _data(t3) == list(zip(LABELS_2021, RUNS_2021))
    assert len(t4.rows) == 2 and t4.rows[1][0].run and t4.rows[1][0].text == "10203120001200000"
    header = t4.rows[0][0].text
    assert header.startswith("行政复议行政诉讼结果维持") and header.endswith("尚未审结总计")
    assert all(not c.run for row in t2.rows + t3.rows for c in row[:1])


def test_pingtan_2019_tables():
    t2, t3, t4 = unflatten(_text("pingtan_2019"))
    rows = _rows(t2)
    assert ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"] in rows
    assert ["信息内容", "上一年项目数量", "本年增/减"] in rows
    assert ["政府集中采购", "13575394432.52元"] in rows and ["行政许可", "3960181"] in rows
    assert ["规范性文件", "898989"] in rows and ["行政事业性收费", "350"] in rows
    data = dict(_data(t3))
    assert len(data) == len(requests_rows("2019"))
    assert data["一、本年新收政府信息公开申请数量"] == "230 000023"  # a surviving space
    assert data["（六）其他处理"] == "0 0 0 0 0 00"
    assert data["（七）总计"] == "23 0 00 0 023" and data["四、结转下年度继续办理"] == "0 0 00 00 0"
    # 三、本年度办理结果 is printed again before （四）: it stays in that row's one label cell.
    assert data["三、本年度办理结果（四）无法提供1.本机关不掌握相关政府信息"] == "7000007"
    assert data["2.重复申请"] == "3000003"
    assert t4.rows[1][0].text == "000000000000000"


def test_pingtan_2024_spaces_inside_labels_are_kept_raw():
    _, t3, _ = unflatten(_text("pingtan_2024"))
    assert "社会公益 组织" in _rows(t3)[0] and "法律服务 机构" in _rows(t3)[0]
    data = _data(t3)
    assert data[2] == ("三、本年度办 理结果 （一）予以公开", "710000071")
    assert data[0] == ("一、本年新收政府信息公开申请数量", "21710000218")
    assert ("3.其他", "1100002") in data


@pytest.mark.parametrize("stem", STEMS)
def test_locations_point_at_the_printed_text(stem):
    text = _text(stem)
    lines = text.splitlines()
    tables = unflatten(text)
    assert len(tables) == 3
    for table in tables:
        for row in table.rows:
            for cell in row:
                loc = cell.location
                assert loc.line_end is None and loc.char is not None and loc.char_end is not None, loc
                assert str(loc) == f"line {loc.line}, chars {loc.char}–{loc.char_end}"
                assert lines[loc.line - 1][loc.char - 1:loc.char_end] == cell.text


@pytest.mark.parametrize("stem", STEMS)
def test_every_data_row_has_one_label_and_one_run(stem):
    t2, t3, t4 = unflatten(_text(stem))
    for table in (t2, t3):
        for row in table.rows:
            if any(c.run for c in row):
                assert len(row) == 2 and not row[0].run and row[1].run
                assert not re.search(r"\d$", norm(row[0].text)), row[0].text  # no digit left glued
                assert re.fullmatch(r"[\d .元]+", row[1].text), row[1].text
    data = _data(t3)
    assert len(data) == len(requests_rows(TEMPLATE[stem]))
    assert sum(1 for label, _ in data if re.match(r"\d[.、]", norm(label))) == 13 + (2 if TEMPLATE[stem] == "2021" else 0)


@pytest.mark.parametrize("stem", STEMS)
def test_runs_decode_to_the_truth(stem):
    """The recovered runs, decoded, give the truth for every table-3 and table-4 cell."""
    _, t3, t4 = unflatten(_text(stem))
    items = requests_rows(TEMPLATE[stem])
    with truth_file(stem).open(encoding="utf-8") as fh:
        truth = dict(((t, i, a), v) for t, i, a, v in (line.rstrip("\n").split(",") for line in list(fh)[1:]))
    decoded = decode_requests([run for _, run in _data(t3)], items)
    applicants = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
                  "legal_service_org", "other_org", "total")
    for item, d in zip(items, decoded):
        assert d.values == tuple(truth[("requests", item, a)] for a in applicants), item
    review = decode_review(t4.rows[1][0].text)
    codes = [f"{b}.{p}" for b in ("review", "litigation_direct", "litigation_after_review")
             for p in ("upheld", "corrected", "other", "pending", "total")]
    assert review.values == tuple(truth[("review_litigation", c, "")] for c in codes)


# -- variants other agencies' copies will have -------------------------------------------------

_TRAD = str.maketrans({"开": "開", "请": "請", "数": "數", "处": "處", "复": "複", "议": "議", "结": "結", "转": "轉",
                       "规": "規", "许": "許", "罚": "罰", "强": "強", "费": "費", "总": "總", "计": "計", "诉": "訴",
                       "讼": "訟", "办": "辦", "无": "無", "国": "國", "类": "類"})
_FULL = str.maketrans("0123456789.()", "０１２３４５６７８９．（）")


def test_traditional_and_full_width_copy():
    text = _text("pingtan_2021")
    variant = text.translate(_TRAD).translate(_FULL)
    base = unflatten(text)
    got = unflatten(variant)
    assert [len(t.rows) for t in got] == [len(t.rows) for t in base]
    data = _data(got[1])
    assert data[0] == ("一、本年新收政府信息公開申請數量", "６４００２０４７０")
    assert [norm(run) for _, run in data] == [norm(run) for run in RUNS_2021]
    assert decode_requests([run for _, run in data], requests_rows("2021"))[0].values[0] == "６４"
    assert got[2].rows[1][0].text == "１０２０３１２０００１２０００００"


def test_rows_on_separate_lines_and_first_line_offset():
    text = _text("pingtan_2021")
    body = text.splitlines()[9]
    for cut in ("二、上年结转", "（三）不予公开", "2.其他法律", "3.危及"):
        body = body.replace(cut, "\n" + cut)
    tables = unflatten(body, first_line=10)
    assert [norm(run) for _, run in _data(tables[1])] == [norm(run) for run in RUNS_2021]
    rows = {label: row for row in tables[1].rows if len(row) == 2 for label in [row[0].text]}
    assert str(rows["2.其他法律行政法规禁止公开"][0].location) == "line 13, chars 1–14"
    assert str(rows["（三）不予公开1.属于国家秘密"][1].location) == "line 12, chars 16–22"


_HEAD = ("三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织"
         "法律服务机构其他一、本年新收政府信息公开申请数量")


def test_digits_inside_labels_stay_text():
    text = ("二、主动公开政府信息情况第20条第(1)项信息内容本年制发件数本年废止件数现行有效件数规章000"
            + _HEAD + "(2019年)1000001（三）不予公开1、属于国家秘密0000000 2、其他法律行政法规禁止公开0000000"
            "8.甲00000009.乙000000010.丙1000001五、问题")
    t2, t3 = unflatten(text)
    assert _rows(t2)[0] == ["第20条第(1)项"]
    assert _data(t3) == [
        ("一、本年新收政府信息公开申请数量(2019年)", "1000001"),
        ("（三）不予公开1、属于国家秘密", "0000000"),
        ("2、其他法律行政法规禁止公开", "0000000"),
        ("8.甲", "0000000"),
        ("9.乙", "0000000"),
        ("10.丙", "1000001"),  # the expected number 10 is moved whole
    ]


def test_a_year_opening_the_prose_is_not_a_value():
    text = (_HEAD + "640020470四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持总计"
            "0000000000000002024年，我区……")
    t3, t4 = unflatten(text)
    assert _data(t3) == [("一、本年新收政府信息公开申请数量", "640020470")]
    assert t4.rows[1][0].text == "000000000000000"


def test_a_row_printed_without_values_keeps_its_label_alone():
    t3, = unflatten(_HEAD + "1000001（三）不予公开1.属于国家秘密2.其他法律行政法规禁止公开0000000五、")
    assert _rows(t3)[1:] == [["一、本年新收政府信息公开申请数量", "1000001"], ["（三）不予公开1.属于国家秘密"],
                             ["2.其他法律行政法规禁止公开", "0000000"]]


def _render(stem: str, sep: str, labels: list[str], heading4: str = "四、政府信息公开行政复议、行政诉讼情况") -> str:
    """A report body from a truth file: every row's values joined by ``sep`` after its label."""
    with truth_file(stem).open(encoding="utf-8") as fh:
        truth = {(t, i, a): v for t, i, a, v in (line.rstrip("\n").split(",") for line in list(fh)[1:])}
    body = ["二、主动公开政府信息情况第二十条第（五）项信息内容本年处理决定数量行政许可"
            + truth[("active_disclosure", "licensing.decisions", "")] + "三、收到和处理政府信息公开申请情况"
            "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"]
    applicants = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
                  "legal_service_org", "other_org", "total")
    for label, item in zip(labels, requests_rows("2021")):
        body.append(label + sep + sep.join(truth[("requests", item, a)] for a in applicants))
    codes = [f"{b}.{p}" for b in ("review", "litigation_direct", "litigation_after_review")
             for p in ("upheld", "corrected", "other", "pending", "total")]
    body.append(heading4 + "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计" + sep
                + sep.join(truth[("review_litigation", c, "")] for c in codes))
    return "".join(body) + "五、存在的主要问题及改进情况"


def _decoded(tables: list[Table]) -> tuple[list[tuple[str | None, ...]], tuple[str | None, ...]]:
    t3, t4 = tables[-2], tables[-1]
    rows = decode_requests([run for _, run in _data(t3)], requests_rows("2021"))
    return [d.values for d in rows], decode_review(t4.rows[-1][0].text).values


def test_other_agencies_wording_numbering_and_layouts():
    """(一)/1、 numbering, another table-4 heading, a table of contents, one value per line."""
    labels = [re.sub(r"（(.)）", r"(\1) ", re.sub(r"(\d)\.", r"\1、", label)) for label in LABELS_2021]
    glued = _render("mfa_2023", "", labels, "四、政府信息公开工作被申请行政复议、提起行政诉讼情况")
    toc = "目录 一、总体情况 二、主动公开政府信息情况 三、收到和处理 四、复议诉讼 五、问题\n"
    per_line = _render("mfa_2023", "\n", LABELS_2021)
    expected = _decoded(unflatten(_render("mfa_2023", "", LABELS_2021)))
    assert expected[0][0] == ("18", "0", "0", "0", "0", "0", "18") and None not in expected[1]
    for text in (glued, toc + glued, per_line):
        tables = unflatten(text)
        assert len(tables) == 3
        assert _decoded(tables) == expected
        assert tables[2].rows[0][0].text.startswith("行政复议行政诉讼结果维持")
    assert _data(unflatten(glued)[1])[5][0] == "2、其他法律行政法规禁止公开"


def test_no_structure_lost_table_gives_nothing():
    assert unflatten((DATA / "mfa_2023.txt").read_text(encoding="utf-8")) == []  # tab-separated cells
    assert unflatten((DATA / "shanghai_stcsm_2024.txt").read_text(encoding="utf-8")) == []  # Markdown tables
    assert unflatten("") == [] and unflatten("\n\n") == []
    assert unflatten("一、总体情况\n2023年，本机关收到申请18件，办结17件。") == []
    spaced = "二、主动公开政府信息情况\n行政许可 97\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n"
    assert unflatten(spaced) == []  # every cell still separated: the text reader's business


def test_the_end_heading_and_prose_bound_the_region():
    text = _text("pingtan_2023")
    t2, t3, t4 = unflatten(text)
    assert t4.rows[-1][0].text == "110024001510102"
    assert all("存在" not in c.text for t in (t2, t3, t4) for row in t.rows for c in row)


def test_bounded_on_large_and_hostile_input(decode_work):
    hostile = "二、主动公开政府信息情况" + ("行政许可" + "1" * 50) * 20_000 + "\n" + "三、" * 100_000
    tables = unflatten(hostile)
    assert tables and len(tables[0].rows) > 100
    assert unflatten("x" * 2_000_000) == []
    assert decode_work.pieces <= MAX_PIECE * len(hostile)  # no digit run is cut more than linearly


# -- end to end: read_report on the bundled renderings -------------------------------------------

_FLAGGED = {"pingtan_2019": 19, "pingtan_2021": 3, "pingtan_2023": 3, "pingtan_2024": 3}


@pytest.mark.parametrize("stem", STEMS)
def test_read_report_exact_or_flagged_never_wrong(stem):
    import govdisclose

    report = govdisclose.read_report(corpus_file(f"{stem}.txt"))
    out = compare(report.metrics, truth_file(stem))
    assert out["wrong"] == [] and out["missing"] == [] and out["extra"] == []
    assert len(out["flagged"]) == _FLAGGED[stem]
    assert {key[0] for key, _, _ in out["flagged"]} == {"active_disclosure"}
    assert len(out["exact"]) == (198 if stem == "pingtan_2019" else 200) - _FLAGGED[stem]
    assert all("ran together" in note for _, _, note in out["flagged"])
    m = report.metrics
    review = m[(m["table"] == "review_litigation")].set_index("item")
    if stem == "pingtan_2021":
        assert review.loc["review.total", "raw"] == "3"
        assert review.loc["review.total", "location"].startswith("line 10, chars 2992–3008")
