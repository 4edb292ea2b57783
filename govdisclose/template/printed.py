"""The printed forms of the 2019 and 2021 templates: what an official blank template prints.

Section headings, the title, every header row and row label of tables 2–4, as data. The words
the catalogue already holds (its ``label_zh``: ``规章 本年制发件数``, ``（三）不予公开 1.属于国家秘密``,
``行政诉讼 复议后起诉 结果维持`` …, and :data:`~govdisclose.template.catalogue.APPLICANT_LABELS`)
are taken from it; this module adds only what the catalogue lacks: the headings, the article
numbers of table 2, its layout of fields per block, the headers of tables 3 and 4, and the
``三、本年度办理结果`` span. Header rows are given as :class:`Printed` cells (text with row/column
spans, in reading order), so a generator can draw them and a matcher can take "the canonical
label of row X" from :func:`requests_label` / :func:`active_label`.

>>> SECTIONS[2]
'三、收到和处理政府信息公开申请情况'
>>> title("外交部", 2023)
'外交部2023年政府信息公开工作年度报告'
>>> requests_label("denied.state_secret"), requests_group_label("denied.state_secret")
('1.属于国家秘密', '（三）不予公开')
>>> requests_label("other_handling", "2019"), requests_group_label("other_handling")
('（六）其他处理', None)
>>> active_label("normative_documents", "2021"), active_label("normative_documents", "2019")
('行政规范性文件', '规范性文件')
>>> [b.headers for b in active_blocks("2021")][0]
('本年制发件数', '本年废止件数', '现行有效件数')
>>> [c.text for c in review_header()[1]][-2:]
['未经复议直接起诉', '复议后起诉']
>>> unnumbered(requests_label("carried_forward"))
'结转下年度继续办理'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import pandas as pd

from govdisclose.exceptions import CatalogueError
from govdisclose.template.catalogue import APPLICANT_LABELS, APPLICANTS, TEMPLATES, catalogue, requests_rows

__all__ = [
    "SECTIONS",
    "REPORT_NAME",
    "ACTIVE_CORNER",
    "REQUESTS_NOTE",
    "APPLICANT_HEADER",
    "ORGANISATION_HEADER",
    "OUTCOME_SPAN",
    "Printed",
    "ActiveBlock",
    "RequestsRow",
    "title",
    "unnumbered",
    "active_blocks",
    "active_label",
    "requests_label",
    "requests_group_label",
    "requests_rows_printed",
    "requests_header",
    "header_labels",
    "review_words",
    "review_header",
    "printed_labels",
    "OUTCOME_GROUP_LABELS",
    "APPLICANT_SHORT_LABELS",
    "SHORT_WORDS",
]

#: The six section headings (the same in both templates).
SECTIONS: tuple[str, ...] = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
#: What a report is called; the title is ``{agency}{year}年`` and this.
REPORT_NAME = "政府信息公开工作年度报告"
#: The top-left header cell of every block of table 2.
ACTIVE_CORNER = "信息内容"
#: The corner of table 3 (over its three label columns and three header rows).
REQUESTS_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
#: Table 3's header over all applicant columns.
APPLICANT_HEADER = "申请人情况"
#: Table 3's header over the five organisation columns.
ORGANISATION_HEADER = "法人或其他组织"
#: Table 3's label spanning every outcome row, from （一）予以公开 to （七）总计.
OUTCOME_SPAN = "三、本年度办理结果"

_ARTICLE = "第二十条第（{}）项"
# Table 2 per template: (article item, row codes, field codes) per block, in printed order.
_ACTIVE_LAYOUT: dict[str, tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]] = {
    "2021": (
        ("一", ("regulations", "normative_documents"), ("issued", "repealed", "in_force")),
        ("五", ("licensing",), ("decisions",)),
        ("六", ("penalty", "enforcement"), ("decisions",)),
        ("八", ("fees",), ("amount",)),
    ),
    "2019": (
        ("一", ("regulations", "normative_documents"), ("new_made", "new_published", "total_published")),
        ("五", ("licensing", "other_services"), ("prev_items", "change", "decisions")),
        ("六", ("penalty", "enforcement"), ("prev_items", "change", "decisions")),
        ("八", ("fees",), ("prev_items", "change")),
        ("九", ("procurement",), ("items", "amount")),
    ),
}

# An editorial note in the catalogue's label_zh, in ASCII brackets: "(2019: 处理决定数量)", "(2019: one row)".
_NOTE = re.compile(r"\s*\(([^()]*)\)$")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.、．])")


class Printed(NamedTuple):
    """One printed header cell: its text and how many rows and columns it spans."""

    text: str
    rows: int = 1
    cols: int = 1


@dataclass(frozen=True)
class ActiveBlock:
    """One block of table 2: its article heading, value columns and rows.

    ``fields`` are the catalogue field codes of the value columns (``issued`` …), ``headers``
    their printed headers, ``rows`` the ``(row code, printed label)`` pairs; the block's header
    row is ``(ACTIVE_CORNER, *headers)``.
    """

    article: str
    fields: tuple[str, ...]
    headers: tuple[str, ...]
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class RequestsRow:
    """One row of table 3: its item code, its own printed label, the label of its group
    (``（三）不予公开`` …, or None) and whether it lies under :data:`OUTCOME_SPAN`."""

    item: str
    label: str
    group: str | None
    outcome: bool


def _check(template: str) -> None:
    if template not in TEMPLATES:
        raise CatalogueError(f"unknown template {template!r}; templates are {', '.join(TEMPLATES)}")


@cache
def _words(table: str, item: str, template: str) -> tuple[str, ...]:
    """The catalogue's ``label_zh`` of an item as printed words for a template (editorial
    notes dropped, a note ``(2019: X)`` giving the last word as the 2019 template prints it)."""
    cat = catalogue()
    found = cat.loc[(cat["table"] == table) & (cat["item"] == item), "label_zh"]
    if found.empty:
        raise CatalogueError(f"unknown item {item!r} in table {table!r}")
    text = str(found.iloc[0])
    note = _NOTE.search(text)
    if note is None:
        return tuple(text.split(" "))
    words = tuple(text[: note.start()].split(" "))
    variant = re.fullmatch(rf"{template}: ([\u4e00-\u9fff]\S*)", note.group(1))
    return (*words[:-1], variant.group(1)) if variant else words


def title(agency: str, year: int) -> str:
    """The title of ``agency``'s report for ``year``, in the template's words."""
    return f"{agency}{year}年{REPORT_NAME}"


def unnumbered(label: str) -> str:
    """A label without its leading numbering (``四、``, ``（三）``, ``1.``).

    >>> unnumbered("（一）予以公开"), unnumbered("1.属于国家秘密"), unnumbered("规章")
    ('予以公开', '属于国家秘密', '规章')
    """
    return _NUMBERING.sub("", label, count=1)


@cache
def active_blocks(template: str) -> tuple[ActiveBlock, ...]:
    """The blocks of table 2 in printed order.

    >>> [(b.article, [r for r, _ in b.rows]) for b in active_blocks("2019")][-1]
    ('第二十条第（九）项', ['procurement'])
    >>> active_blocks("2019")[1].headers
    ('上一年项目数量', '本年增/减', '处理决定数量')
    """
    _check(template)
    blocks = []
    for numeral, rows, fields in _ACTIVE_LAYOUT[template]:
        words = {row: [_words("active_disclosure", f"{row}.{f}", template) for f in fields] for row in rows}
        headers = tuple(w[-1] for w in words[rows[0]])
        if any(tuple(w[-1] for w in words[row]) != headers for row in rows):
            raise CatalogueError(f"the catalogue's table-2 headers disagree within block （{numeral}）")
        labels = tuple((row, words[row][0][0]) for row in rows)
        blocks.append(ActiveBlock(_ARTICLE.format(numeral), fields, headers, labels))
    return tuple(blocks)


def active_label(row: str, template: str = "2021") -> str:
    """The printed label of table-2 row ``row`` (``regulations`` …) in a template."""
    for block in active_blocks(template):
        for code, label in block.rows:
            if code == row:
                return label
    raise CatalogueError(f"table 2 of the {template} template has no row {row!r}")


def requests_label(item: str, template: str = "2021") -> str:
    """The printed label of table-3 row ``item`` itself (without its group's label).

    >>> requests_label("granted")
    '（一）予以公开'
    """
    return _words("requests", item, template)[-1]


def requests_group_label(item: str, template: str = "2021") -> str | None:
    """The printed label of the group a table-3 row sits in (``（四）无法提供`` …), or None."""
    words = _words("requests", item, template)
    return words[0] if len(words) > 1 else None


@cache
def requests_rows_printed(template: str, single_other_handling: bool = False) -> tuple[RequestsRow, ...]:
    """Table 3's rows in printed order, with their printed labels.

    >>> rows = requests_rows_printed("2021")
    >>> [r.label for r in rows if r.group == "（六）其他处理"][-1], rows[-1].outcome, rows[-2].outcome
    ('3.其他', False, True)
    """
    _check(template)
    cat = catalogue()
    groups = dict(zip(cat.loc[cat["table"] == "requests", "item"], cat.loc[cat["table"] == "requests", "group"]))
    return tuple(
        RequestsRow(item, requests_label(item, template), requests_group_label(item, template), bool(pd.notna(groups[item])))
        for item in requests_rows(template, single_other_handling)
    )


def requests_header() -> tuple[tuple[Printed, ...], ...]:
    """Table 3's three header rows (the corner spans all three and the three label columns).

    >>> [[c.text for c in row] for row in requests_header()][1]
    ['自然人', '法人或其他组织', '总计']
    """
    organisations = APPLICANTS[1:-1]
    return (
        (Printed(REQUESTS_NOTE, rows=3, cols=3), Printed(APPLICANT_HEADER, cols=len(APPLICANTS))),
        (Printed(APPLICANT_LABELS["natural_person"], rows=2), Printed(ORGANISATION_HEADER, cols=len(organisations)),
         Printed(APPLICANT_LABELS["total"], rows=2)),
        tuple(Printed(APPLICANT_LABELS[a]) for a in organisations),
    )


@cache
def header_labels(table: str) -> tuple[str, ...]:
    """The distinct words table 3's (``"requests"``) or table 4's (``"review_litigation"``) header
    prints, top row first, without table 3's corner note: what a header cell can say.

    >>> header_labels("requests")[:4]
    ('申请人情况', '自然人', '法人或其他组织', '总计')
    >>> header_labels("review_litigation")[:4]
    ('行政复议', '行政诉讼', '结果维持', '结果纠正')
    """
    rows = {"requests": requests_header, "review_litigation": review_header}[table]()
    return tuple(dict.fromkeys(c.text for row in rows for c in row if c.text != REQUESTS_NOTE))


@cache
def _review_items() -> tuple[str, ...]:
    cat = catalogue()
    return tuple(cat.loc[cat["table"] == "review_litigation", "item"])


def review_words(item: str) -> tuple[str, ...]:
    """The printed header words over a table-4 column, top level first.

    >>> review_words("litigation_after_review.upheld")
    ('行政诉讼', '复议后起诉', '结果维持')
    """
    return _words("review_litigation", item, "2021")


def review_header() -> tuple[tuple[Printed, ...], ...]:
    """Table 4's three header rows, from the words over its fifteen columns.

    >>> [(c.text, c.cols) for c in review_header()[0]]
    [('行政复议', 5), ('行政诉讼', 10)]
    """
    columns = [review_words(item) for item in _review_items()]
    depth = max(map(len, columns))
    rows: list[list[Printed]] = [[] for _ in range(depth)]
    for level in range(depth):
        k = 0
        while k < len(columns):
            words = columns[k]
            if len(words) <= level:  # covered by a cell above that spans down
                k += 1
                continue
            run = 1
            while k + run < len(columns) and columns[k + run][: level + 1] == words[: level + 1] and level + 1 < len(words):
                run += 1
            down = depth - len(words) + 1 if level == len(words) - 1 else 1
            rows[level].append(Printed(words[level], rows=down, cols=run))
            k += run
    return tuple(tuple(row) for row in rows)


@cache
def printed_labels(template: str) -> frozenset[str]:
    """Every label, header and heading the template prints (the title excepted).

    >>> "四、结转下年度继续办理" in printed_labels("2019"), "本年制发件数" in printed_labels("2019")
    (True, False)
    """
    _check(template)
    out = set(SECTIONS) | {ACTIVE_CORNER, OUTCOME_SPAN}
    for block in active_blocks(template):
        out |= {block.article, *block.headers, *(label for _, label in block.rows)}
    for row in requests_rows_printed(template):
        out |= {row.label} | ({row.group} if row.group else set())
    for cells in (*requests_header(), *review_header()):
        out |= {c.text for c in cells}
    return frozenset(out)


#: The outcome groups of table 3 (三、本年度办理结果) by their short printed names, for figures and tables.
OUTCOME_GROUP_LABELS: dict[str, str] = {
    "granted": "予以公开",
    "partially_granted": "部分公开",
    "denied": "不予公开",
    "unable": "无法提供",
    "not_processed": "不予处理",
    "other_handling": "其他处理",
}

#: The applicant columns by a name that stands alone (the template's 其他 means 其他组织 under 法人或其他组织).
APPLICANT_SHORT_LABELS: dict[str, str] = {**APPLICANT_LABELS, "other_org": "其他组织"}

#: Short forms of printed words used in prose, titles and figure labels.
SHORT_WORDS: dict[str, str] = {
    "new_received": "本年新收",
    "carried_over": "上年结转",
    "outcomes": "办理结果",
    "report_tables": "主动公开/收到和处理申请/行政复议",
}
