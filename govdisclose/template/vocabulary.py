"""Printed labels → catalogue codes. All matching is on :func:`~govdisclose.template.normalize.norm` text.

Labels vary (``（一）``/``(一) ``, ``1.``/``1、``/``1．``, typos such as ``其他法律行政止公开``,
Traditional characters), so each row is recognised by the words that only it has, most specific
first.

>>> requests_item("(三) 不予公开\\t1. 属于国家秘密")
'denied.state_secret'
>>> requests_item("2.其他法律行政止公开")
'denied.prohibited_by_law'
>>> requests_item("3. 其他")
'other_handling.other'
>>> requests_item("（六）其他处理")
'other_handling'
>>> active_row("行政规范性文件"), active_row("第二十条第（五）项")
('normative_documents', None)
>>> active_fields(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
('issued', 'repealed', 'in_force')
"""

from __future__ import annotations

import re
from functools import lru_cache

from govdisclose.template.normalize import norm

__all__ = [
    "requests_item",
    "requests_items",
    "requests_group",
    "active_row",
    "active_fields",
    "is_review_header",
    "is_requests_header",
    "mentions_new_requests",
    "ACTIVE_DEFAULT_FIELDS",
]

# (item, pattern) checked in order on the normed label; the first match wins.
_REQUEST_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (item, re.compile(pattern))
    for item, pattern in (
        ("new_received", r"本年新收|新收.*申请"),
        ("carried_over", r"上年结转|上年度结转"),
        ("carried_forward", r"结转下年|下一?年度?继续办理|转下年"),
        ("other_handling.no_correction", r"逾期不补正|无正当理由逾期"),
        ("other_handling.unpaid_fee", r"缴纳费用|收费通知|逾期未按"),
        ("denied.state_secret", r"国家秘密"),
        ("denied.prohibited_by_law", r"其他法律.*公开|法律行政法规禁止|禁止公开"),
        ("denied.security_stability", r"三安全一稳定|危及"),
        ("denied.third_party_rights", r"第三方"),
        ("denied.internal_affairs", r"内部事务"),
        ("denied.process_information", r"过程性"),
        ("denied.enforcement_case_file", r"执法案卷"),
        ("denied.administrative_query", r"行政查询"),
        ("unable.not_held", r"不掌握"),
        ("unable.needs_creation", r"另行制作|没有现成"),
        ("unable.unclear_after_correction", r"仍不明确|补正后"),
        ("not_processed.petition_complaint", r"信访|举报投诉"),
        ("not_processed.duplicate", r"重复申请"),
        ("not_processed.publication", r"出版物"),
        ("not_processed.excessive_repeated", r"大量反复|反复申请"),
        ("not_processed.reconfirmation", r"重新出具|确认或"),
        ("partially_granted", r"部分公开"),
        ("granted", r"予以公开"),
        ("total_processed", r"\(七\)总计|^七[、.]?总计|(^|[)）])总计$"),
        ("other_handling.other", r"(^|\D)3[.、]?其他$|其他处理.*其他$|^其他$"),
        ("other_handling", r"其他处理$|^\(六\)其他处理"),
    )
)


@lru_cache(maxsize=8192)
def requests_item(label: str) -> str | None:
    """The table-``requests`` row code a label names, or ``None`` (the most specific match)."""
    matches = _request_matches(label)
    return matches[0] if matches else None


@lru_cache(maxsize=8192)
def _request_matches(label: str) -> tuple[str, ...]:
    """Every row code whose words the label holds, most specific first."""
    text = norm(label)
    return tuple(item for item, pattern in _REQUEST_PATTERNS if pattern.search(text)) if text else ()


_GROUP = re.compile(r"^(三、?本年度?办理结果)?\(([三四五六])\)(不予公开|无法提供|不予处理|其他处理)(小计|合计)?$")


def requests_group(label: str) -> str | None:
    """For a bare group label (``（三）不予公开``) the group numeral, else ``None``.

    A row with such a label and values is a subtotal the template does not have.

    >>> requests_group("（三）不予公开"), requests_group("（三）不予公开 1.属于国家秘密")
    ('三', None)
    """
    match = _GROUP.match(norm(label))
    return match.group(2) if match else None


@lru_cache(maxsize=8192)
def requests_items(label: str) -> frozenset[str]:
    """Every table-``requests`` row a label names; two or more mean rows that ran together.

    >>> sorted(requests_items("2.没有现成信息需要另行制作 3.补正后申请内容仍不明确"))
    ['unable.needs_creation', 'unable.unclear_after_correction']
    >>> sorted(requests_items("（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"))
    ['other_handling.no_correction']
    """
    found = set(_request_matches(label))
    if len(found) > 1:
        found.discard("other_handling")  # the group's name beside one of its rows
    return frozenset(found)


