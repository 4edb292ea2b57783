"""Text normalisation for matching labels (never for values shown to the user).

``norm`` folds full-width forms (NFKC), Traditional characters (with OpenCC, :func:`to_simplified`)
and all white space, so that ``（一） 予以公開`` and ``(一)予以公开`` compare equal.

>>> norm("（一） 予以公開")
'(一)予以公开'
>>> norm("本年新收政府信息公開申請數量")
'本年新收政府信息公开申请数量'
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

import opencc  # type: ignore[import-untyped, unused-ignore]

__all__ = ["norm", "to_simplified", "fold_width"]

#: The OpenCC configuration used: Traditional Chinese (OpenCC standard) to Simplified, with phrases.
OPENCC_CONFIG = "t2s"


@cache
def _converter() -> Any:
    """One OpenCC converter per process (building it loads the dictionaries)."""
    return opencc.OpenCC(OPENCC_CONFIG)


@lru_cache(maxsize=8192)
def _one(ch: str) -> str:
    out = _converter().convert(ch)
    return out if len(out) == 1 else ch


_SPACE = re.compile(r"\s+")
# Characters NFKC leaves alone that are just width or dash variants in these documents.
_EXTRA = str.maketrans({"\u3000": " ", "\u00a0": " ", "－": "-", "–": "-", "﹣": "-", "／": "/"})


def fold_width(text: str) -> str:
    """NFKC-fold full-width digits, letters and punctuation; keep line structure.

    >>> fold_width("１２３．５")
    '123.5'
    """
    return unicodedata.normalize("NFKC", text.translate(_EXTRA))


@lru_cache(maxsize=16384)
def to_simplified(text: str) -> str:
    """Traditional characters to Simplified (OpenCC ``t2s``), one character for one.

    Simplified characters are left as they are. Phrases decide where one Traditional character has
    several Simplified forms (``答覆`` → ``答复``, ``覆蓋`` → ``覆盖``). The result always has the
    length of ``text``, so that positions found in it are positions in the printed text: where a
    phrase would change the length, each character is converted on its own.

    >>> to_simplified("行政複議"), to_simplified("廣東省廣州市人民政府辦公廳")
    ('行政复议', '广东省广州市人民政府办公厅')
    >>> to_simplified("重覆申請"), to_simplified("覆盖")
    ('重复申请', '覆盖')
    """
    if text.isascii():
        return text
    out = _converter().convert(text)
    if len(out) != len(text):
        out = "".join(map(_one, text))
    return out


@lru_cache(maxsize=16384)
def norm(text: str) -> str:
    """Fold width, Traditional characters and white space away: the form labels are matched in."""
    return _SPACE.sub("", to_simplified(fold_width(text)))
