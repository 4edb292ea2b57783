"""SYNTHETIC reports for scale tests and teaching: realistic layout, consistent arithmetic, known truth.

Everything this module makes is marked as made up, wherever it appears:

* agencies are named ``示例…县…`` (示例 = "example"), e.g. ``示例东山县交通运输局``;
* every document opens with the line ``【合成示例数据 SYNTHETIC】…`` and says so again in 六;
* file names start with ``SYNTHETIC_``, and the folder gets a ``SYNTHETIC_MANIFEST.csv``;
* the frames returned here have a ``synthetic`` column (always True) and ``attrs["synthetic"]``.

A corpus follows agencies over the years: 2019–2020 reports use the 2019 template, later ones the
2021 template; ``carried_over`` of a year is the ``carried_forward`` of the year before and the
stock of documents in force carries forward, so the cross-year checks hold too. Every printed
table satisfies the template's arithmetic (spec §4) unless an error is injected on purpose:
``generate_corpus(..., errors=5)`` breaks five reports, one rule each, and returns exactly which
cell was changed and which rule of :func:`govdisclose.validate` must now fail.

Formats: ``text`` (tab-separated cells, like ``data/mfa_2023.txt``), ``markdown`` (pipe tables),
``html`` (real ``rowspan``/``colspan``, site navigation around the article), ``docx``
(``gridSpan``/``vMerge``, built with python-docx from scratch) and ``pdf`` (the DOCX converted by
LibreOffice; skipped, and listed in ``skipped``, where LibreOffice is not installed).

>>> import tempfile, govdisclose
>>> corpus = generate_corpus(tempfile.mkdtemp(), 4, formats=("text", "markdown"), seed=1, errors=1)
>>> corpus.files[["format", "year", "template", "injected"]].values.tolist()
[['text', 2019, '2019', ''], ['markdown', 2020, '2019', ''], ['text', 2021, '2021', 'requests.row_total'], ['markdown', 2022, '2021', '']]
>>> m = govdisclose.load_reports(corpus.folder)
>>> bool(m["agency"].str.startswith("示例").all()), len(m) == 2 * 198 + 2 * 200
(True, True)
>>> found = govdisclose.validate(m).query("severity == 'error'")
>>> sorted(set(found["source"])) == sorted(corpus.injected["source"].unique())
True
"""

from __future__ import annotations

import html
import io
import os
import random
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from govdisclose.exceptions import GovDiscloseError
from govdisclose.template.catalogue import APPLICANT_LABELS, APPLICANTS, requests_rows, template_cells

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "ERROR_KINDS",
    "MARK",
    "SynthReport",
    "SynthCorpus",
    "make_report",
    "inject_error",
    "render",
    "generate_corpus",
    "libreoffice",
]

#: Formats the generator writes, and their suffixes.
SUFFIXES: dict[str, str] = {"text": ".txt", "markdown": ".md", "html": ".html", "docx": ".docx", "pdf": ".pdf"}
FORMATS: tuple[str, ...] = tuple(SUFFIXES)
#: The first line of every synthetic document.
MARK = "【合成示例数据 SYNTHETIC】本文件由 govdisclose.synth 生成，机构名称和全部数字均为虚构，仅供测试和教学使用。"
#: Error kinds :func:`inject_error` knows, each named after the validate rule it breaks.
ERROR_KINDS: tuple[str, ...] = (
    "requests.row_total", "requests.balance", "requests.outcome_total", "review_litigation.block_total", "domain",
)
MANIFEST = "SYNTHETIC_MANIFEST.csv"

_PLACES = (
    "东山", "西岭", "南湖", "北塘", "青石", "白沙", "红枫", "金川", "玉泉", "云溪", "松林", "柳岸", "桃源", "梅岭",
    "竹海", "兰亭", "石门", "清河", "长宁", "永安", "安平", "新丰", "丰乐", "和平", "富阳", "宁远", "临江", "望海",
    "凤台", "龙泉", "鹤鸣", "春晖", "秋实", "星桥", "月湾", "晴川", "雁荡", "枫桥", "茶山", "银滩",
)
_DEPARTMENTS = (
    "人民政府办公室", "发展和改革局", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局",
    "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局",
    "商务局", "文化广电和旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局",
    "统计局", "医疗保障局",
)
_SECTIONS = (
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
)

Key = tuple[str, str, "str | None"]


# -- one report's figures ---------------------------------------------------------------------------

@dataclass
class SynthReport:
    """One synthetic report: who, when, which template, and every cell as printed.

    ``printed`` follows :func:`govdisclose.catalogue.template_cells` order; ``injected`` lists
    the cells an error was injected into (empty for a clean report).
    """

    agency: str
    year: int
    template: str
    printed: tuple[str, ...]
    injected: list[dict] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"

    def cells(self) -> dict[tuple[str, str, str | None], str]:
        """``{(table, item, applicant): printed text}``."""
        return dict(zip(template_cells(self.template), self.printed))

    def truth(self) -> pd.DataFrame:
        """The cells as :func:`govdisclose.read_report` must read them: ``table, item,
        applicant, raw, value`` (value in the catalogue unit), plus ``synthetic``."""
        rows = [(t, i, a, raw, _number(raw)) for (t, i, a), raw in zip(template_cells(self.template), self.printed)]
        frame = pd.DataFrame(rows, columns=["table", "item", "applicant", "raw", "value"])
        frame["value"] = pd.array(frame["value"], dtype="Float64")
        frame["synthetic"] = True
        return frame


