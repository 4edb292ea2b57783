"""Ordered tables of (code, pattern): how the vocabulary names printed words.

Every label, header and heading matcher of the template is one such table, matched on
:func:`~govdisclose.template.normalize.norm` text, most specific pattern first.

>>> parts = CodePatterns((("pending", r"尚未审结"), ("other", r"其他"), ("total", r"总计|合计")))
>>> parts.first("尚未审结"), parts.first("小计"), parts.all("其他合计")
('pending', None, ('other', 'total'))
>>> parts.remove("其他结果合计")
'结果'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

__all__ = ["CodePatterns"]


class CodePatterns:
    """Codes and their patterns, in order: the first pattern that matches names the text."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.pairs: tuple[tuple[str, re.Pattern[str]], ...] = tuple((code, re.compile(p)) for code, p in pairs)

    def first(self, text: str) -> str | None:
        """The code of the first pattern found in ``text``, else ``None``."""
        for code, pattern in self.pairs:
            if pattern.search(text):
                return code
        return None

    def all(self, text: str) -> tuple[str, ...]:
        """The codes of every pattern found in ``text``, in table order."""
        return tuple(code for code, pattern in self.pairs if pattern.search(text))

    def remove(self, text: str) -> str:
        """``text`` with every pattern's matches taken out (in table order)."""
        for _, pattern in self.pairs:
            text = pattern.sub("", text)
        return text

    def __iter__(self) -> Iterator[tuple[str, re.Pattern[str]]]:
        return iter(self.pairs)
