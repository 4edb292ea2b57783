"""The layout of a SYNTHETIC report: its blocks (mark, title, headings, prose, tables) and each
table as a grid of spans, drawn from the template's printed forms
(:mod:`govdisclose.template.printed`), so every label is the template's own.

>>> from govdisclose.synth import make_report
>>> kinds = [kind for kind, _ in blocks(make_report("示例东山县交通运输局", 2023, seed=3))]
>>> kinds.count("table"), kinds.count("heading")
(3, 6)
>>> [len(row) for row in slots(requests_grid("2019", make_report("示例", 2019).cells()))][:4]
[10, 10, 10, 10]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from govdisclose.synth.report import MARK, Key, SynthReport
from govdisclose.template.catalogue import APPLICANTS, template_cells
from govdisclose.template.printed import (
    ACTIVE_CORNER,
    OUTCOME_SPAN,
    REPORT_NAME,
    SECTIONS,
    SHORT_WORDS,
    Printed,
    active_blocks,
    requests_header,
    requests_label,
    requests_rows_printed,
    review_header,
    unnumbered,
)

__all__ = ["Span", "Grid", "Block", "blocks", "active_grid", "requests_grid", "review_grid", "slots"]


@dataclass(frozen=True)
class Span:
    """One cell of a grid: its text, how many rows and columns it spans, and whether it is a
    figure (``value``) rather than a label."""

    text: str
    rows: int = 1
    cols: int = 1
    value: bool = False


Grid = list[list[Span]]
#: ``("mark"|"title"|"heading"|"para", text)`` or ``("table", grid)``.
Block = tuple[str, Any]


def _header(rows: tuple[tuple[Printed, ...], ...]) -> Grid:
    return [[Span(cell.text, rows=cell.rows, cols=cell.cols) for cell in row] for row in rows]


def blocks(report: SynthReport) -> list[Block]:
    """The document as ``("mark"|"title"|"heading"|"para", text)`` and ``("table", grid)`` blocks."""
    v = report.cells()
    n = lambda item, a="total": v[("requests", item, a)]  # noqa: E731
    fee = "本年度未收取信息处理费。" if report.year % 2 else "本年度依据《政府信息公开信息处理费管理办法》收取信息处理费0元。"
    return [
        ("mark", MARK),
        ("title", report.title),
        ("para", f"本报告依据《中华人民共和国政府信息公开条例》和{REPORT_NAME}格式的要求编制。"
                 f"本报告所列数据的统计期限自{report.year}年1月1日起至{report.year}年12月31日止。"),
        ("heading", SECTIONS[0]),
        ("para", f"{report.year}年，{report.agency}认真贯彻落实《中华人民共和国政府信息公开条例》，"
                 f"全年共收到政府信息公开申请{n('new_received')}件，{SHORT_WORDS['carried_over']}{n('carried_over')}件，"
                 f"办结{n('total_processed')}件，{unnumbered(requests_label('carried_forward'))}{n('carried_forward')}件。"),
        ("heading", SECTIONS[1]),
        ("table", active_grid(report.template, v)),
        ("heading", SECTIONS[2]),
        ("table", requests_grid(report.template, v)),
        ("heading", SECTIONS[3]),
        ("table", review_grid(v)),
        ("heading", SECTIONS[4]),
        ("para", "本年度政府信息公开工作仍存在一些不足：一是公开内容的深度和广度有待拓展；二是政策解读形式还不够丰富。"
                 "下一步，将加强业务培训，提升公开质量。"),
        ("heading", SECTIONS[5]),
        ("para", fee + "本报告为合成示例数据（SYNTHETIC），不是任何机关发布的报告。"),
    ]


def active_grid(template: str, v: dict[Key, str]) -> Grid:
    """Table 2: per block its article heading, header row and rows; the last column of a block
    with fewer fields than the widest spans the rest."""
    layout = active_blocks(template)
    width = 1 + max(len(block.fields) for block in layout)

    def cells(texts: list[str], value: bool) -> list[Span]:
        last = width - len(texts)
        return [Span(t, cols=last if k == len(texts) - 1 else 1, value=value) for k, t in enumerate(texts)]

    grid: Grid = []
    for block in layout:
        grid.append([Span(block.article, cols=width)])
        grid.append([Span(ACTIVE_CORNER), *cells(list(block.headers), False)])
        for row, label in block.rows:
            grid.append([Span(label), *cells([v[("active_disclosure", f"{row}.{f}", None)] for f in block.fields], True)])
    return grid


def requests_grid(template: str, v: dict[Key, str]) -> Grid:
    """Table 3: the three header rows, then one row per item under its group and the outcome span."""
    header = requests_header()
    label_cols = header[0][0].cols
    values = lambda item: [Span(v[("requests", item, a)], value=True) for a in APPLICANTS]  # noqa: E731
    rows = requests_rows_printed(template)
    outcome = sum(r.outcome for r in rows)
    group_size: dict[str, int] = {}
    for r in rows:
        if r.group:
            group_size[r.group] = group_size.get(r.group, 0) + 1
    grid = _header(header)
    first, seen = True, set()
    for r in rows:
        if not r.outcome:
            grid.append([Span(r.label, cols=label_cols), *values(r.item)])
            continue
        row = [Span(OUTCOME_SPAN, rows=outcome)] if first else []
        first = False
        if r.group is None:
            row.append(Span(r.label, cols=label_cols - 1))
        else:
            if r.group not in seen:
                seen.add(r.group)
                row.append(Span(r.group, rows=group_size[r.group]))
            row.append(Span(r.label))
        grid.append(row + values(r.item))
    return grid


def review_grid(v: dict[Key, str]) -> Grid:
    """Table 4: the three-level header and one row of fifteen figures."""
    items = [key for key in template_cells("2021") if key[0] == "review_litigation"]
    return [*_header(review_header()), [Span(v[key], value=True) for key in items]]


def slots(grid: Grid) -> list[list[Span | None]]:
    """The grid with spans expanded: each slot holds its span's origin, or None if covered."""
    width = sum(s.cols for s in grid[0])
    out: list[list[Span | None]] = []
    covered: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(grid):
        line: list[Span | None] = []
        c = 0
        spans = iter(row)
        while c < width:
            if covered.get((r, c)):
                line.append(None)
                c += 1
                continue
            span = next(spans, None)
            if span is None:
                line.append(Span(""))
                c += 1
                continue
            for dr in range(span.rows):
                for dc in range(span.cols):
                    if dr or dc:
                        covered[(r + dr, c + dc)] = True
            line.append(span)
            c += 1
        out.append(line)
    return out