def _number(raw: str) -> float | None:
    text = raw.strip().replace("万元", "").replace("元", "")
    return float(text) if text else None


def _split(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """``total`` shared out over the weights, with some noise; sums exactly to ``total``."""
    noisy = [w * rng.uniform(0.3, 1.7) for w in weights]
    scale = sum(noisy)
    parts = [int(total * w / scale) for w in noisy]
    rest = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda k: -noisy[k])
    for k in range(rest):
        parts[order[k % len(order)]] += 1
    return parts


_LEAF_WEIGHTS = {
    "granted": 0.35, "partially_granted": 0.08, "denied.state_secret": 0.005, "denied.prohibited_by_law": 0.008,
    "denied.security_stability": 0.004, "denied.third_party_rights": 0.01, "denied.internal_affairs": 0.02,
    "denied.process_information": 0.02, "denied.enforcement_case_file": 0.006, "denied.administrative_query": 0.01,
    "unable.not_held": 0.25, "unable.needs_creation": 0.03, "unable.unclear_after_correction": 0.03,
    "not_processed.petition_complaint": 0.03, "not_processed.duplicate": 0.03, "not_processed.publication": 0.006,
    "not_processed.excessive_repeated": 0.006, "not_processed.reconfirmation": 0.008, "other_handling": 0.085,
    "other_handling.no_correction": 0.03, "other_handling.unpaid_fee": 0.005, "other_handling.other": 0.05,
}
# (chance of any request, typical size) per applicant column except total
_APPLICANT_SIZE = {
    "natural_person": (0.97, 40.0), "commercial_enterprise": (0.35, 4.0), "research_institution": (0.05, 1.5),
    "social_welfare_org": (0.05, 1.5), "legal_service_org": (0.15, 3.0), "other_org": (0.10, 2.0),
}


@dataclass
class _History:
    """What one agency's previous report carries into the next."""

    carried_forward: dict[str, int] = field(default_factory=dict)
    in_force: dict[str, int] = field(default_factory=dict)
    published: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)


def make_report(agency: str, year: int, *, seed: int | random.Random = 0, template: str | None = None,
                history: _History | None = None) -> SynthReport:
    """Invent one report with consistent arithmetic (template from the year unless given).

    >>> r = make_report("示例东山县交通运输局", 2023, seed=3)
    >>> r.template, len(r.printed), r.title
    ('2021', 200, '示例东山县交通运输局2023年政府信息公开工作年度报告')
    """
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    template = template or ("2019" if year <= 2020 else "2021")
    if template not in ("2019", "2021"):
        raise ValueError(f"template must be '2019' or '2021', not {template!r}")
    history = history if history is not None else _History()
    values: dict[tuple[str, str, str | None], str] = {}
    _active(values, template, rng, history)
    _requests(values, template, rng, history)
    _review(values, rng)
    printed = tuple(values[key] for key in template_cells(template))
    return SynthReport(agency, year, template, printed)


def _count(rng: random.Random, chance: float, size: float, most: int = 100000) -> int:
    if rng.random() >= chance:
        return 0
    return min(most, max(1, int(rng.lognormvariate(0, 1.0) * size)))


def _active(values: dict, template: str, rng: random.Random, history: _History) -> None:
    put = lambda item, text: values.__setitem__(("active_disclosure", item, None), text)  # noqa: E731
    if template == "2021":
        for group, (issued_size, stock) in {"regulations": (0.6, 8), "normative_documents": (12.0, 150)}.items():
            before = history.in_force.get(group, int(rng.uniform(0.2, 2.0) * stock))
            issued = _count(rng, 0.5 if group == "regulations" else 0.9, issued_size, 500)
            repealed = min(before, _count(rng, 0.3 if group == "regulations" else 0.7, issued_size / 2, 500))
            now = before + issued - repealed
            history.in_force[group] = now
            put(f"{group}.issued", str(issued))
            put(f"{group}.repealed", str(repealed))
            put(f"{group}.in_force", str(now))
        for group, size in (("licensing", 800.0), ("penalty", 120.0), ("enforcement", 12.0)):
            put(f"{group}.decisions", str(_count(rng, 0.8, size)))
        if rng.random() < 0.6:
            put("fees.amount", "0")
        else:
            amount = f"{rng.lognormvariate(0, 1.5) * 300:.{rng.choice((0, 2, 4))}f}"
            put("fees.amount", amount + ("万元" if rng.random() < 0.3 else ""))
        return
    for group, size in (("regulations", 0.6), ("normative_documents", 10.0)):
        made = _count(rng, 0.7, size, 500)
        published = made if rng.random() < 0.8 else max(0, made - 1)
        total = history.published.get(group, int(rng.uniform(0.5, 3.0) * size * 10)) + published
        history.published[group] = total
        put(f"{group}.new_made", str(made))
        put(f"{group}.new_published", str(published))
        put(f"{group}.total_published", str(total))
    for group, stock, size in (("licensing", 200, 600.0), ("other_services", 20, 80.0), ("penalty", 1500, 100.0),
                               ("enforcement", 80, 10.0), ("fees", 20, 0.0)):
        before = history.items.get(group, int(rng.uniform(0.3, 2.0) * stock))
        change = rng.choice((0, 0, 0, 1, 2, 5, -1, -3)) if before > 5 else rng.choice((0, 1, 2))
        history.items[group] = before + change
        put(f"{group}.prev_items", str(before))
        put(f"{group}.change", (f"+{change}" if change > 0 and rng.random() < 0.5 else str(change)))
        if group != "fees":
            put(f"{group}.decisions", str(_count(rng, 0.8, size)))
    put("procurement.items", str(_count(rng, 0.7, 30.0, 5000)))
    amount = f"{rng.lognormvariate(0, 1.2) * 2_000_000:.2f}" if values[("active_disclosure", "procurement.items", None)] != "0" else "0"
    put("procurement.amount", amount + ("元" if amount != "0" and rng.random() < 0.5 else ""))


