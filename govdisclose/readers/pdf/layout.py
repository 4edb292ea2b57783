"""The pages put together: prose lines grouped into paragraphs, and table rows cut by a page break joined."""

from __future__ import annotations

from govdisclose.readers.model import Cell, Location, Paragraph
from govdisclose.readers.pdf.glyphs import Line, glue
from govdisclose.readers.pdf.pages import PageText
from govdisclose.template.markers import HEADING, NUMBERED_ROW, SUB_HEADING
from govdisclose.template.values import is_value_text

__all__ = ["margins", "paragraphs", "join_split_rows"]

def margins(pages: list[PageText]) -> tuple[float, float]:
    """Left and right edges of the body text (from the long lines of the whole document)."""
    lines = [ln for p in pages for _, ln in p.lines]
    if not lines:
        return 0.0, 0.0
    widest = max(ln.x1 - ln.x0 for ln in lines)
    long = [ln for ln in lines if ln.x1 - ln.x0 >= 0.6 * widest] or lines
    x0s = sorted(ln.x0 for ln in long)
    x1s = sorted(ln.x1 for ln in long)
    return x0s[len(x0s) // 5], x1s[len(x1s) * 4 // 5]


def paragraphs(page: PageText, left: float, right: float) -> list[tuple[float, Paragraph]]:
    """The page's prose lines grouped into paragraphs, each with the top of its first line.

    A paragraph starts after a table or a wider gap, at a change of type size, at an indented
    line, a numbered heading (``一、``, ``（二）``) or after a line that ends short of the right
    margin. Centred lines of one size (a title over two lines) stay together.
    """
    out: list[tuple[float, Paragraph]] = []
    centre = (left + right) / 2
    prev: Line | None = None
    table_tops = sorted(t.top for t in page.tables)
    gaps = sorted(b.top - a.bottom for (_, a), (_, b) in zip(page.lines, page.lines[1:]) if b.top > a.bottom)
    usual_gap = gaps[len(gaps) // 2] if gaps else 0.0

    def centred(ln: Line) -> bool:
        return abs((ln.x0 + ln.x1) / 2 - centre) < 1.5 * ln.size and ln.x0 > left + 1.5 * ln.size

    for number, line in page.lines:
        starts = prev is None
        if prev is not None:
            size = max(prev.size, line.size)
            table_between = any(prev.bottom <= t <= line.top for t in table_tops)
            if table_between or abs(prev.size - line.size) > 0.15 * size or line.top - prev.bottom > max(1.2 * size, 1.6 * usual_gap):
                starts = True
            elif centred(prev) and centred(line):
                starts = False
            elif HEADING.match(line.text) or SUB_HEADING.match(line.text):
                starts = True
            elif line.x0 > left + 0.9 * line.size or prev.x1 < right - 1.5 * prev.size:
                starts = True
        if starts:
            out.append((line.top, Paragraph(line.text, Location(page.source, page=page.number, line=number))))
        else:
            out[-1][1].text = glue(out[-1][1].text, line.text)
        prev = line
    return out


def _value_cell(cell: Cell) -> bool:
    return not cell.merged and bool(cell.text.strip()) and is_value_text(cell.text)


def _label_cell(cell: Cell) -> bool:
    return not cell.merged and bool(cell.text.strip()) and not is_value_text(cell.text)


def _label_copy(cell: Cell) -> bool:
    return cell.merged and bool(cell.text.strip()) and not is_value_text(cell.text)


def join_split_rows(pages: list[PageText], notes: list[str]) -> None:
    """Join the first row of a page's first table to the last row of the previous page's last one."""
    for before, after in zip(pages, pages[1:]):
        if not before.tables or not after.tables:
            continue
        upper, xs_upper = before.tables[-1].table, before.tables[-1].xs
        lower, xs_lower = after.tables[0].table, after.tables[0].xs
        if any(ln.bottom <= after.tables[0].top for _, ln in after.lines) or any(
            ln.top >= before.tables[-1].bottom for _, ln in before.lines
        ):
            continue  # text between the two tables: not one table
        if not upper.rows or not lower.rows or len(xs_upper) != len(xs_lower):
            continue
        if any(abs(a - b) > 3 for a, b in zip(xs_upper, xs_lower)):
            continue
        a, b = upper.rows[-1], lower.rows[0]
        if len(a) != len(b):
            continue
        a_values, b_values = any(map(_value_cell, a)), any(map(_value_cell, b))
        a_labels, b_labels = any(map(_label_cell, a)), any(map(_label_cell, b))
        if not b_values and b_labels:
            # the last words of a label, alone on the next page, under the same columns
            # (a label's words under a slot of the upper row that a span's label covers: the
            # span's own last words, its first cell on a row above)
            ok = all(_label_cell(x) or _label_copy(x) for x, y in zip(a, b) if _label_cell(y)) and all(
                not y.merged and not y.text.strip() for x, y in zip(a, b) if _value_cell(x)
            )
        elif not a_values and a_labels and b_values:
            # label on one page, its numbers (and maybe the label's last words) on the next: only
            # where the upper label is a numbered template row and the lower text does not start
            # a numbered row of its own
            ok = all(not x.merged and not x.text.strip() for x, y in zip(a, b) if _value_cell(y))
            if b_labels:
                ok = ok and any(NUMBERED_ROW.match(x.text) for x in a if _label_cell(x)) and all(
                    _label_cell(x) and not NUMBERED_ROW.match(y.text) for x, y in zip(a, b) if _label_cell(y)
                )
        else:
            ok = False
        if not ok:
            continue
        joined = []
        for x, y in zip(a, b):
            x_text = "" if x.merged else x.text
            y_text = "" if y.merged else y.text
            if x.merged and (y.merged or _label_copy(x)):
                joined.append(x)  # (a spanned label's last words stay with the span's first cell)
            elif not y_text:
                joined.append(x)
            elif not x_text:
                joined.append(Cell(y.text, y.location.with_detail(f"row continued from page {x.location.page}, table {x.location.table}")))
            else:
                joined.append(Cell(glue(x_text, y_text), x.location.with_detail(f"continued at {y.location}")))
        upper.rows[-1] = joined
        del lower.rows[0]
        notes.append(f"page {after.number}: the first table row continues the last row of page {before.number}; joined")

