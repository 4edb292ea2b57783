"""Table ``review_litigation``: the words of its header (it has no row labels).

>>> is_review_header("行政复议 行政诉讼"), is_review_header("行政许可")
(True, False)
>>> is_review_word("结果维持 结果纠正"), is_review_word("（一）予以公开")
(True, False)
"""

from __future__ import annotations

import re

from govdisclose.template.normalize import norm

__all__ = ["is_review_header", "is_review_word", "mentions_review", "REVIEW_WORDS"]


def is_review_header(label: str) -> bool:
    """A header row of table review_litigation."""
    text = norm(label)
    return ("行政复议" in text and ("行政诉讼" in text or "结果维持" in text or "维持" in text)) or (
        "行政诉讼" in text and "结果维持" in text
    )


def mentions_review(label: str) -> bool:
    """True for a label naming 行政复议 (a fragment of the header of table review_litigation).

    >>> mentions_review("行政複議"), mentions_review("行政诉讼")
    (True, False)
    """
    return "行政复议" in norm(label)


#: Every word (and separator) of the table's header; a label made only of these is a header fragment.
REVIEW_WORDS = re.compile(r"行政复议|行政诉讼|未经复议直接起诉|复议后起诉|结果维持|结果纠正|其他结果|尚未审结|维持|纠正|其他|尚未|审结|总计|结果|起诉|复议|诉讼|[\s、,，.:：()（）/]")


def is_review_word(label: str) -> bool:
    """True for a label made only of table-4 header words (a header fragment, not a row label)."""
    return not REVIEW_WORDS.sub("", norm(label))