def _requests(values: dict, template: str, rng: random.Random, history: _History) -> None:
    rows = requests_rows(template)
    leaves = [r for r in rows if r not in ("new_received", "carried_over", "total_processed", "carried_forward")]
    weights = [_LEAF_WEIGHTS[r] for r in leaves]
    columns: dict[str, dict[str, int]] = {}
    for a in APPLICANTS[:-1]:
        chance, size = _APPLICANT_SIZE[a]
        processed = _count(rng, chance, size, 5000)
        col = dict(zip(leaves, _split(processed, weights, rng)))
        col["total_processed"] = processed
        carried_over = history.carried_forward.get(a, rng.choice((0, 0, 0, 1, 2)) if processed else 0)
        forward = rng.choice((0, 0, 0, 1, 2, 3)) if processed > 3 else 0
        if processed + forward < carried_over:  # cannot have received a negative number
            forward = carried_over - processed
        col["carried_over"] = carried_over
        col["carried_forward"] = forward
        col["new_received"] = processed + forward - carried_over
        columns[a] = col
        history.carried_forward[a] = forward
    for item in rows:
        total = 0
        for a in APPLICANTS[:-1]:
            values[("requests", item, a)] = str(columns[a][item])
            total += columns[a][item]
        values[("requests", item, "total")] = str(total)


def _review(values: dict, rng: random.Random) -> None:
    for block, chance in (("review", 0.3), ("litigation_direct", 0.2), ("litigation_after_review", 0.15)):
        parts = [_count(rng, chance, 1.5, 50) for _ in range(4)]
        for part, n in zip(("upheld", "corrected", "other", "pending"), parts):
            values[("review_litigation", f"{block}.{part}", None)] = str(n)
        values[("review_litigation", f"{block}.total", None)] = str(sum(parts))


# -- known errors -------------------------------------------------------------------------------------

def inject_error(report: SynthReport, kind: str, *, seed: int | random.Random = 0) -> SynthReport:
    """A copy of ``report`` with one known error that breaks exactly the validate rule ``kind``.

    The changed cells are listed in ``injected`` (``table, item, applicant, printed, correct,
    rule``). Row and column totals are kept in step where that isolates the rule: e.g. for
    ``requests.outcome_total`` one applicant's 予以公开 and the 总计 column's are both raised, so
    the row totals still agree and only the outcome sums fail.

    >>> r = inject_error(make_report("示例东山县交通运输局", 2023, seed=3), "review_litigation.block_total")
    >>> [(c["item"], c["rule"]) for c in r.injected]
    [('review.total', 'review_litigation.block_total')]
    """
    if kind not in ERROR_KINDS:
        raise ValueError(f"unknown error kind {kind!r}; kinds are {', '.join(ERROR_KINDS)}")
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    cells = report.cells()
    delta = rng.randint(1, 9)
    if kind == "requests.row_total":
        changes = [("requests", item, "total") for item in ("new_received", "granted", "total_processed")]
    elif kind == "requests.balance":
        changes = [("requests", "carried_forward", a) for a in ("natural_person", "total")]
    elif kind == "requests.outcome_total":
        changes = [("requests", "granted", a) for a in ("natural_person", "total")]
    elif kind == "review_litigation.block_total":
        changes = [("review_litigation", "review.total", None)]
    else:
        changes = [("active_disclosure", "licensing.decisions", None)]
    injected = []
    for key in changes:
        correct = cells[key]
        new = str(-int(correct) - delta) if kind == "domain" else str(int(correct) + delta)
        cells[key] = new
        injected.append({"table": key[0], "item": key[1], "applicant": key[2], "printed": new, "correct": correct, "rule": kind})
    printed = tuple(cells[key] for key in template_cells(report.template))
    return SynthReport(report.agency, report.year, report.template, printed, report.injected + injected)


