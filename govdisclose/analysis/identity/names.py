"""Agency names as compared: width and script folded, spaces removed, common short forms written out.

>>> canonical_suffix("平潭综合实验区管委会")
'平潭综合实验区管理委员会'
>>> canonical_suffix("上海市科委"), canonical_suffix("沭阳县发改局")
('上海市科学技术委员会', '沭阳县发展和改革局')
"""

from __future__ import annotations

import re
import unicodedata

from govdisclose.template.normalize import to_simplified

__all__ = ["fold", "normalise", "canonical_suffix", "SHORT_FORMS"]

#: Short endings of agency names and the full form they stand for (applied at the end of a name
#: only, longest first, so that 政府办公室 is never touched by 政府办).
SHORT_FORMS: tuple[tuple[str, str], ...] = (
    ("管委会", "管理委员会"),
    ("发改委", "发展和改革委员会"),
    ("发改局", "发展和改革局"),
    ("科委", "科学技术委员会"),
    ("人民政府办", "人民政府办公室"),
    ("政府办", "人民政府办公室"),
)


def fold(name: str) -> str:
    """NFKC (full-width forms folded), no spaces: the one form in which agency names are compared
    (:func:`~govdisclose.analysis.agencies.normalise_name` is this).

    >>> fold(" 外交部 ")
    '外交部'
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name)))


def normalise(name: str) -> str:
    """:func:`fold`, and traditional → simplified characters.

    >>> normalise(" 平潭綜合實驗區 ")
    '平潭综合实验区'
    """
    return to_simplified(fold(name))


def canonical_suffix(name: str) -> str:
    """``name`` with a short ending written out (:data:`SHORT_FORMS`), and a bare 政府 ending
    written as 人民政府 (淮安市政府 → 淮安市人民政府)."""
    for short, full in SHORT_FORMS:
        if name.endswith(short) and not name.endswith(full):
            return name[: -len(short)] + full
    if name.endswith("政府") and not name.endswith("人民政府"):
        return name[:-2] + "人民政府"
    return name
