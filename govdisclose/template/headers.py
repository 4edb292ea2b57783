"""The column and block headers of tables 3 and 4 as printed, and the units a header may state.

Spec §4a: where a header is printed it says which column is which, in whatever order the agency
printed them. These are the words that say it. Each header cell is matched on
:func:`~govdisclose.template.normalize.norm` text; a cell stacked under merged headers is matched
on every level, the deepest level that names a column winning.

>>> applicant_word("商业企业"), applicant_word("法人或其他组织"), applicant_word("小计"), applicant_word("备 注")
('commercial_enterprise', 'group', 'subtotal', 'remark')
>>> applicant_word("申请人情况"), applicant_word("申请人情况总计")  # the merged header run into its first column
('header', 'total')
>>> review_block("行政诉讼 复议后起诉"), review_part("结果维持"), review_part("尚未审结")
('litigation_after_review', 'upheld', 'pending')
>>> header_unit("本年收费金额（单位：元）"), header_unit("采购总金额（万元）"), header_unit("信息内容")
('元', '万元', None)
"""

from __future__ import annotations

import re
from functools import lru_cache

from govdisclose.template.normalize import norm
from govdisclose.template.patterns import CodePatterns

__all__ = [
    "APPLICANT_EXTRAS",
    "applicant_word",
    "review_block",
    "review_part",
    "REVIEW_BLOCKS",
    "REVIEW_PARTS",
    "header_unit",
    "is_applicant_header_text",
]

#: Codes for header cells that are not an applicant column: the merged 法人或其他组织 and 申请人情况
#: headers (``group``, ``header``), a 法人 subtotal (``subtotal``), a remarks column (``remark``), a
#: row-number column (``index``).
APPLICANT_EXTRAS: tuple[str, ...] = ("group", "header", "subtotal", "remark", "index")

# (code, pattern) in order: the first match wins. ``其他`` alone is the 5th 法人 column; in
# 法人或其他组织 it is part of the group's name.
_APPLICANT = CodePatterns((
        ("subtotal", r"小计|合计$|^合计"),
        ("remark", r"^备注|^说明$"),
        ("index", r"^序号$|^编号$"),
        ("natural_person", r"自然人"),
        ("commercial_enterprise", r"商业企业"),
        ("research_institution", r"科研机构"),
        ("social_welfare_org", r"社会公益组织|公益组织"),
        ("legal_service_org", r"法律服务机构"),
        ("group", r"法人或其他组织|^法人$"),
        ("other_org", r"^其他(组织)?$"),
        ("total", r"^总计$|^总数$|^合\s*计$"),
        ("header", r"申请人情况|申请人类型"),
))

#: Table review_litigation: the three blocks and their five parts, in template order.
REVIEW_BLOCKS: tuple[str, ...] = ("review", "litigation_direct", "litigation_after_review")
REVIEW_PARTS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")

_BLOCK = CodePatterns((
        ("litigation_direct", r"未经复议|直接起诉"),
        ("litigation_after_review", r"复议后起诉|经复议后|复议后"),
        ("review", r"行政复议"),
        ("litigation", r"行政诉讼"),
))
_PART = CodePatterns((
        ("pending", r"尚未审结|未审结|尚在审理"),
        ("upheld", r"维持"),
        ("corrected", r"纠正"),
        ("other", r"其他"),
        ("total", r"总计|合计"),
))
_UNIT = re.compile(r"[(]\s*(?:单位[:]?)?\s*(亿元|万元|元|件|条|项|个)\s*[)]$|单位[:]\s*(亿元|万元|元|件|条|项|个)")


@lru_cache(maxsize=4096)
def applicant_word(text: str) -> str | None:
    """The applicant column (or :data:`APPLICANT_EXTRAS` code) one header cell names, else ``None``."""
    t = norm(text)
    if not t:
        return None
    code = _APPLICANT.first(t)
    if code == "header":  # 申请人情况 run into the column under it (a PDF without rulings): that column
        rest = _SPANNING_HEAD.sub("", t).strip()
        inner = applicant_word(rest) if rest and rest != t else None
        return inner if inner not in (None, "header") else code
    return code


_SPANNING_HEAD = re.compile(r"^(申请人情况|申请人类型)")


def is_applicant_header_text(text: str) -> bool:
    """True for header text of table requests' applicant columns (at least one column word)."""
    code = applicant_word(text)
    return code is not None and code not in ("remark", "index")


@lru_cache(maxsize=4096)
def review_block(text: str) -> str | None:
    """``review``, ``litigation_direct``, ``litigation_after_review`` or the bare ``litigation``
    (行政诉讼, whose sub-header says which) that a header or row label names, else ``None``."""
    return _BLOCK.first(norm(text))


@lru_cache(maxsize=4096)
def review_part(text: str) -> str | None:
    """The outcome column (``upheld`` … ``total``) a table-4 header cell names, else ``None``.

    Matched on the cell's own words with any block name removed (``行政复议总计`` → ``total``).
    """
    return _PART.first(_BLOCK.remove(norm(text)))


@lru_cache(maxsize=4096)
def header_unit(text: str) -> str | None:
    """The unit a header states (``（单位：元）``, ``（万元）``), else ``None``."""
    match = _UNIT.search(norm(text))
    if not match:
        return None
    return match.group(1) or match.group(2)