# -- layout: blocks and span grids --------------------------------------------------------------------

@dataclass(frozen=True)
class _Span:
    text: str
    rows: int = 1
    cols: int = 1
    value: bool = False


def _blocks(report: SynthReport) -> list[tuple]:
    """The document as ``("mark"|"title"|"heading"|"para", text)`` and ``("table", grid)`` blocks."""
    v = report.cells()
    n = lambda item, a="total": v[("requests", item, a)]  # noqa: E731
    fee = "本年度未收取信息处理费。" if report.year % 2 else "本年度依据《政府信息公开信息处理费管理办法》收取信息处理费0元。"
    return [
        ("mark", MARK),
        ("title", report.title),
        ("para", "本报告依据《中华人民共和国政府信息公开条例》和政府信息公开工作年度报告格式的要求编制。"
                 f"本报告所列数据的统计期限自{report.year}年1月1日起至{report.year}年12月31日止。"),
        ("heading", _SECTIONS[0]),
        ("para", f"{report.year}年，{report.agency}认真贯彻落实《中华人民共和国政府信息公开条例》，"
                 f"全年共收到政府信息公开申请{n('new_received')}件，上年结转{n('carried_over')}件，"
                 f"办结{n('total_processed')}件，结转下年度继续办理{n('carried_forward')}件。"),
        ("heading", _SECTIONS[1]),
        ("table", _active_grid(report.template, v)),
        ("heading", _SECTIONS[2]),
        ("table", _requests_grid(report.template, v)),
        ("heading", _SECTIONS[3]),
        ("table", _review_grid(v)),
        ("heading", _SECTIONS[4]),
        ("para", "本年度政府信息公开工作仍存在一些不足：一是公开内容的深度和广度有待拓展；二是政策解读形式还不够丰富。"
                 "下一步，将加强业务培训，提升公开质量。"),
        ("heading", _SECTIONS[5]),
        ("para", fee + "本报告为合成示例数据（SYNTHETIC），不是任何机关发布的报告。"),
    ]


def _active_grid(template: str, v: dict) -> list[list[_Span]]:
    a = lambda item: _Span(v[("active_disclosure", item, None)], value=True)  # noqa: E731
    a3 = lambda item: _Span(v[("active_disclosure", item, None)], cols=3, value=True)  # noqa: E731
    a2 = lambda item: _Span(v[("active_disclosure", item, None)], cols=2, value=True)  # noqa: E731
    head = lambda text: [_Span(text, cols=4)]  # noqa: E731
    if template == "2021":
        return [
            head("第二十条第（一）项"),
            [_Span("信息内容"), _Span("本年制发件数"), _Span("本年废止件数"), _Span("现行有效件数")],
            [_Span("规章"), a("regulations.issued"), a("regulations.repealed"), a("regulations.in_force")],
            [_Span("行政规范性文件"), a("normative_documents.issued"), a("normative_documents.repealed"),
             a("normative_documents.in_force")],
            head("第二十条第（五）项"),
            [_Span("信息内容"), _Span("本年处理决定数量", cols=3)],
            [_Span("行政许可"), a3("licensing.decisions")],
            head("第二十条第（六）项"),
            [_Span("信息内容"), _Span("本年处理决定数量", cols=3)],
            [_Span("行政处罚"), a3("penalty.decisions")],
            [_Span("行政强制"), a3("enforcement.decisions")],
            head("第二十条第（八）项"),
            [_Span("信息内容"), _Span("本年收费金额（单位：万元）", cols=3)],
            [_Span("行政事业性收费"), a3("fees.amount")],
        ]
    items = [_Span("信息内容"), _Span("上一年项目数量"), _Span("本年增/减"), _Span("处理决定数量")]
    row3 = lambda label, g: [_Span(label), a(f"{g}.prev_items"), a(f"{g}.change"), a(f"{g}.decisions")]  # noqa: E731
    return [
        head("第二十条第（一）项"),
        [_Span("信息内容"), _Span("本年新制作数量"), _Span("本年新公开数量"), _Span("对外公开总数量")],
        [_Span("规章"), a("regulations.new_made"), a("regulations.new_published"), a("regulations.total_published")],
        [_Span("规范性文件"), a("normative_documents.new_made"), a("normative_documents.new_published"),
         a("normative_documents.total_published")],
        head("第二十条第（五）项"),
        list(items),
        row3("行政许可", "licensing"),
        row3("其他对外管理服务事项", "other_services"),
        head("第二十条第（六）项"),
        list(items),
        row3("行政处罚", "penalty"),
        row3("行政强制", "enforcement"),
        head("第二十条第（八）项"),
        [_Span("信息内容"), _Span("上一年项目数量"), _Span("本年增/减", cols=2)],
        [_Span("行政事业性收费"), a("fees.prev_items"), a2("fees.change")],
        head("第二十条第（九）项"),
        [_Span("信息内容"), _Span("采购项目数量"), _Span("采购总金额", cols=2)],
        [_Span("政府集中采购"), a("procurement.items"), a2("procurement.amount")],
    ]


