"""Structure-lost text: report tables whose cells ran together with no separator.

A web archiver's text rendering prints table 3 as
``一、本年新收政府信息公开申请数量640020470二、上年结转…``. :func:`unflatten` finds the tables
between ``二、主动公开政府信息情况`` and ``五、…`` by their wording and returns them as
:class:`~govdisclose.readers.model.Table` blocks: header rows as cells of label words, and data rows
``[label, run]`` whose run cell keeps the digits exactly as printed (``run=True``; the mapper
splits it with :mod:`govdisclose.mapping.decode`). Table 4 comes as its header row and one run row.

Label numbers that glued onto the digits before them (``…00000002.其他法律…``) are moved back to
their label; digits inside labels (``（1）``, ``2019年``, ``第20条``) stay text. Matching is done
on folded text (full-width forms, Traditional characters, no spaces); cells keep the raw text.
Locations read ``line N, chars A–B`` (1-based, inclusive, in that line); a cell spread over
lines reads ``line N, char A – line M, char B`` (its text joins the pieces, runs with a space).

>>> text = "二、主动公开政府信息情况 第二十条第（五）项信息内容本年处理决定数量行政许可2293" \\
...        "三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构" \\
...        "社会公益组织法律服务机构其他一、本年新收政府信息公开申请数量640020470五、其他"
>>> t2, t3 = unflatten(text)
>>> [[c.text for c in row] for row in t2.rows]
[['第二十条第（五）项'], ['信息内容', '本年处理决定数量'], ['行政许可', '2293']]
>>> [c.text for c in t3.rows[1]], t3.rows[1][1].run, str(t3.rows[1][1].location)
(['一、本年新收政府信息公开申请数量', '640020470'], True, 'line 1, chars 115–123')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from govdisclose.readers.model import Cell, Location, Table
from govdisclose.template.normalize import fold_width, norm, to_simplified
from govdisclose.template.vocabulary import flat as words

__all__ = ["unflatten"]

#: At most this many characters from the first table anchor on are examined (bounded time).
MAX_REGION = 200_000

_LABEL_NUMBER = re.compile(r"(\d{1,2})[.、](?=\D)")
_GROUP_MARK = re.compile(r"\([一二三四五六七八九十]+\)")
_MAX_LABEL = 100  # a longer text before a run is prose, not a row label
_PROSE = re.compile(r"[。；;!?！？]")

_UNIT_CHARS = "元件项个条次宗"
_PLACEHOLDERS = "/\\-—―─"
_TEXT_AFTER = "年月日号)%"  # digits followed by these are part of the words (2019年, (1), 2024 年)
_TEXT_BEFORE = "(第"
_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass
class _Compact:
    """The region as folded characters without white space, each tied to its raw position."""

    chars: list[str] = field(default_factory=list)
    where: list[tuple[int, int]] = field(default_factory=list)  # (line index, column)
    gap: list[int] = field(default_factory=list)  # before this char: 0 nothing, 1 white space, 2 line break
    digit: list[bool] = field(default_factory=list)
    text: str = ""  # "".join(chars), set once built


_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")  # zero-width: no char, no boundary


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    return "" if ch in _INVISIBLE else to_simplified(fold_width(ch))


def _compact(lines: list[str], first: int) -> _Compact:
    out = _Compact()
    gap = 0
    for li in range(first, len(lines)):
        line = lines[li]
        if "\t" in line or "|" in line:
            gap = 2  # a line with real cell separators belongs to another reader
            continue
        for col in range(len(line)):
            ch = line[col]
            if ch.isspace():
                gap = max(gap, 1)
                continue
            for f in _fold(ch):
                if f.isspace():
                    gap = max(gap, 1)
                    continue
                out.chars.append(f)
                out.where.append((li, col))
                out.gap.append(gap)
                out.digit.append(ch.isdecimal() and f in "0123456789")
                gap = 0
            if len(out.chars) > MAX_REGION:
                break
        else:
            gap = 2
            continue
        break
    out.text = "".join(out.chars)
    return out


# -- tokens --------------------------------------------------------------------------------------

@dataclass
class _Tok:
    kind: str  # 'text' or 'run'
    s: int
    e: int


def _run_start(c: _Compact, i: int, end: int) -> bool:
    ch = c.chars[i]
    if c.digit[i]:
        return True
    if ch in "+-" and i + 1 < end and c.digit[i + 1] and not c.gap[i + 1]:
        return True
    if ch in _PLACEHOLDERS:
        j = i
        while j < end and c.chars[j] in _PLACEHOLDERS and (j == i or not c.gap[j]):
            j += 1
        return j - i >= 2 or j == end or bool(c.gap[j]) or c.digit[j]
    return False


def _run_end(c: _Compact, i: int, end: int) -> int:
    j = i + 1
    chars, digit, gap = c.chars, c.digit, c.gap
    while j < end:
        ch = chars[j]
        joined = not gap[j]
        if digit[j] or (ch in _PLACEHOLDERS and (joined or _run_start(c, j, end))):
            j += 1
        elif ch in "+-" and j + 1 < end and digit[j + 1] and not gap[j + 1]:
            j += 1
        elif not joined or not digit[j - 1]:
            break
        elif ch == "." and j + 1 < end and digit[j + 1] and not gap[j + 1]:
            j += 1
        elif ch == "," and j + 3 < end and all(digit[j + 1:j + 4]) and not any(gap[j + 1:j + 4]) and not (j + 4 < end and digit[j + 4]):
            j += 1
        elif ch == "万" and j + 1 < end and chars[j + 1] == "元" and not gap[j + 1]:
            j += 2
        elif ch in _UNIT_CHARS:
            j += 1
        else:
            break
    return j


def _tokens(c: _Compact, start: int, end: int) -> list[_Tok]:
    toks: list[_Tok] = []
    i = start
    while i < end:
        if _run_start(c, i, end):
            j = _run_end(c, i, end)
            kind = "run"
            before = c.chars[i - 1] if i > start and not c.gap[i] else ""
            after = c.chars[j] if j < end else ""
            if after == "年" and j - i > 4 and _YEAR.fullmatch(c.text, j - 4, j) and all(c.digit[j - 4:j]):
                j -= 4  # values, then a year that starts the prose after them: 00000002024年
            elif before and before in _TEXT_BEFORE or after and after in _TEXT_AFTER:
                kind = "text"
        else:
            j = i + 1
            while j < end and not _run_start(c, j, end):
                j += 1
            kind = "text"
        if toks and toks[-1].kind == kind == "text":
            toks[-1].e = j
        else:
            toks.append(_Tok(kind, i, j))
        i = j
    return _move_label_numbers(c, toks)


def _label_number(text: str) -> int:
    """The number of the last ``N.`` sub-label in a label, 0 after a group label (（三）…)."""
    numbers = list(_LABEL_NUMBER.finditer(text))
    groups = list(_GROUP_MARK.finditer(text))
    if not numbers or (groups and groups[-1].start() > numbers[-1].start()):
        return 0
    return int(numbers[-1].group(1))


def _move_label_numbers(c: _Compact, toks: list[_Tok]) -> list[_Tok]:
    """``…00000002.其他法律…``: the ``2`` belongs to the next label, not to the run."""
    out: list[_Tok] = []
    last = 0
    for tok in toks:
        if tok.kind == "text":
            prev = out[-1] if out else None
            if (prev is not None and prev.kind == "run" and c.chars[tok.s] in ".、" and not c.gap[tok.s]
                    and c.digit[prev.e - 1]):
                expected = str(last + 1)
                run = "".join(c.chars[prev.s:prev.e])
                take = len(expected) if run.endswith(expected) else 1
                take = min(take, sum(1 for k in range(prev.e - take, prev.e) if c.digit[k]))
                prev.e -= take
                tok.s -= take
                number = "".join(c.chars[tok.s:tok.s + take])
                if prev.e == prev.s:  # the "run" was only the label number
                    out.pop()
                    if number == "1" and out and out[-1].kind == "text":
                        out[-1].e = tok.e
                        tok = out.pop()
            last = _label_number("".join(c.chars[tok.s:tok.e]))
        out.append(tok)
    return out


# -- cells -----------------------------------------------------------------------------------

class _Builder:
    def __init__(self, lines: list[str], c: _Compact, first_line: int, source: str = "") -> None:
        self.lines, self.c, self.first_line, self.source = lines, c, first_line, source

    def span(self, s: int, e: int, joiner: str) -> tuple[str, Location]:
        """Raw text and location of compact chars [s, e) (line pieces joined by ``joiner``)."""
        (l1, a), (l2, b) = self.c.where[s], self.c.where[e - 1]
        if l1 == l2:
            return self.lines[l1][a:b + 1], Location(self.source, line=l1 + self.first_line, char=a + 1, char_end=b + 1)
        pieces: dict[int, list[int]] = {}
        for li, col in self.c.where[s:e]:  # only the lines the chars came from (skipped lines stay out)
            pieces.setdefault(li, [col, col])[1] = col
        text = joiner.join(self.lines[li][x:y + 1] for li, (x, y) in pieces.items())
        return text, Location(self.source, line=l1 + self.first_line, char=a + 1, line_end=l2 + self.first_line, char_end=b + 1)

    def cell(self, s: int, e: int, run: bool = False) -> Cell:
        text, where = self.span(s, e, " " if run else "")
        return Cell(text.strip(), where, run=run)

    def words(self, s: int, e: int, vocabulary: tuple[str, ...]) -> list[Cell]:
        """Split [s, e) into known words (longest first); unknown stretches become cells too."""
        text = self.c.text
        ordered = sorted(vocabulary, key=len, reverse=True)
        cells: list[Cell] = []
        pending = s
        i = s
        while i < e:
            word = next((w for w in ordered if text.startswith(w, i) and i + len(w) <= e), None)
            if word is None:
                i += 1
                continue
            if pending < i:
                cells.append(self.cell(pending, i))
            cells.append(self.cell(i, i + len(word)))
            i += len(word)
            pending = i
        if pending < e:
            cells.append(self.cell(pending, e))
        return cells


def _table(rows: list[list[Cell]]) -> Table | None:
    if not any(cell.run for row in rows for cell in row):
        return None
    first, last = rows[0][0].location, rows[-1][-1].location
    end_line = last.line_end if last.line_end is not None else last.line
    end_char = last.char_end if last.char_end is not None else last.char
    return Table(rows=rows, location=replace(first, line_end=end_line, char_end=end_char))


def unflatten(text: str, first_line: int = 1, source: str = "") -> list[Table]:
    """The report tables of a structure-lost text, or ``[]`` when it has none (see the module doc).

    ``first_line`` is the number of the text's first line in the file and ``source`` the file (for
    locations).

    >>> unflatten("一、本年新收政府信息公开申请数量\t18\t0\t0\t0\t0\t0\t18")  # cells kept apart: not ours
    []
    >>> [c.text for c in unflatten("一、本年新收政府信息公开申请数量180000018", first_line=7)[0].rows[0]]
    ['一、本年新收政府信息公开申请数量', '180000018']
    """
    lines = text.splitlines()
    # Find the first line with a table anchor cheaply, then fold only from there on.
    first = next((li for li, line in enumerate(lines) if any(p.search(norm(line)) for p in words.STARTS)), None)
    if first is None:
        return []
    c = _compact(lines, first)
    builder = _Builder(lines, c, first_line, source)
    pattern = next((p for p in words.STARTS if p.search(c.text)), None)
    if pattern is None:
        return []
    # The first heading may be a table of contents or a sentence: try the next ones too.
    for attempt, m in enumerate(pattern.finditer(c.text)):
        end = words.END.search(c.text, m.start())
        tables = _assemble(builder, _tokens(c, m.start(), end.start() if end else len(c.text)))
        if tables or attempt >= 4:
            return tables
    return []


def _assemble(b: _Builder, toks: list[_Tok]) -> list[Table]:
    text = b.c.text
    section = ""
    tables: dict[str, list[list[Cell]]] = {"t2": [], "t3": [], "t4": []}
    glued = False  # evidence that cells ran together (else the text is another reader's business)
    for k, tok in enumerate(toks):
        if tok.kind != "text":
            continue
        run = toks[k + 1] if k + 1 < len(toks) and toks[k + 1].kind == "run" else None
        t = text[tok.s:tok.e]
        if section != "t4" and words.starts_review(t):
            section = "t4"
            if run is not None:
                s = tok.s + words.review_header_at(t)
                tables["t4"] = [[b.cell(s, tok.e)], [b.cell(run.s, run.e, run=True)]]
                glued |= _glued(b.c, run, 15)
            continue
        if section in ("", "t2") and words.starts_requests(t):
            section = "t3"
            _t3_first(b, tok, run, tables["t3"])
            glued |= run is not None and _glued(b.c, run, 7)
            continue
        if section == "" and words.starts_active(t):
            section = "t2"
        if section == "t2":
            _t2_rows(b, tok, run, tables["t2"])
            glued |= run is not None and _glued(b.c, run, 1)
        elif section == "t3" and len(t) <= _MAX_LABEL and not _PROSE.search(t):
            label = b.cell(tok.s, tok.e)
            tables["t3"].append([label, b.cell(run.s, run.e, run=True)] if run else [label])
            glued |= run is not None and _glued(b.c, run, 7)
    if not glued:
        return []  # cells keep their separators: not a structure-lost table
    out = [_table(tables[key]) for key in ("t2", "t3", "t4") if tables[key]]
    return [t for t in out if t is not None]


def _glued(c: _Compact, run: _Tok, values: int) -> bool:
    """A run stuck to its label, or ``values`` digits in fewer groups, or spread over lines."""
    if run.s > 0 and not c.gap[run.s] and not c.digit[run.s - 1]:
        return True
    digits = sum(c.digit[run.s:run.e])
    gaps = c.gap[run.s + 1:run.e]
    groups = 1 + sum(1 for g in gaps if g)
    # one value per line (a converter's output) is structure lost as well
    return digits >= values > groups or (values > 1 and digits >= values and 2 in gaps)


def _t2_rows(b: _Builder, tok: _Tok, run: _Tok | None, rows: list[list[Cell]]) -> None:
    text = b.c.text
    t = text[tok.s:tok.e]
    pos = 0
    m = words.ACTIVE_HEADING.match(t)
    if m:
        pos = m.end()
    m = words.ACTIVE_SUBHEADER.search(t, pos)
    if m:
        rows.append([b.cell(tok.s + m.start(), tok.s + m.end())])
        pos = m.end()
    label_at = next((len(t) - len(w) for w in words.ACTIVE_ROW_WORDS if t.endswith(w) and len(t) - len(w) >= pos), None)
    if label_at is None:
        ends = [i + len(w) for w in words.ACTIVE_HEADER_WORDS for i in [t.rfind(w)] if i >= pos]
        label_at = max(ends) if ends else pos
    if label_at > pos:
        rows.append(b.words(tok.s + pos, tok.s + label_at, words.ACTIVE_HEADER_WORDS))
    if label_at < len(t) and len(t) - label_at <= _MAX_LABEL:
        label = b.cell(tok.s + label_at, tok.e)
        rows.append([label, b.cell(run.s, run.e, run=True)] if run else [label])


def _t3_first(b: _Builder, tok: _Tok, run: _Tok | None, rows: list[list[Cell]]) -> None:
    t = b.c.text[tok.s:tok.e]
    m = words.REQUESTS_FIRST.search(t)
    label_at = m.start() if m else len(t)
    header_at = words.applicant_header_at(t)
    if 0 <= header_at < label_at:
        rows.append(b.words(tok.s + header_at, tok.s + label_at, words.APPLICANT_HEADER_WORDS))
    if label_at < len(t):
        label = b.cell(tok.s + label_at, tok.e)
        rows.append([label, b.cell(run.s, run.e, run=True)] if run else [label])
