"""Render a logical report of the variant suite (``test_variants.Doc``) as a Word document.

Every table becomes a real Word table with the merges Word writes: a cell spanning columns is one
``<w:tc>`` with ``<w:gridSpan>``, a cell spanning rows is a ``<w:vMerge w:val="restart"/>`` cell
followed by ``<w:vMerge/>`` continuation cells in the rows below (a continuation keeps the span's
width). Tables carry single-line borders, so LibreOffice prints them as ruled tables in a PDF.
Headings and prose are plain paragraphs (headings bold).
"""

from __future__ import annotations

import html
from pathlib import Path

from test_variants import span_slots

from docx_fixtures import make_docx

_BORDERS = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                   for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
_PAGE = 9000  # usable width of an A4 page in twips (about 15.9 cm)


def _para(text: str, bold: bool = False, size: int | None = None) -> str:
    props = ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size}"/>' if size else "")
    run_props = f"<w:rPr>{props}</w:rPr>" if props else ""
    if not text:
        return "<w:p/>"
    return f'<w:p><w:r>{run_props}<w:t xml:space="preserve">{html.escape(text)}</w:t></w:r></w:p>'


def _cell(text: str, span: int, width: int, merge: str, size: int) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>' + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + merge
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{_para(text, size=size)}</w:tc>"


def _table(grid, size: int, borders: bool = True) -> str:
    slots = span_slots(grid)
    width = max(len(r) for r in slots)
    col_w = _PAGE // width
    rows = []
    for r, row in enumerate(slots):
        row = row + [None] * (width - len(row))
        cells, col = [], 0
        while col < width:
            slot = row[col]
            if slot is None:  # a short row: pad with an empty cell, as Word does
                cells.append(_cell("", 1, col_w, "", size))
                col += 1
                continue
            cell, _start = slot
            # the span's first column in this row
            if col > 0 and row[col - 1] is not None and row[col - 1][0] is cell:
                col += 1
                continue
            first_row = next(k for k in range(r + 1) if slots[k][col] is not None and slots[k][col][0] is cell)
            if cell.rs > 1:
                merge = '<w:vMerge w:val="restart"/>' if first_row == r else "<w:vMerge/>"
            else:
                merge = ""
            cells.append(_cell(cell.text if first_row == r else "", cell.cs, col_w * cell.cs, merge, size))
            col += cell.cs
        rows.append(f"<w:tr>{''.join(cells)}</w:tr>")
    grid_cols = "".join(f'<w:gridCol w:w="{col_w}"/>' for _ in range(width))
    props = (f'<w:tblPr><w:tblW w:w="{col_w * width}" w:type="dxa"/><w:tblBorders>{_BORDERS if borders else ""}</w:tblBorders>'
             '<w:tblLayout w:type="fixed"/></w:tblPr>')
    return f"<w:tbl>{props}<w:tblGrid>{grid_cols}</w:tblGrid>{''.join(rows)}</w:tbl>"


def to_docx(doc, path: Path, *, size: int = 18, borders: bool = True) -> Path:
    """Write ``doc`` as a .docx at ``path`` (``size``: table font size in half-points; without
    ``borders`` the tables print unruled, as a PDF whose tables are only aligned text)."""
    body = []
    for block in doc.blocks:
        kind = block[0]
        if kind == "h":
            body.append(_para(block[2], bold=True))
        elif kind in ("p", "raw"):
            body += [_para(line) for line in block[1].split("\n")]
        else:
            body.append(_table(block[1], size, borders))
            body.append("<w:p/>")  # Word keeps a paragraph between tables
    return make_docx(path, "".join(body))