_REQUEST_LABELS = {
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied.state_secret": "1.属于国家秘密", "denied.prohibited_by_law": "2.其他法律行政法规禁止公开",
    "denied.security_stability": "3.危及“三安全一稳定”", "denied.third_party_rights": "4.保护第三方合法权益",
    "denied.internal_affairs": "5.属于三类内部事务信息", "denied.process_information": "6.属于四类过程性信息",
    "denied.enforcement_case_file": "7.属于行政执法案卷", "denied.administrative_query": "8.属于行政查询事项",
    "unable.not_held": "1.本机关不掌握相关政府信息", "unable.needs_creation": "2.没有现成信息需要另行制作",
    "unable.unclear_after_correction": "3.补正后申请内容仍不明确",
    "not_processed.petition_complaint": "1.信访举报投诉类申请", "not_processed.duplicate": "2.重复申请",
    "not_processed.publication": "3.要求提供公开出版物", "not_processed.excessive_repeated": "4.无正当理由大量反复申请",
    "not_processed.reconfirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other_handling": "（六）其他处理",
    "other_handling.no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_handling.unpaid_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_handling.other": "3.其他",
    "total_processed": "（七）总计",
}
_GROUP_LABELS = {"denied": "（三）不予公开", "unable": "（四）无法提供", "not_processed": "（五）不予处理",
                 "other_handling": "（六）其他处理"}


def _requests_grid(template: str, v: dict) -> list[list[_Span]]:
    values = lambda item: [_Span(v[("requests", item, a)], value=True) for a in APPLICANTS]  # noqa: E731
    rows = requests_rows(template)
    outcome = rows[2:-1]
    grid = [
        [_Span("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rows=3, cols=3),
         _Span("申请人情况", cols=7)],
        [_Span(APPLICANT_LABELS["natural_person"], rows=2), _Span("法人或其他组织", cols=5), _Span("总计", rows=2)],
        [_Span(APPLICANT_LABELS[a]) for a in APPLICANTS[1:-1]],
        [_Span("一、本年新收政府信息公开申请数量", cols=3), *values("new_received")],
        [_Span("二、上年结转政府信息公开申请数量", cols=3), *values("carried_over")],
    ]
    groups: dict[str, int] = {}
    for item in outcome:
        group = item.split(".")[0] if "." in item else None
        if group:
            groups[group] = groups.get(group, 0) + 1
    seen: set[str] = set()
    for k, item in enumerate(outcome):
        row: list[_Span] = [_Span("三、本年度办理结果", rows=len(outcome))] if k == 0 else []
        group = item.split(".")[0] if "." in item else None
        if group is None:
            row.append(_Span(_REQUEST_LABELS[item], cols=2))
        else:
            if group not in seen:
                seen.add(group)
                row.append(_Span(_GROUP_LABELS[group], rows=groups[group]))
            row.append(_Span(_REQUEST_LABELS[item]))
        grid.append(row + values(item))
    grid.append([_Span("四、结转下年度继续办理", cols=3), *values("carried_forward")])
    return grid


def _review_grid(v: dict) -> list[list[_Span]]:
    parts = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    return [
        [_Span("行政复议", cols=5), _Span("行政诉讼", cols=10)],
        [*(_Span(p, rows=2) for p in parts), _Span("未经复议直接起诉", cols=5), _Span("复议后起诉", cols=5)],
        [*(_Span(p) for p in parts), *(_Span(p) for p in parts)],
        [_Span(v[("review_litigation", f"{b}.{p}", None)], value=True)
         for b in ("review", "litigation_direct", "litigation_after_review")
         for p in ("upheld", "corrected", "other", "pending", "total")],
    ]


def _slots(grid: list[list[_Span]]) -> list[list[_Span | None]]:
    """The grid with spans expanded: each slot holds its span's origin, or None if covered."""
    width = sum(s.cols for s in grid[0])
    out: list[list[_Span | None]] = []
    covered: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(grid):
        slots: list[_Span | None] = []
        c = 0
        spans = iter(row)
        while c < width:
            if covered.get((r, c)):
                slots.append(None)
                c += 1
                continue
            span = next(spans, None)
            if span is None:
                slots.append(_Span(""))
                c += 1
                continue
            for dr in range(span.rows):
                for dc in range(span.cols):
                    if dr or dc:
                        covered[(r + dr, c + dc)] = True
            slots.append(span)
            c += 1
        out.append(slots)
    return out


# -- renderers ----------------------------------------------------------------------------------------

def _render_text(report: SynthReport, sep: str) -> str:
    lines: list[str] = []
    for block in _blocks(report):
        kind = block[0]
        if kind == "table":
            slots = _slots(block[1])
            for r, row in enumerate(slots):
                texts = [s.text if s is not None else "" for s in row]
                if sep == "|":
                    lines.append("| " + " | ".join(texts) + " |")
                    if r == 0:
                        lines.append("|" + "---|" * len(texts))
                else:
                    lines.append("\t".join(texts))
            lines.append("")
        elif kind == "title":
            lines += [f"# {block[1]}", ""]
        elif kind == "heading":
            lines += [f"## {block[1]}", ""]
        else:
            lines += [block[1], ""]
    return "\n".join(lines)


_SITE_STYLE = """<style>
body{margin:0;font-family:"Microsoft YaHei",SimSun,sans-serif;font-size:14px;color:#333}
.header{background:#0b4ea2;color:#fff;height:90px}.header h2{margin:0;padding:24px 40px;font-size:28px}
.nav ul{list-style:none;margin:0;padding:0;background:#063c82}.nav li{display:inline-block;padding:10px 18px}
.nav a,.footer a{color:#fff;text-decoration:none}.crumb{padding:10px 40px;color:#666}
.main{width:1000px;margin:0 auto}.info{color:#999;text-align:center;border-bottom:1px dashed #ccc;padding:8px}
.TRS_Editor table{margin:0 auto;border-collapse:collapse}.TRS_Editor td{border:1px solid #000;padding:5px}
.related li{line-height:28px}.footer{background:#333;color:#ccc;padding:20px 40px;line-height:24px}
</style>"""
_NAV = ("首页", "政务公开", "政务服务", "互动交流", "走进示例县", "政策文件", "政策解读", "新闻动态", "通知公告", "专题专栏")
_RELATED = ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "依申请公开", "政府信息公开年报",
            "财政预决算", "重点领域信息公开", "建议提案办理", "人事信息", "规划计划")


