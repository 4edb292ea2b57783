"""Table ``requests``: its printed row labels → catalogue codes, and the words around the table.

All matching is on :func:`~govdisclose.template.normalize.norm` text. Labels vary (``（一）``/``(一) ``,
``1.``/``1、``/``1．``, typos such as ``其他法律行政止公开``, Traditional characters), so each row is
recognised by the words that only it has, most specific first.

>>> requests_item("(三) 不予公开\\t1. 属于国家秘密")
'denied.state_secret'
>>> requests_item("（六）其他处理")
'other_handling'
"""

from __future__ import annotations

import re
from functools import lru_cache

from govdisclose.template.normalize import norm
from govdisclose.template.patterns import CodePatterns

__all__ = [
    "requests_item",
    "requests_items",
    "requests_group",
    "is_requests_header",
    "mentions_new_requests",
    "mentions_other_handling_rows",
    "SHORT_LABELS",
    "LEGAL_PERSON_HEADER",
]

# (item, pattern) checked in order on the normed label; the first match wins.
_REQUEST_PATTERNS = CodePatterns((
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
))


@lru_cache(maxsize=8192)
def requests_item(label: str) -> str | None:
    """The table-``requests`` row code a label names, or ``None`` (the most specific match)."""
    matches = _request_matches(label)
    return matches[0] if matches else None


@lru_cache(maxsize=8192)
def _request_matches(label: str) -> tuple[str, ...]:
    """Every row code whose words the label holds, most specific first."""
    text = norm(label)
    return _REQUEST_PATTERNS.all(text) if text else ()


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


def mentions_other_handling_rows(text: str) -> bool:
    """True for text naming one of the 2021 template's three （六）其他处理 rows.

    Where a table lost its （六） labels, their wording may still be in the text around it.

    >>> mentions_other_handling_rows("申请人逾期未按收费通知要求缴纳费用"), mentions_other_handling_rows("其他处理")
    (True, False)
    """
    text = norm(text)
    return "逾期不补正" in text or "缴纳费用" in text or "收费通知要求" in text


#: Short printed names of some rows, as findings quote them.
SHORT_LABELS: dict[str, str] = {
    "new_received": "本年新收",
    "carried_over": "上年结转",
    "other_handling": "（六）其他处理",
}

#: The header of the organisation columns of table requests (a subtotal column some reports add).
LEGAL_PERSON_HEADER = "法人或其他组织"