def mentions_new_requests(text: str) -> bool:
    """True for text naming table requests' first row (本年新收…申请), however it was cut.

    >>> mentions_new_requests("一、本年新收政府信息公开申请数量"), mentions_new_requests("行政许可")
    (True, False)
    """
    return "新收" in norm(text)


def is_requests_header(label: str) -> bool:
    """A header row of table requests (申请人情况 / 自然人 / 法人或其他组织)."""
    text = norm(label)
    return "自然人" in text or "申请人情况" in text or "法人或其他组织" in text


def is_review_header(label: str) -> bool:
    """A header row of table review_litigation."""
    text = norm(label)
    return ("行政复议" in text and ("行政诉讼" in text or "结果维持" in text or "维持" in text)) or (
        "行政诉讼" in text and "结果维持" in text
    )


# Table active_disclosure: row label → row code (first match wins).
_ACTIVE_ROWS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (row, re.compile(pattern))
    for row, pattern in (
        ("regulations", r"^(信息内容)?规章$|^规章[（(]件[)）]?$"),
        ("normative_documents", r"规范性文件$|规范性文件[（(]件[)）]$"),
        ("other_services", r"其他对外管理服务事项"),
        ("licensing", r"^(信息内容)?行政许可$|^行政许可[（(]件[)）]$"),
        ("penalty", r"^(信息内容)?行政处罚$|^行政处罚[（(]件[)）]$"),
        ("enforcement", r"^(信息内容)?行政强制$|^行政强制[（(]件[)）]$"),
        ("fees", r"行政事业性收费"),
        ("procurement", r"政府集中采购"),
    )
)

# Column header words of table active_disclosure → field code.
_ACTIVE_FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (field, re.compile(pattern))
    for field, pattern in (
        ("issued", r"本年制发"),
        ("repealed", r"本年废止"),
        ("in_force", r"现行有效"),
        ("new_made", r"新制作"),
        ("new_published", r"新公开"),
        ("total_published", r"对外公开总|公开总数"),
        ("prev_items", r"上一年项目|上年项目"),
        ("change", r"增/?减|增减"),
        ("decisions", r"处理决定"),
        ("amount", r"收费金额|采购总金额|总金额"),
        ("items", r"采购项目数"),
    )
)

#: Fields of each table-2 row when no header row names them, by template and value count.
ACTIVE_DEFAULT_FIELDS: dict[tuple[str, str, int], tuple[str, ...]] = {
    ("2021", "regulations", 3): ("issued", "repealed", "in_force"),
    ("2021", "normative_documents", 3): ("issued", "repealed", "in_force"),
    ("2021", "licensing", 1): ("decisions",),
    ("2021", "penalty", 1): ("decisions",),
    ("2021", "enforcement", 1): ("decisions",),
    ("2021", "fees", 1): ("amount",),
    ("2019", "regulations", 3): ("new_made", "new_published", "total_published"),
    ("2019", "normative_documents", 3): ("new_made", "new_published", "total_published"),
    ("2019", "licensing", 3): ("prev_items", "change", "decisions"),
    ("2019", "other_services", 3): ("prev_items", "change", "decisions"),
    ("2019", "penalty", 3): ("prev_items", "change", "decisions"),
    ("2019", "enforcement", 3): ("prev_items", "change", "decisions"),
    ("2019", "fees", 2): ("prev_items", "change"),
    ("2019", "procurement", 2): ("items", "amount"),
}


@lru_cache(maxsize=4096)
def active_row(label: str) -> str | None:
    """The table-``active_disclosure`` row (``regulations``, ``fees`` …) a label names."""
    text = norm(label)
    for row, pattern in _ACTIVE_ROWS:
        if pattern.search(text):
            return row
    return None


def active_fields(header_cells: list[str] | tuple[str, ...]) -> tuple[str, ...] | None:
    """Field codes named by a table-2 header row, in order; ``None`` if it is not such a header."""
    fields = tuple(f for f in map(_active_field, header_cells) if f)
    return fields or None


@lru_cache(maxsize=8192)
def _active_field(cell: str) -> str | None:
    text = norm(cell)
    for field, pattern in _ACTIVE_FIELDS:
        if pattern.search(text):
            return field
    return None
