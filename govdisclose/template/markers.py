"""Words and patterns that mark report content on a page, for the readers.

The readers know file formats, not the template; but to tell a report's tables from site chrome,
a numbered template row from a continuation line, or a sentence from a table row they need a few
of the template's printed words and numbering patterns. They take them from here, so that the
template's wording lives only in :mod:`govdisclose.template` (issue 8). Nothing here maps a
label to a code: that is :mod:`govdisclose.template.vocabulary`.

>>> bool(HEADING.match("一、总体情况")), bool(HEADING.match("一、")), bool(SUB_HEADING.match("（二）主动公开"))
(True, False, True)
>>> bool(NUMBERED_ROW.match("（三）本年办理结果")), bool(NUMBERED_ROW.match("行政许可"))
(True, False)
>>> bool(BLOCK_HEADER.match("第二十条 第（一）项")), bool(REPORT_TITLE.search("某局2023年度报告"))
(True, True)
>>> is_report_text("二、主动公开政府信息情况 … 三、收到和处理政府信息公开申请情况 本年新收政府信息公开申请数量")
True
>>> is_report_text("網站首頁 新聞中心"), is_report_text("行政複議")
(False, True)
"""

from __future__ import annotations

import re

from govdisclose.template.normalize import to_simplified

__all__ = [
    "REPORT_WORDS", "REPORT_TITLE", "HEADING", "SUB_HEADING", "NUMBERED_ROW", "BLOCK_HEADER", "PROSE_WORDS",
    "is_report_text",
]

#: Words only the report's tables carry (Simplified; compare after Traditional→Simplified folding):
#: a table holding one is a report table, not site navigation.
REPORT_WORDS: tuple[str, ...] = (
    "政府信息公开申请", "本年新收", "行政复议", "行政诉讼", "第二十条", "办理结果", "信息内容", "申请人情况",
)

#: A report's title (``…政府信息公开工作2023年度报告``, ``…年报``).
REPORT_TITLE = re.compile(r"年度报告|年报|信息公开.*报告")

#: A numbered section heading (``一、总体情况``): always its own paragraph, never a table line.
HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*\S{2,}")

#: A numbered sub-heading (``（二）``): starts a paragraph.
SUB_HEADING = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")

#: A numbered template row label (``一、``, ``（三）``, ``2.``): a row of its own, so a label so
#: numbered on the next page starts a new row rather than continuing one cut by the page break.
NUMBERED_ROW = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+\s*[、.．])")

#: The header of a block of rows citing an article (``第二十条 第（一）项``).
BLOCK_HEADER = re.compile(r"^\s*第\s*[一二三四五六七八九十百零〇\d]+\s*条")

#: Words of a sentence, not of a row label (``全年共收到申请 18`` is prose that ends in a number).
PROSE_WORDS = re.compile(r"共|收到|受理|办结|累计|全年|其中|约|达|为$|有$")


def is_report_text(text: str) -> bool:
    """Whether ``text`` (a table's text, Simplified or Traditional) carries report words."""
    if any(w in text for w in REPORT_WORDS):
        return True
    simplified = to_simplified(text)
    return simplified != text and any(w in simplified for w in REPORT_WORDS)
