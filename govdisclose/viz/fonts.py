"""A real CJK font for matplotlib, found on any machine the README sets up (no tofu boxes).

:func:`use_cjk_font` looks, in order, for

1. a font file named by ``$GOVDISCLOSE_CJK_FONT``;
2. a CJK family matplotlib already knows (Noto Sans CJK SC, Source Han Sans SC, WenQuanYi,
   Microsoft YaHei, PingFang SC, Heiti SC …);
3. a CJK font file on the system that matplotlib's font cache predates (Debian's
   ``fonts-noto-cjk`` installed after matplotlib first ran) — registered for this process;
4. the OFL-licensed Noto/Source Han fonts shipped by the pip package ``mplfonts`` (a pure-pip
   fallback: ``pip install mplfonts``; its files are used, its code is not run);

checks that the font really has the glyphs of the report tables, and puts it first in
matplotlib's font list (DejaVu Sans stays as fallback for Latin text). No font found →
:class:`CJKFontNotFoundError` saying what to install.

>>> family = use_cjk_font()
>>> import matplotlib
>>> matplotlib.rcParams["font.family"][0] == family
True
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path

from govdisclose.exceptions import CJKFontNotFoundError
from govdisclose.template.catalogue import APPLICANT_LABELS
from govdisclose.template.printed import ORGANISATION_HEADER, OUTCOME_GROUP_LABELS

__all__ = ["use_cjk_font", "find_cjk_font", "has_cjk_glyphs", "CJKFontNotFoundError", "PREFERRED_FAMILIES", "SAMPLE_TEXT"]


#: Family names tried in order (simplified-Chinese faces first).
PREFERRED_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "Hiragino Sans GB", "SimHei",
    "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN",
)
#: Characters every plot of the package may draw (labels of table 3, punctuation).
SAMPLE_TEXT = ("政府信息公开" + "".join(OUTCOME_GROUP_LABELS.values()) + "".join(APPLICANT_LABELS.values()) + ORGANISATION_HEADER
               + "外交部平潭综合实验区沭阳县发展和改革局上海市科委（）、，")
_FILE_HINTS = ("notosanscjk", "notoserifcjk", "sourcehansans", "sourcehanserif", "notosanssc", "wqy", "wenquanyi", "msyh",
               "simhei", "pingfang", "uming", "ukai", "droidsansfallback")
_MPLFONTS_FILES = ("NotoSansCJKsc-Regular.otf", "SourceHanSerifSC-Regular.otf", "NotoSerifCJKsc-Regular.otf")


def has_cjk_glyphs(path: str | os.PathLike[str], text: str = SAMPLE_TEXT) -> bool:
    """Whether the font file (its first face) has a glyph for every character of ``text``.

    >>> from matplotlib.font_manager import FontProperties, findfont
    >>> has_cjk_glyphs(findfont(FontProperties(family="DejaVu Sans")))
    False
    >>> has_cjk_glyphs(find_cjk_font()[1])
    True
    """
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(str(path))
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(ch)) != 0 for ch in text)


def _family_file(family: str) -> str | None:
    from matplotlib import font_manager

    for entry in font_manager.fontManager.ttflist:
        if entry.name == family:
            return entry.fname
    return None


def _register(path: str) -> list[str]:
    """Add a font file (every face of a collection) to matplotlib; return the new family names."""
    from matplotlib import font_manager

    before = {e.name for e in font_manager.fontManager.ttflist}
    font_manager.fontManager.addfont(path)
    return [e.name for e in font_manager.fontManager.ttflist if e.name not in before]


def _pick(families: list[str]) -> str | None:
    ranked = [f for f in PREFERRED_FAMILIES if f in families]
    return ranked[0] if ranked else (families[0] if families else None)


def _system_candidates() -> list[str]:
    from matplotlib import font_manager

    files = font_manager.findSystemFonts()
    return sorted((f for f in files if any(h in Path(f).name.lower().replace("-", "").replace("_", "") for h in _FILE_HINTS)),
                  key=lambda f: ("sans" not in f.lower(), "bold" in f.lower(), f))


def _mplfonts_candidates() -> list[str]:
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        return []
    folder = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    return [str(folder / name) for name in _MPLFONTS_FILES if (folder / name).is_file()]


@lru_cache(maxsize=1)
def find_cjk_font() -> tuple[str, str]:
    """``(family, file)`` of the CJK font :func:`use_cjk_font` would use (see the module docstring).

    >>> family, path = find_cjk_font()
    >>> "CJK" in family or "Han" in family or "Hei" in family or "WenQuanYi" in family
    True
    """
    tried: list[str] = []
    env = os.environ.get("GOVDISCLOSE_CJK_FONT")
    if env:
        if not Path(env).is_file():
            raise CJKFontNotFoundError(f"GOVDISCLOSE_CJK_FONT={env!r} is not a font file")
        if not has_cjk_glyphs(env):  # checked before registering: a Latin font must not shadow the real ones
            raise CJKFontNotFoundError(f"GOVDISCLOSE_CJK_FONT={env!r} has no Chinese glyphs")
        family = _pick(_register(env) or [e.name for e in _known_entries(env)])
        if family:
            return family, env
        raise CJKFontNotFoundError(f"GOVDISCLOSE_CJK_FONT={env!r}: matplotlib cannot read the font's name")
    for family in PREFERRED_FAMILIES:
        path = _family_file(family)
        if path and has_cjk_glyphs(path):
            return family, path
        if path:
            tried.append(path)
    for source in (_system_candidates, _mplfonts_candidates):
        for path in source():
            if path in tried:
                continue
            tried.append(path)
            if not has_cjk_glyphs(path):
                continue
            families = _register(path) or [e.name for e in _known_entries(path)]
            family = _pick(families)
            if family:
                return family, path
    raise CJKFontNotFoundError(
        "no font with Chinese glyphs was found for matplotlib, so Chinese labels would print as boxes. "
        "Install one: `sudo apt-get install fonts-noto-cjk` (Debian/Ubuntu; `make setup` does this as root), "
        "or `pip install mplfonts` (pure pip), or set GOVDISCLOSE_CJK_FONT to a .ttf/.otf/.ttc file"
        + (f" (tried: {', '.join(tried[:5])})" if tried else "")
    )


def _known_entries(path: str):
    from matplotlib import font_manager

    return [e for e in font_manager.fontManager.ttflist if e.fname == path]


def use_cjk_font() -> str:
    """Make matplotlib draw Chinese with a real CJK font; return its family name.

    Sets ``font.family`` to ``[<cjk family>, "DejaVu Sans"]`` (a per-glyph fallback list, so Latin
    text and symbols keep DejaVu's glyphs) and ``axes.unicode_minus = False``. Idempotent.
    Raises :class:`CJKFontNotFoundError` when no CJK font exists.
    """
    import matplotlib

    family, _ = find_cjk_font()
    matplotlib.rcParams["font.family"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family
