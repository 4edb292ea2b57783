"""Where things are in a document: the title (agency, year) and the six sections' text.

>>> from govdisclose.readers import read_document
>>> from govdisclose.corpus.paths import sample_path
>>> doc = read_document(sample_path("mfa_2023.txt"))
>>> find_title(doc)
('外交部政府信息公开工作 2023年度报告', '外交部', 2023)
>>> "围绕双多边" in find_sections(doc)["一"]
True
"""

from __future__ import annotations

import re

from govdisclose.readers.model import Document, Paragraph
from govdisclose.template.normalize import fold_width, norm, to_simplified
from govdisclose.template.vocabulary import headings

__all__ = ["find_title", "parse_title", "find_sections", "sections_from_paragraphs", "SECTION_NUMERALS"]

#: The six sections' numerals in printed order.
SECTION_NUMERALS: tuple[str, ...] = tuple(headings.SECTION_WORDS)

_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")


_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")
_CN_YEAR = re.compile(r"[二][〇零○Ｏ一二三四五六七八九]{3}(?=\s*年)")


def _arabic_years(text: str) -> str:
    """``二〇二三年`` → ``2023年``."""
    return _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)


def parse_title(title: str) -> tuple[str, int | None]:
    """Agency and year from a report title.

    >>> parse_title("平潭综合实验区2021年度政府信息公开工作年度报告")
    ('平潭综合实验区', 2021)
    >>> parse_title("2024 年上海市科委政府信息公开工作年度报告")
    ('上海市科委', 2024)
    >>> parse_title("某某县人民政府二〇二三年政府信息公开工作年度报告")
    ('某某县人民政府', 2023)
    >>> parse_title("標題: 某縣人民政府2021年度政府信息公開工作年度報告")
    ('某縣人民政府', 2021)
    >>> parse_title("平潭综合实验区地方税务局2013年信息公开年度报告")  # a pre-2019 title without 政府
    ('平潭综合实验区地方税务局', 2013)
    """
    flat = _arabic_years(re.sub(r"\s+", "", fold_width(title)))
    simple = to_simplified(flat)  # one character for one: spans found here are cut from the printed form
    prefix = headings.META_PREFIX.match(simple)
    if prefix:
        flat, simple = flat[prefix.end():], simple[prefix.end():]
    year_match = _YEAR.search(simple)
    year = int(year_match.group(1)) if year_match else None
    kept, last = [], 0
    for match in headings.TITLE_NOISE.finditer(simple):
        kept.append(flat[last:match.start()])
        last = match.end()
    kept.append(flat[last:])
    agency = "".join(kept).strip(" 　-—:：·")
    return agency, year


def find_title(doc: Document) -> tuple[str, str, int | None]:
    """``(title, agency, year)``: the first early paragraph that reads like a report title.

    A title broken over two lines (``…政府信息公开工作`` / ``年度报告``) is joined. Where no
    title names a year, the statistical period (``统计期限自2021年1月1日``) gives it.
    """
    paragraphs = doc.paragraphs[:60]
    title = ""
    for i, para in enumerate(paragraphs):
        text = to_simplified(fold_width(para.text)).strip()
        if len(text) > 80 or not text:
            continue
        joined = text
        if not headings.has_title_word(text) and i + 1 < len(paragraphs):
            following = to_simplified(fold_width(paragraphs[i + 1].text)).strip()
            if headings.names_disclosure(text) and len(following) <= 6 and headings.has_title_word(text + following):
                joined = text + following
        if headings.reads_like_title(joined):
            title = headings.META_PREFIX.sub("", para.text.strip() if joined == text else para.text.strip() + paragraphs[i + 1].text.strip())
            break
    agency, year = parse_title(title) if title else ("", None)
    if year is None:
        match = headings.PERIOD_YEAR.search(fold_width(doc.text()[:20000]))
        if match:
            year = int(match.group(1))
    return title, agency, year


def report_titles(doc: Document) -> list[tuple[str, int | None]]:
    """Every distinct ``(agency, year)`` that a short paragraph of the document names as a report title.

    >>> from govdisclose.readers import read_document
    >>> from govdisclose.corpus.paths import sample_path
    >>> report_titles(read_document(sample_path("mfa_2023.txt")))
    [('外交部', 2023)]
    """
    found: list[tuple[str, int | None]] = []
    for para in doc.paragraphs:
        text = to_simplified(fold_width(para.text)).strip()
        if not text or len(text) > 80 or not headings.reads_like_title(text):
            continue
        agency, year = parse_title(headings.META_PREFIX.sub("", para.text.strip()))
        if year is not None and (agency, year) not in found:
            found.append((agency, year))
    return found


def _heading_at(text: str, numeral: str) -> int:
    """Index of a section heading ``numeral、…`` in text (normed), or -1."""
    words = headings.SECTION_WORDS[numeral]
    for match in re.finditer(numeral + r"(?:[、.．,，]|[ \u3000]+)", text):
        window = text[match.end(): match.end() + 40]
        if any(w in window[: len(w) + 14] for w in words):
            return match.start()
    return -1


def find_sections(doc: Document) -> dict[str, str]:
    """The six sections' prose keyed ``一``…``六``, page-break artefacts mended.

    Paragraphs are joined where a page break cut a sentence (a paragraph that does not end a
    sentence, followed by one that does not start a new item). Tables are left out. Sections
    that cannot be found are missing from the dict.
    """
    return sections_from_paragraphs(doc.paragraphs)


def sections_from_paragraphs(paragraphs_in: list[Paragraph]) -> dict[str, str]:
    """:func:`find_sections` on a document's paragraphs."""
    paragraphs = _mend(paragraphs_in)
    text = "\n".join(paragraphs)
    flat = to_simplified(fold_width(text))
    # Heading positions in the (same-length) simplified text, in order.
    positions: dict[str, int] = {}
    start = 0
    for numeral in SECTION_NUMERALS:
        pos = _heading_at(flat[start:], numeral)
        if pos >= 0:
            positions[numeral] = start + pos
            start = start + pos + 1
    ordered = sorted(positions.items(), key=lambda kv: kv[1])
    sections: dict[str, str] = {}
    for k, (numeral, pos) in enumerate(ordered):
        end = ordered[k + 1][1] if k + 1 < len(ordered) else len(text)
        sections[numeral] = text[pos:end].strip()
    return sections


_SENTENCE_END = ("。", "！", "？", "；", "：", "”", "」", "）", ")", ".", "!", "?", ";", ":")
_ITEM_START = re.compile(r"^\s*([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|#)")


def _mend(paragraphs: list[Paragraph]) -> list[str]:
    """Join paragraphs split by a page break: ``围绕双`` + ``多边…`` → ``围绕双多边…``."""
    out: list[str] = []
    for para in paragraphs:
        text = para.text.strip()
        if not text:
            continue
        if out and not out[-1].endswith(_SENTENCE_END) and not _is_heading(out[-1]) and not _ITEM_START.match(text):
            out[-1] += text
        else:
            out.append(text)
    return out


def _is_heading(text: str) -> bool:
    """A short line without sentence punctuation: a title or heading, never continued."""
    return len(text) <= 40 and not re.search(r"[。；，,;]", text)


def normalized_text(doc: Document) -> str:
    """The document text in matching form (see :func:`govdisclose.template.normalize.norm`)."""
    return norm(doc.text())
