"""Reports before the 2019 template (2008–2018): the headline figures (catalogue table ``headline``).

A document with no template table is a ``pre2019`` report when its title names a report year ≤ 2018
(or, without a title year, the 2008–2018 wording names one). Its figures are read twice:

* from the **prose** (:func:`~govdisclose.template.vocabulary.headline.figure_matches`): a figure
  counts only where it is the whole unit's for the report year — not a sub-unit's share (the clause
  names 区直部门/乡镇 …, or the figure is followed by ``占…%``), not a cumulative total (累计/截至 … in
  the sentence), not another year's figure (another year named in the clause, 上年/同比/增加 …);
  a stated none (``未收到…申请``) is 0;
* from the **statistics appendix** (指标名称 | 计量单位 | 本年 | 累计): a table where the reader found
  one, else the appendix text whose cells ran together (``主动公开文件数条206912106``): each run is
  split into year | cumulative where the cumulative is ≥ the year's, the prose figure picks among
  several splits, and a run still ambiguous is ``unreadable`` with its candidates.

Where prose and appendix both state a figure and differ, it is ``unreadable`` with both values and
both locations in the note. **A figure the report does not state is absent: no row** (never 0, and
no ``unreadable`` placeholder either, since nothing was printed to be unreadable).

>>> from govdisclose.readers import read_document
>>> from govdisclose.corpus.paths import sample_path
>>> mapping = map_headline(read_document(sample_path("mfa_2023.txt")))
>>> mapping is None  # a 2023 report is not a pre-2019 report
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from govdisclose.mapping.collect import MappedCell
from govdisclose.mapping.sections import find_title
from govdisclose.readers.model import Document, Paragraph, Table
from govdisclose.records import Finding, Location
from govdisclose.template.vocabulary import headline as words

__all__ = ["map_headline", "Headline", "is_pre2019", "Reading", "split_year_cumulative", "LAST_PRE2019_YEAR"]

#: The last report year before the 2019 template.
LAST_PRE2019_YEAR = 2018
_TABLE = "headline"
_SENTENCE_END = re.compile(r"[。；;！？!?\n]")
_CLAUSE_END = re.compile(r"[。；;！？!?\n，,：:]")


@dataclass(frozen=True, slots=True)
class Reading:
    """One statement of a figure: its value (``None`` = an appendix run with several splits)."""

    value: Decimal | None
    raw: str
    location: Location
    source: str  # "prose" or "appendix"
    candidates: tuple[Decimal, ...] = ()
    note: str = ""


@dataclass(slots=True)
class _Found:
    prose: dict[str, list[Reading]] = field(default_factory=dict)
    appendix: dict[str, Reading] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def is_pre2019(doc: Document) -> bool:
    """Whether ``doc`` (with no template table) is a 2008–2018 report: its title year, else the wording."""
    _, _, year = find_title(doc)
    if year is not None:
        return year <= LAST_PRE2019_YEAR
    text = words.fold_digits(doc.text())
    for m in words.PRE2019_WORDING.finditer(text):
        named = next((g for g in m.groups() if g), None)
        if named is None or int(named) <= LAST_PRE2019_YEAR:
            return True
    return False


@dataclass(slots=True)
class Headline:
    """The headline figures stated (template ``pre2019``) and what was noticed reading them."""

    cells: list[MappedCell]
    findings: list[Finding]
    template: str = "pre2019"


def map_headline(doc: Document) -> Headline | None:
    """The headline figures of a document with no template table, or None if it is not a pre-2019 report.

    The mapper (:func:`govdisclose.mapping.mapper.map_document`) turns them into its ``Mapping`` with
    template ``pre2019``; see the module docstring for what is read.
    """
    if not is_pre2019(doc):
        return None
    _, _, year = find_title(doc)
    found = _Found()
    appendix_start = _read_appendix(doc, found, year)
    _read_prose(doc, found, year, appendix_start)
    cells = [cell for item in words.HEADLINE_ITEMS if (cell := _combine(item, found)) is not None]
    found.findings.append(Finding("document.note", "info", "a report before the 2019 template: headline figures "
                                  "read from the prose and the statistics appendix"))
    return Headline(cells, found.findings)


# --- the prose ----------------------------------------------------------------------------------

def _read_prose(doc: Document, found: _Found, year: int | None, appendix_start: tuple[int, int] | None) -> None:
    for index, par in enumerate(doc.paragraphs):
        text = words.fold_digits(par.text)
        if appendix_start is not None and index >= appendix_start[0]:
            if index > appendix_start[0]:
                break
            text = text[: appendix_start[1]]
        for item, m in words.figure_matches(text):
            if _whole_unit_year(text, m.start(), m.end(), year):
                value = Decimal(m.group("n"))
                if words.ten_thousand(m.group("u")):
                    value *= 10000
                _add(found, item, Reading(value, m.group("n") + m.group("u"), _where(par, text, m), "prose"))
        for item, m in words.none_matches(text):
            if _whole_unit_year(text, m.start(), m.start(), year, share_check=False):
                found.prose.setdefault(item, []).append(
                    Reading(Decimal(0), m.group(0), _where(par, text, m), "prose", note="stated as none: 0"))


def _add(found: _Found, item: str, reading: Reading) -> None:
    found.prose.setdefault(item, []).append(reading)


def _where(par: Paragraph, text: str, m: re.Match[str]) -> Location:
    """The paragraph's place and the quoted phrase: the clause up to the end of the figure."""
    start = max((c.end() for c in _CLAUSE_END.finditer(text, max(0, m.start() - 40), m.start())), default=max(0, m.start() - 40))
    return par.location.with_detail(f"“{text[start:m.end()].strip()}”")


