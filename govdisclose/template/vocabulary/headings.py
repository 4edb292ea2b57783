"""The report's own headings: the six section headings and the title's words.

>>> SECTION_WORDS["四"]
('行政复议', '行政诉讼')
>>> reads_like_title("外交部政府信息公开工作2023年度报告"), reads_like_title("2023年度工作总结")
(True, False)
"""

from __future__ import annotations

import re

__all__ = [
    "SECTION_WORDS", "TITLE_WORDS", "TITLE_NOISE", "META_PREFIX", "PERIOD_YEAR",
    "has_title_word", "names_disclosure", "reads_like_title",
]

#: What each section's heading says (after norm()); wording varies between agencies and years.
SECTION_WORDS: dict[str, tuple[str, ...]] = {
    "一": ("总体情况", "概述", "基本情况"),
    "二": ("主动公开",),
    "三": ("收到和处理", "依申请公开", "政府信息公开申请"),
    "四": ("行政复议", "行政诉讼"),
    "五": ("存在的主要问题", "问题及改进", "主要问题", "改进情况"),
    "六": ("其他需要报告", "其他事项"),
}

#: Words of a report title, and the parts of a title that are not the agency's name.
TITLE_WORDS: tuple[str, ...] = ("年度报告", "年报", "工作报告")
TITLE_NOISE = re.compile(
    r"(关于)?(19|20)\d{2}\s*年度?(政府信息公开|政务公开)?(工作)?(年度)?(报告|年报)|(关于)?(?P<year>(19|20)\d{2})\s*年(度)?|(政府)?信息公开(工作)?|政务公开(工作)?|年度报告|工作年度报告|年报|工作报告|的|标题[:：]"
)
#: A metadata prefix before a title (``标题：``).
META_PREFIX = re.compile(r"^\s*(标题|题目|title)\s*[:：]\s*", re.IGNORECASE)
#: The statistical period that gives the year where no title names it (``统计期限自2021年1月1日``).
PERIOD_YEAR = re.compile(r"(?:统计期限|统计周期|统计时限|数据统计)[^。]{0,12}?(20\d{2})\s*年\s*1\s*月\s*1\s*日")


def has_title_word(text: str) -> bool:
    """True for text holding a title word (年度报告, 年报, 工作报告)."""
    return any(w in text for w in TITLE_WORDS)


def names_disclosure(text: str) -> bool:
    """True for text naming government information disclosure (政府信息公开), as a title's first line does."""
    return "政府信息公开" in text


def reads_like_title(text: str) -> bool:
    """A title word and the subject (信息公开 or 政务公开): a report title."""
    return has_title_word(text) and ("信息公开" in text or "政务公开" in text)
