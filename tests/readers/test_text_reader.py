"""Text shapes: tab-separated cells, Markdown pipe tables, loose label/value lines, headings."""

from __future__ import annotations

import pandas as pd

import govdisclose
from govdisclose.readers import read_document

from conftest import DATA


def _md_report(tmp_path, total_cell: str = "18") -> pd.DataFrame:
    rows = ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "1.属于国家秘密", "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
            "7.属于行政执法案卷", "8.属于行政查询事项", "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作",
            "3.补正后申请内容仍不明确", "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物",
            "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他", "（七）总计",
            "四、结转下年度继续办理"]
    values = {0: "18", 2: "5", 24: "1", 23: "17", 12: "12"}
    lines = ["# 示例局2022年政府信息公开工作年度报告", "", "## 二、主动公开政府信息情况", "",
             "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---|---|---|",
             "| 规章 | 1 | 0 | 4 |", "| 行政规范性文件 | / | — | 无 |", "",
             "行政许可 12", "行政事业性收费 251000元", "", "## 三、收到和处理政府信息公开申请情况", "",
             "| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |", "|---|---|---|---|---|---|---|---|"]
    for k, label in enumerate(rows):
        v = values.get(k, "0")
        total = total_cell if k == 0 else v
        lines.append(f"| {label} | {v} | 0 | 0 | 0 | 0 | 0 | {total} |")
    lines += ["", "## 四、政府信息公开行政复议、行政诉讼情况", "",
              "| 行政复议 | | | | | 行政诉讼 | | | | | | | | | |",
              "| 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |", "", "## 五、存在的主要问题及改进情况", "无。"]
    path = tmp_path / "example.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return govdisclose.read_report(path)


def test_markdown_pipe_report(tmp_path):
    report = _md_report(tmp_path)
    m = report.metrics.set_index(["item", "applicant"], drop=False)
    assert (report.agency, report.year, report.template) == ("示例局", 2022, "2021")
    assert m.loc[("new_received", "total"), "value"] == 18
    assert m.loc[("unable.not_held", "natural_person"), "value"] == 12
    assert m.loc[("carried_forward", "natural_person"), "value"] == 1


def test_placeholders_and_units_in_markdown(tmp_path):
    m = _md_report(tmp_path).metrics
    ad = m[m["table"] == "active_disclosure"].set_index("item")
    assert list(ad.loc[["normative_documents.issued", "normative_documents.repealed", "normative_documents.in_force"], "state"]) == ["na"] * 3
    assert list(ad.loc[["normative_documents.issued", "normative_documents.repealed", "normative_documents.in_force"], "raw"]) == ["/", "—", "无"]
    assert ad.loc["normative_documents.issued", "value"] is pd.NA
    assert ad.loc["licensing.decisions", "value"] == 12  # a loose "行政许可 12" line
    assert ad.loc["fees.amount", "value"] == 25.1  # 251000元 → 万元
    assert ad.loc["fees.amount", "raw"] == "251000元"
    assert m["state"].eq("unreadable").sum() == 2  # penalty and enforcement are not printed at all


def test_markdown_arithmetic_error_is_kept(tmp_path):
    m = _md_report(tmp_path, total_cell="19").metrics
    assert m.loc[(m["item"] == "new_received") & (m["applicant"] == "total"), "value"].item() == 19
    errors = govdisclose.validate(m).query("severity == 'error'")
    assert set(errors["rule"]) == {"requests.row_total", "requests.balance"}


def test_tab_rows_keep_cells_and_locations():
    doc = read_document(DATA / "mfa_2023.txt")
    row = next(r for t in doc.tables for r in t.rows if r and r[0].text.startswith("四、结转下年度继续办理"))
    assert [c.text for c in row if c.text] == ["四、结转下年度继续办理", "1", "0", "0", "0", "0", "0", "1"]
    assert str(row[0].location).startswith("line ")


def test_headings_lose_their_markdown_marks():
    doc = read_document(DATA / "mfa_2023.txt")
    texts = [p.text for p in doc.paragraphs]
    assert "三、收到和处理政府信息公开申请情况" in texts
    assert "四、政府信息公开工作被申请行政复议、提起行政诉讼情况" in texts


def test_load_reports_many_files(tmp_path):
    for name in ("mfa_2023.txt", "shanghai_stcsm_2024.txt"):
        (tmp_path / name).write_bytes((DATA / name).read_bytes())
    (tmp_path / "broken.txt").write_text("这不是年报。", encoding="utf-8")
    (tmp_path / "README.md").write_text("# 说明\n这些是样本。", encoding="utf-8")  # a folder's notes: not a report
    metrics = govdisclose.load_reports(tmp_path)
    assert metrics.groupby("agency", observed=True).size().to_dict() == {"上海市科委": 200, "外交部": 200}
    failures = metrics.attrs["failures"]
    assert list(failures["error"]) == ["ReportNotFoundError"] and failures["source"].str.endswith("broken.txt").all()
    assert str(metrics["value"].dtype) == "Float64"


def _to_traditional(text: str) -> str:
    from traditional import to_traditional  # the template wording's Traditional forms (a fixed table)

    return to_traditional(text)


def test_traditional_character_copy(tmp_path):
    text = (DATA / "mfa_2023.txt").read_text(encoding="utf-8")
    trad = _to_traditional(text)
    assert "屬於國家" in trad and "結轉下年度繼續辦理" in trad and "本機關不掌握" in trad
    path = tmp_path / "mfa_trad.txt"
    path.write_text(trad, encoding="utf-8")
    original = govdisclose.read_report(DATA / "mfa_2023.txt").metrics
    copy = govdisclose.read_report(path).metrics
    assert (copy["state"] == "number").all()
    assert copy["value"].tolist() == original["value"].tolist()
    assert copy["item"].tolist() == original["item"].tolist()


def test_full_width_digits_and_brackets(tmp_path):
    text = (DATA / "mfa_2023.txt").read_text(encoding="utf-8")
    wide = text.translate(str.maketrans("0123456789.()", "０１２３４５６７８９．（）"))
    path = tmp_path / "mfa_wide.txt"
    path.write_text(wide, encoding="utf-8")
    original = govdisclose.read_report(DATA / "mfa_2023.txt").metrics
    copy = govdisclose.read_report(path).metrics
    assert copy["value"].tolist() == original["value"].tolist()
    assert copy.loc[copy["item"] == "fees.amount", "raw"].item() == "５２７０．６５９７万元"  # kept as printed
