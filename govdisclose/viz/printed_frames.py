"""A report view's tables as pandas frames with the template's Chinese labels, and as a pandas
``Styler`` with the problem cells marked and each cell's location as its hover title.

Table ``requests``: one row per printed row (its group label before its own), one column per
applicant column; ``active_disclosure``: rows by the printed row label, columns by the block
headers (a block without a column leaves it empty); ``review_litigation``: rows 行政复议 and the
two 行政诉讼 blocks, columns by the outcome.

>>> import govdisclose
>>> from govdisclose.viz.report_view import report_view
>>> view = report_view(govdisclose.read_report(govdisclose.sample_path("mfa_2023.txt")))
>>> shown, keys = printed_frame(view, "review_litigation")
>>> shown.shape, keys.iloc[0, -1]
((3, 5), ('review_litigation', 'review.total', None))
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from govdisclose.exceptions import GovDiscloseError
from govdisclose.template.catalogue import APPLICANT_LABELS, APPLICANTS
from govdisclose.template.layout import review_items
from govdisclose.template.printed import active_blocks, requests_rows_printed, review_words

__all__ = ["printed_frame", "printed_styler"]


def _layout(view: Any, table: str) -> list[tuple[str, str, tuple[str, str, str | None]]]:
    """(row label, column label, cell key) in printed order."""
    if table == "requests":
        single = ("requests", "other_handling", "total") in set(view.cells_keys())
        rows = requests_rows_printed("2019" if single else view.template)
        return [(f"{r.group} {r.label}" if r.group else r.label, APPLICANT_LABELS[a], ("requests", r.item, a))
                for r in rows for a in APPLICANTS]
    if table == "active_disclosure":
        return [(label, header, ("active_disclosure", f"{row}.{field}", None)) for block in active_blocks(view.template)
                for row, label in block.rows for field, header in zip(block.fields, block.headers)]
    if table == "review_litigation":
        return [(" ".join(review_words(item)[:-1]), review_words(item)[-1], ("review_litigation", item, None)) for item in review_items()]
    raise GovDiscloseError(f"no table {table!r}: the tables are active_disclosure, requests, review_litigation")


def printed_frame(view: Any, table: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two frames of the same shape: the cells as shown (``""`` for a blank, ``?`` unreadable,
    ``/`` as printed; missing where the template has no such cell) and their cell keys."""
    layout = _layout(view, table)
    rows = list(dict.fromkeys(r for r, _, _ in layout))
    columns = list(dict.fromkeys(c for _, c, _ in layout))
    cells = view.cells.set_index(["table", "item", "applicant"])["shown"]
    text: list[list[Any]] = [[pd.NA] * len(columns) for _ in rows]
    where: list[list[Any]] = [[None] * len(columns) for _ in rows]
    for row, column, key in layout:
        r, c = rows.index(row), columns.index(column)
        where[r][c] = key
        text[r][c] = cells.get(key, "")
    shown = pd.DataFrame(text, index=rows, columns=columns, dtype="object")
    keys = pd.DataFrame(where, index=rows, columns=columns, dtype="object")
    return shown, keys


def printed_styler(view: Any, table: str) -> Any:
    """The table as a pandas ``Styler``: classes ``gd-<state>`` and ``gd-error``/``gd-warning``
    on the cells, the hover title of :meth:`ReportView.to_html` as each cell's ``title``."""
    from govdisclose._optional import import_optional

    import_optional("jinja2", extra="notebooks", purpose="a pandas Styler (ReportView.styler)")  # pandas renders Stylers with it
    shown, keys = printed_frame(view, table)
    info = view.cells.set_index(["table", "item", "applicant"])
    classes = keys.map(lambda k: "" if k is None else " ".join(
        c for c in (f"gd-{info.at[k, 'state']}", f"gd-{info.at[k, 'highlight']}" if info.at[k, "highlight"] else "") if c))
    titles = keys.map(lambda k: None if k is None else view.cell_title(k))
    styler = shown.style.set_td_classes(classes).set_tooltips(titles, as_title_attribute=True)
    styler.set_table_styles([
        {"selector": "td.gd-blank", "props": "background: repeating-linear-gradient(45deg,#fff,#fff 3px,#e4e4e4 3px,#e4e4e4 5px)"},
        {"selector": "td.gd-unreadable", "props": "background: #ffe0f0; color: #a0005a"},
        {"selector": "td.gd-warning", "props": "outline: 2px solid #e69500; background-color: #fff4d6"},
        {"selector": "td.gd-error", "props": "outline: 3px solid #d00000; background-color: #ffd9d9"},
    ])
    return styler
