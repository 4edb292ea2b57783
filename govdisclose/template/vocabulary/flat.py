"""The template's words as :mod:`govdisclose.mapping.flattened` looks for them in structure-lost text
(folded characters, no white space): where the tables start and end, the row labels and header
words of table ``active_disclosure``, the applicant header of table ``requests``, and the words
that open each table.

>>> starts_requests("三、收到和处理政府信息公开申请情况"), starts_review("四、行政复议行政诉讼情况")
(True, True)
>>> applicant_header_at("三、收到和处理政府信息公开申请情况申请人情况自然人")
17
>>> review_header_at("四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持")
19
"""

from __future__ import annotations

import re

__all__ = [
    "STARTS", "END", "ACTIVE_HEADING", "ACTIVE_SUBHEADER", "ACTIVE_ROW_WORDS", "ACTIVE_HEADER_WORDS",
    "APPLICANT_HEADER_WORDS", "REQUESTS_FIRST", "REVIEW_HEADING",
    "starts_active", "starts_requests", "starts_review", "applicant_header_at", "review_header_at",
]

#: Where the tables start (first pattern that matches wins) and where they end.
STARTS: tuple[re.Pattern[str], ...] = (
    re.compile(r"二[、.,]主动公开"),
    re.compile(r"第[一二三四五六七八九十\d]+条第"),
    re.compile(r"三[、.,]收到和处理"),
    re.compile(r"(?:一[、.]|\(一\))?本年新收政府信息公开申请"),
)
END = re.compile(r"五[、.,]")

#: Table active_disclosure: its section heading, the 第二十条第（N）项 sub-headers, row labels, header words.
ACTIVE_HEADING = re.compile(r"^.*?主动公开政府信息情况")
ACTIVE_SUBHEADER = re.compile(r"第[一二三四五六七八九十\d]+条(?:第?\([一二三四五六七八九十\d]+\)项)?")
ACTIVE_ROW_WORDS: tuple[str, ...] = ("行政规范性文件", "规范性文件", "规章", "行政许可", "其他对外管理服务事项", "行政处罚",
                                     "行政强制", "行政事业性收费", "政府集中采购")
ACTIVE_HEADER_WORDS: tuple[str, ...] = (
    "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "本年新制作数量", "本年新公开数量",
    "对外公开总数量", "上一年项目数量", "本年增/减", "本年增减", "本年处理决定数量", "处理决定数量",
    "本年收费金额(单位:万元)", "本年收费金额", "(单位:万元)", "采购项目数量", "采购总金额")

#: Table requests: the words of its applicant header, and its first row label.
APPLICANT_HEADER_WORDS: tuple[str, ...] = ("申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织",
                                           "法律服务机构", "其他", "总计", "小计")
REQUESTS_FIRST = re.compile(r"(?:一[、.]|\(一\))?本年新收")

#: Table review_litigation: its section heading.
REVIEW_HEADING = re.compile(r"^四[、.].*?情况")


def starts_review(t: str) -> bool:
    """Text that opens table review_litigation (its header words)."""
    return "行政复议" in t and ("行政诉讼" in t or "维持" in t)


def review_header_at(t: str) -> int:
    """Where the header of table review_litigation starts in ``t``: after a section heading
    ``四、…情况`` that it follows, else 0."""
    m = REVIEW_HEADING.match(t)
    return m.end() if m and "行政复议" in t[m.end():] else 0


def starts_requests(t: str) -> bool:
    """Text that opens table requests (its heading, applicant header or first row)."""
    return "本年新收" in t or "申请人情况" in t or "收到和处理政府信息公开申请" in t


def starts_active(t: str) -> bool:
    """Text that opens table active_disclosure (its heading, a sub-header, a header word or a row label)."""
    return "主动公开政府信息情况" in t or bool(ACTIVE_SUBHEADER.search(t)) or "信息内容" in t or t.endswith(ACTIVE_ROW_WORDS)


def applicant_header_at(t: str) -> int:
    """Where the applicant header (申请人情况, else 自然人) starts in ``t``, or -1."""
    at = t.find("申请人情况")
    if at < 0:
        at = t.find("自然人")
    return at