def _whole_unit_year(text: str, start: int, end: int, year: int | None, *, share_check: bool = True) -> bool:
    """Whether the figure at ``text[start:end]`` is the whole unit's for the report year."""
    sentence_start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    sentence, clause = text[sentence_start:start], text[clause_start:start]
    if share_check and words.SHARE_AFTER.search(text[end:end + 4]):
        return False
    if words.SUBUNIT_MARKERS.search(clause) and not words.WHOLE_MARKERS.search(clause):
        return False
    if words.CUMULATIVE_MARKERS.search(sentence):
        return False
    if words.OTHER_YEAR_MARKERS.search(clause):
        return False
    named = [int(y) for y in words.YEAR_MENTION.findall(sentence)]
    return not (year is not None and named and named[-1] != year)


# --- the appendix -------------------------------------------------------------------------------

def _read_appendix(doc: Document, found: _Found, year: int | None) -> tuple[int, int] | None:
    """Read the appendix (a table, else the run-together text); where its text starts in the prose."""
    for table in doc.tables:
        if _read_appendix_table(table, found, year):
            return None
    for index, par in enumerate(doc.paragraphs):
        text = words.fold_digits(par.text)
        header = words.APPENDIX_HEADER.search(text)
        if header is not None:
            _read_appendix_text(par, text, header, found, year)
            return index, header.start()
    return None


def _column(header: str, year: int | None) -> str | None:
    """A column's kind; a column headed by another year than the report's is that year's (``previous``)."""
    kind = words.appendix_column(header)
    named = words.YEAR_MENTION.search(words.fold_digits(header))
    if kind == "year" and named is not None and year is not None and int(named.group(1)) != year:
        return "previous"
    return kind


def _read_appendix_table(table: Table, found: _Found, year: int | None) -> bool:
    columns: list[tuple[int, str]] | None = None
    for row in table.rows:
        texts = [c.text.strip() for c in row]
        if columns is None:
            if words.is_appendix_header(texts):
                columns = [(j, kind) for j, t in enumerate(texts) if (kind := _column(t, year))]
            continue
        item = words.appendix_item(texts[0]) if texts else None
        year_col = next((j for j, kind in columns if kind == "year"), None)
        if item is None or year_col is None or year_col >= len(row) or item in found.appendix:
            continue
        cell = row[year_col]
        value = _number(cell.text)
        quote = " | ".join(t for t in texts if t)
        where = cell.location.with_detail(f"“{quote}”")
        if value is None:
            found.appendix[item] = Reading(None, cell.text, where, "appendix", note=f"appendix cell {cell.text!r} is not a number")
            continue
        unit = next((t for t in texts[1:year_col] if t in words.APPENDIX_UNITS), "")
        if words.ten_thousand(unit):
            value *= 10000
        found.appendix[item] = Reading(value, cell.text.strip(), where, "appendix")
    return columns is not None


def _number(text: str) -> Decimal | None:
    folded = words.fold_digits(text).strip().replace(",", "")
    return Decimal(folded) if re.fullmatch(r"\d+(?:\.\d+)?", folded) else None


_UNITS = "|".join(map(re.escape, words.APPENDIX_UNITS))
_ROW = re.compile(rf"(?P<label>(?:其中[:：]?)?(?:\d{{1,2}}[.．、])?[^\d]{{1,40}}?)(?P<unit>{_UNITS})(?P<digits>\d+)")
_LABEL_NUMBER = re.compile(r"(?:^|[:：])(\d{1,2})[.．、]")