def _td(span: _Span) -> str:
    attrs = (f' rowspan="{span.rows}"' if span.rows > 1 else "") + (f' colspan="{span.cols}"' if span.cols > 1 else "")
    style = ' style="border:1px solid windowtext;padding:5px;text-align:center" valign="center"'
    body = html.escape(span.text) if span.value else f'<p style="text-indent:0em">{html.escape(span.text)}</p>'
    return f"<td{attrs}{style}>{body}</td>"


def _render_html(report: SynthReport) -> str:
    """A saved page of a (made-up) county site: navigation, breadcrumb, the article in a
    ``TRS_Editor`` container with the tables (rowspan/colspan, Word-style inline styles),
    related links and a footer, as pages saved from government sites look."""
    site = "示例县人民政府（合成示例网站 SYNTHETIC）"
    nav = "".join(f'<li><a href="/{k}/">{name}</a></li>' for k, name in enumerate(_NAV))
    out = [
        "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="SiteName" content="{site}">',
        f"<title>{html.escape(report.title)}</title>", _SITE_STYLE,
        "<script>var _hmt=_hmt||[];function printPage(){window.print();}</script></head><body>",
        f'<div class="header"><h2>{site}</h2></div>', f'<div class="nav"><ul>{nav}</ul></div>',
        '<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>',
        '<div class="main">',
        f'<div class="info">发布时间：{report.year + 1}-01-20　来源：{html.escape(report.agency)}　'
        '字号：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>]　<a href="javascript:printPage()">打印</a></div>',
        '<div class="TRS_Editor">',
    ]
    for block in _blocks(report):
        kind = block[0]
        if kind == "table":
            out.append('<table border="1" cellspacing="0" cellpadding="0" align="center" style="border-collapse:collapse"><tbody>')
            out += ["<tr>" + "".join(_td(s) for s in row) + "</tr>" for row in block[1]]
            out.append("</tbody></table>")
        elif kind == "title":
            out.append(f'<p style="text-align:center"><strong>{html.escape(block[1])}</strong></p>')
        elif kind == "heading":
            out.append(f'<p style="text-indent:2em"><strong>{html.escape(block[1])}</strong></p>')
        else:
            out.append(f'<p style="text-indent:2em">{html.escape(block[1])}</p>')
    related = "".join(f'<li><a href="/zwgk/{k}/">{name}</a></li>' for k, name in enumerate(_RELATED))
    out += [
        "</div>", f'<div class="related"><h4>相关链接</h4><ul>{related}</ul></div>', "</div>",
        f'<div class="footer">主办：{site}　地址：示例省示例市示例县示例路1号<br>'
        "网站标识码：SYNTHETIC　本网站为合成示例，所有内容均为虚构</div>",
        "</body></html>",
    ]
    return "\n".join(out)


@lru_cache(maxsize=2)
def _docx_skeleton(template: str) -> tuple[bytes, str]:
    """A DOCX of the template's layout with ``@@n@@`` tokens where text goes (built once with
    python-docx), and its ``word/document.xml``. Tokens are numbered in block/slot order."""
    try:
        import docx
        from docx.shared import Pt
    except ImportError:  # pragma: no cover - python-docx is a dev dependency
        raise GovDiscloseError("writing DOCX needs python-docx (pip install python-docx)") from None
    dummy = SynthReport("示例", 2023, template, tuple("0" for _ in template_cells(template)))
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(10.5)
    token = 0
    for block in _blocks(dummy):
        kind = block[0]
        if kind == "table":
            grid = block[1]
            slots = _slots(grid)
            table = document.add_table(rows=len(slots), cols=len(slots[0]))
            table.style = "Table Grid"
            cells = [list(row.cells) for row in table.rows]  # once: table.cell() rescans the table
            origins = []
            for r, row in enumerate(slots):
                for c, span in enumerate(row):
                    if span is None:
                        continue
                    origins.append((r, c))
                    if span.rows > 1 or span.cols > 1:
                        cells[r][c].merge(cells[r + span.rows - 1][c + span.cols - 1])
            for r, c in origins:
                cells[r][c].paragraphs[0].text = f"@@{token}@@"
                token += 1
        else:
            paragraph = document.add_paragraph(f"@@{token}@@")
            token += 1
            if kind in ("title", "heading"):
                paragraph.runs[0].bold = True
                if kind == "title":
                    paragraph.alignment = 1
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    return data, xml


def _render_docx(report: SynthReport) -> bytes:
    skeleton, xml = _docx_skeleton(report.template)
    texts: list[str] = []
    for block in _blocks(report):
        if block[0] == "table":
            texts.extend(s.text for row in _slots(block[1]) for s in row if s is not None)
        else:
            texts.append(block[1])
    parts = xml.split("@@")
    # parts alternate: text, token number, text, token number, ...
    for k in range(1, len(parts), 2):
        parts[k] = html.escape(texts[int(parts[k])], quote=False)
    body = "".join(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(skeleton)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = body.encode("utf-8") if info.filename == "word/document.xml" else src.read(info.filename)
            dst.writestr(info, data)
    return out.getvalue()


def render(report: SynthReport, fmt: str) -> bytes:
    """The report as a file's bytes in ``text``, ``markdown``, ``html`` or ``docx`` (for PDF see
    :func:`generate_corpus`).

    >>> text = render(make_report("示例东山县交通运输局", 2023, seed=3), "text").decode()
    >>> text.splitlines()[0].startswith("【合成示例数据 SYNTHETIC】")
    True
    """
    if fmt == "text":
        return _render_text(report, "\t").encode("utf-8")
    if fmt == "markdown":
        return _render_text(report, "|").encode("utf-8")
    if fmt == "html":
        return _render_html(report).encode("utf-8")
    if fmt == "docx":
        return _render_docx(report)
    raise ValueError(f"render() writes {', '.join(f for f in FORMATS if f != 'pdf')}; not {fmt!r}")


def libreoffice() -> str | None:
    """The LibreOffice program (``soffice``) if installed, else None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _to_pdf(docx_files: list[Path], out_dir: Path, timeout: float) -> set[Path]:
    """Convert DOCX files to PDF in out_dir with LibreOffice; the PDFs that were written."""
    program = libreoffice()
    if program is None or not docx_files:
        return set()
    with tempfile.TemporaryDirectory(prefix="govdisclose-lo-") as profile:
        for start in range(0, len(docx_files), 50):
            batch = docx_files[start:start + 50]
            try:
                subprocess.run(
                    [program, "--headless", "--norestore", f"-env:UserInstallation={Path(profile).as_uri()}",
                     "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, batch)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout + 5 * len(batch), check=False,
                )
            except (subprocess.TimeoutExpired, OSError):
                continue
    return {p for p in (out_dir / f.with_suffix(".pdf").name for f in docx_files) if p.is_file() and p.stat().st_size > 0}


# -- a whole corpus -----------------------------------------------------------------------------------

@dataclass
class SynthCorpus:
    """What :func:`generate_corpus` wrote.

    * ``files``: one row per file written: ``source, format, agency, year, template, synthetic,
      injected`` (the rule an injected error breaks, or ``""``);
    * ``injected``: one row per changed cell: ``source, table, item, applicant, printed,
      correct, rule``;
    * ``skipped``: reports not written, with the reason (e.g. PDF without LibreOffice);
    * ``reports``: the :class:`SynthReport` of each written file, in ``files`` order.
    """

    folder: Path
    files: pd.DataFrame
    injected: pd.DataFrame
    skipped: pd.DataFrame
    reports: list[SynthReport]

    def truth(self) -> pd.DataFrame:
        """Every cell of every file as it must be read: ``source, table, item, applicant, raw,
        value, synthetic``."""
        frames = [r.truth().assign(source=s) for s, r in zip(self.files["source"], self.reports)]
        if not frames:
            return pd.DataFrame(columns=["source", "table", "item", "applicant", "raw", "value", "synthetic"])
        frame = pd.concat(frames, ignore_index=True)
        frame.attrs["synthetic"] = True
        return frame[["source", "table", "item", "applicant", "raw", "value", "synthetic"]]


def agency_name(k: int) -> str:
    """The ``k``-th synthetic agency name, e.g. ``示例东山县人民政府办公室``.

    >>> agency_name(0), agency_name(26)
    ('示例东山县人民政府办公室', '示例西岭县发展和改革局')
    """
    place = _PLACES[(k // len(_DEPARTMENTS)) % len(_PLACES)]
    round_ = k // (len(_DEPARTMENTS) * len(_PLACES))
    suffix = "" if round_ == 0 else str(round_ + 1)
    return f"示例{place}{suffix}县{_DEPARTMENTS[k % len(_DEPARTMENTS)]}"


def generate_corpus(
    folder: str | os.PathLike[str],
    n: int,
    *,
    formats: tuple[str, ...] | list[str] = ("text",),
    years: tuple[int, ...] | list[int] = (2019, 2020, 2021, 2022, 2023, 2024),
    seed: int = 0,
    errors: int = 0,
    error_kinds: tuple[str, ...] | list[str] = ERROR_KINDS,
    overwrite: bool = False,
    pdf_timeout: float = 120.0,
) -> SynthCorpus:
    """Write ``n`` synthetic reports into ``folder`` (created if needed) and describe them.

    Report ``i`` is agency ``i // len(years)`` in year ``years[i % len(years)]`` and is written in
    ``formats[i % len(formats)]``. ``errors`` reports (spread evenly, kinds taken in turn from
    ``error_kinds``) get one injected error each. Existing files are never overwritten unless
    ``overwrite=True``; PDFs need LibreOffice and are listed in ``skipped`` without it.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"formats must be among {', '.join(FORMATS)}; got {list(formats)}")
    if n < 0 or errors < 0 or errors > n:
        raise ValueError("n and errors must be >= 0, and errors <= n")
    bad_kinds = [k for k in error_kinds if k not in ERROR_KINDS]
    if bad_kinds or (errors and not error_kinds):
        raise ValueError(f"error kinds must be among {', '.join(ERROR_KINDS)}")
    folder = Path(folder)
    years = tuple(years)
    names = [f"SYNTHETIC_{i:05d}_{years[i % len(years)]}_{'2019' if years[i % len(years)] <= 2020 else '2021'}"
             f"{SUFFIXES[formats[i % len(formats)]]}" for i in range(n)]
    clash = [folder / name for name in [*names, MANIFEST] if (folder / name).exists()]
    if clash and not overwrite:
        raise GovDiscloseError(f"{clash[0]} already exists ({len(clash)} file(s) would be overwritten); "
                               "generate into an empty folder or pass overwrite=True")
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    broken = {round(k * n / errors) + (n // errors) // 2 for k in range(errors)} if errors else set()
    histories: dict[int, _History] = {}
    rows, injected_rows, skipped, reports = [], [], [], []
    pdf_jobs: list[tuple[Path, Path, SynthReport, dict]] = []
    staging = Path(tempfile.mkdtemp(prefix="govdisclose-synth-")) if "pdf" in formats else None
    kinds = iter(list(error_kinds) * (errors // max(1, len(error_kinds)) + 1))
    try:
        for i in range(n):
            agency_k = i // len(years)
            year = years[i % len(years)]
            report = make_report(agency_name(agency_k), year, seed=rng, history=histories.setdefault(agency_k, _History()))
            if i in broken:
                report = inject_error(report, next(kinds), seed=rng)
            fmt = formats[i % len(formats)]
            path = folder / names[i]
            row = {"source": str(path), "format": fmt, "agency": report.agency, "year": year,
                   "template": report.template, "synthetic": True,
                   "injected": report.injected[0]["rule"] if report.injected else ""}
            if fmt == "pdf":
                assert staging is not None
                docx_path = staging / path.with_suffix(".docx").name
                docx_path.write_bytes(render(report, "docx"))
                pdf_jobs.append((docx_path, path, report, row))
                continue
            path.write_bytes(render(report, fmt))
            rows.append(row)
            reports.append(report)
            injected_rows += [{"source": str(path), **c} for c in report.injected]
        if pdf_jobs:
            assert staging is not None
            if libreoffice() is None:
                skipped += [{"source": str(p), "format": "pdf", "reason": "LibreOffice (soffice) is not installed"}
                            for _, p, _, _ in pdf_jobs]
            else:
                written = _to_pdf([d for d, _, _, _ in pdf_jobs], staging, pdf_timeout)
                for docx_path, path, report, row in pdf_jobs:
                    made = staging / docx_path.with_suffix(".pdf").name
                    if made not in written:
                        skipped.append({"source": str(path), "format": "pdf", "reason": "LibreOffice did not convert it"})
                        continue
                    shutil.move(str(made), path)
                    rows.append(row)
                    reports.append(report)
                    injected_rows += [{"source": str(path), **c} for c in report.injected]
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    order = sorted(range(len(rows)), key=lambda k: rows[k]["source"])
    files = pd.DataFrame([rows[k] for k in order], columns=["source", "format", "agency", "year", "template", "synthetic", "injected"])
    reports = [reports[k] for k in order]
    files.attrs["synthetic"] = True
    injected = pd.DataFrame(injected_rows, columns=["source", "table", "item", "applicant", "printed", "correct", "rule"])
    injected.attrs["synthetic"] = True
    skipped_frame = pd.DataFrame(skipped, columns=["source", "format", "reason"])
    manifest = folder / MANIFEST
    files.assign(file=[Path(s).name for s in files["source"]]).drop(columns="source")[
        ["file", "format", "agency", "year", "template", "synthetic", "injected"]].to_csv(manifest, index=False, encoding="utf-8")
    return SynthCorpus(folder, files, injected, skipped_frame, reports)