def _read_appendix_text(par: Paragraph, text: str, header: re.Match[str], found: _Found, year: int | None) -> None:
    kinds = [_column(c, year) or "other" for c in words.column_headers(header.group("cols"))]
    pos = header.end()
    while (m := _ROW.match(text, pos)) is not None:
        digits, label, end = m.group("digits"), m.group("label"), m.end()
        if end < len(text) and text[end] in ".．、":  # the next row's numbering is glued to this run
            numbered = _LABEL_NUMBER.search(label)
            glued = str(int(numbered.group(1)) + 1) if numbered else "1"
            cut = len(glued) if digits.endswith(glued) and len(digits) > len(glued) else 1
            digits, end = digits[:-cut], end - cut
        item = words.appendix_item(label)
        if item is not None and item not in found.appendix and digits:
            quote = text[m.start():end]
            found.appendix[item] = _run_reading(digits, kinds, m.group("unit"), par.location.with_detail(f"“{quote}”"))
        pos = end


def split_year_cumulative(digits: str) -> list[tuple[int, int]]:
    """Every split of a run ``year|cumulative`` with the cumulative ≥ the year's (no leading zeros).

    >>> split_year_cumulative("206912106")
    [(20, 6912106), (206, 912106), (2069, 12106)]
    >>> split_year_cumulative("00"), split_year_cumulative("07")
    ([(0, 0)], [(0, 7)])
    """
    out = []
    for i in range(1, len(digits)):
        a, b = digits[:i], digits[i:]
        if (len(a) > 1 and a[0] == "0") or (len(b) > 1 and b[0] == "0"):
            continue
        if int(b) >= int(a):
            out.append((int(a), int(b)))
    return out


def _run_reading(digits: str, kinds: list[str], unit: str, where: Location) -> Reading:
    scale = Decimal(10000) if words.ten_thousand(unit) else Decimal(1)
    if kinds.count("year") == 1 and len(kinds) == 1:
        return Reading(Decimal(digits) * scale, digits, where, "appendix")
    if kinds[:2] == ["year", "cumulative"] and len(kinds) == 2:
        splits = split_year_cumulative(digits)
        candidates = tuple(dict.fromkeys(Decimal(a) * scale for a, _ in splits))
        if len(candidates) == 1:
            return Reading(candidates[0], digits, where, "appendix", note=f"split from run {digits!r}: year | cumulative")
        return Reading(None, digits, where, "appendix", candidates,
                       note=f"appendix digits {digits!r} ran together (year | cumulative)")
    return Reading(None, digits, where, "appendix", note=f"appendix columns {kinds} not read from run {digits!r}")


# --- prose and appendix together ----------------------------------------------------------------

def _combine(item: str, found: _Found) -> MappedCell | None:
    prose = found.prose.get(item, [])
    values = list(dict.fromkeys(r.value for r in prose))
    appendix = found.appendix.get(item)
    if len(values) > 1:
        said = "; ".join(f"{r.value} at {r.location}" for r in prose)
        return _unreadable(item, prose[0], f"the prose states different figures: {said}")
    first = prose[0] if prose else None
    if appendix is None:
        return None if first is None else _cell(item, first, first.note)
    if first is None:
        if appendix.value is None:
            options = ", ".join(map(str, appendix.candidates))
            reason = appendix.note + (f"; candidates for the year: {options}" if options else "")
            return _unreadable(item, appendix, reason + "; the prose does not state it")
        return _cell(item, appendix, appendix.note)
    both = f"prose {first.value} at {first.location}; appendix {appendix.raw} at {appendix.location}"
    if appendix.value == first.value or (appendix.value is None and first.value in appendix.candidates):
        agrees = "the appendix agrees" if appendix.value is not None else f"the appendix run {appendix.raw!r} splits so"
        note = "; ".join(x for x in (first.note, f"{agrees} ({appendix.location})") if x)
        return _cell(item, first, note)
    if appendix.value is None and not appendix.candidates:
        return _cell(item, first, f"{first.note}; appendix not read: {appendix.note}".lstrip("; "))
    shown = appendix.value if appendix.value is not None else "/".join(map(str, appendix.candidates))
    return _unreadable(item, first, f"prose and appendix disagree: prose {first.value}, appendix {shown} ({both})")


def _cell(item: str, reading: Reading, note: str) -> MappedCell:
    return MappedCell(_TABLE, item, None, reading.raw, reading.location, "number", reading.value, note)


def _unreadable(item: str, reading: Reading, reason: str) -> MappedCell:
    return MappedCell(_TABLE, item, None, reading.raw, replace(reading.location), "unreadable", None, reason)
