r"""Any comparison frame as a LaTeX table a paper can print: booktabs rules, every special
character escaped, Chinese text kept as it is (typeset with XeLaTeX and xeCJK).

The cells are formatted as in the notebooks (:func:`govdisclose.viz.tables.table`: counts as
integers, rates in %, ``<NA>`` where a value is missing — typeset as an italic *NA*, never as 0);
numeric columns are right-aligned. :func:`latex_document` wraps tables in a compilable document
with the ``xeCJK`` preamble (:func:`preamble`).

>>> import pandas as pd
>>> print(to_latex(pd.DataFrame({"agency": ["外交部"], "share_%": [0.5], "n": [18.0]}), percent=["share_%"]))
\begin{tabular}{lrr}
\toprule
agency & share\_\% & n \\
\midrule
外交部 & 50.0\% & 18 \\
\bottomrule
\end{tabular}
>>> escape_latex("R&D 50% #1 {x} a_b ~ ^ \\")
'R\\&D 50\\% \\#1 \\{x\\} a\\_b \\textasciitilde{} \\textasciicircum{} \\textbackslash{}'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from govdisclose.exceptions import GovDiscloseError
from govdisclose.viz.tables import table

__all__ = ["to_latex", "escape_latex", "latex_document", "preamble", "DEFAULT_CJK_FONT", "LONG_TABLE_ROWS"]

#: The CJK font named in the preamble (Debian's fonts-noto-cjk; any fontconfig family works).
DEFAULT_CJK_FONT = "Noto Sans CJK SC"
#: Tables with more rows than this become a ``longtable`` (it breaks across pages).
LONG_TABLE_ROWS = 40

_SPECIALS = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "−": r"\textminus{}", "<": r"\textless{}", ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_SPECIAL = re.compile("|".join(map(re.escape, _SPECIALS)))
# A cell that reads as a number (right-aligned): 12, −3, 1,024, 51.9%, +6.0 pp.
_NUMBER = re.compile(r"[-−+]?[\d,]+(\.\d+)?(%| pp)?")


def escape_latex(text: str) -> str:
    r"""``text`` safe inside a LaTeX table cell: the ten special characters (and ``< > |``, the
    Unicode minus) escaped, line breaks and tabs turned into spaces; CJK text unchanged."""
    flat = re.sub(r"[\r\n\t]+", " ", str(text))
    return _SPECIAL.sub(lambda m: _SPECIALS[m.group(0)], flat)


def _cell(text: str) -> str:
    return r"\textit{NA}" if text == "<NA>" else escape_latex(text)


def to_latex(frame: pd.DataFrame, columns: Sequence[str] | None = None, *, column_labels: Mapping[str, str] | None = None,
             caption: str | None = None, label: str | None = None, percent: Sequence[str] = (), note: str | None = None,
             long: bool | None = None, font_size: str = "") -> str:
    r"""``frame`` (or its ``columns``) as a booktabs table (``tabular``; a ``table`` float when
    ``caption`` or ``label`` is given; a ``longtable`` past :data:`LONG_TABLE_ROWS` rows or with
    ``long=True``).

    ``column_labels`` renames header cells (``{"value": "公开率"}``), ``percent`` names fraction
    columns shown in %, ``note`` is a line under the table, ``font_size`` a size command
    (``"small"``). Every header and cell is escaped (:func:`escape_latex`); a meaningful index
    becomes columns, as in the notebooks.

    >>> import govdisclose
    >>> ranking = govdisclose.compare_agencies(govdisclose.load_sample(), 2023, indicator="disclosure_rate")
    >>> tex = to_latex(ranking, ["rank", "agency", "value"], caption="公开率 2023", label="tab:rate")
    >>> tex.splitlines()[:4]
    ['\\begin{table}[htbp]', '\\centering', '\\caption{公开率 2023}', '\\label{tab:rate}']
    >>> [line for line in tex.splitlines() if "沭阳" in line]
    ['1 & 沭阳县发展和改革局 & 100.0\\% \\\\']
    """
    shown = table(frame, columns, empty="", percent=percent)
    if not shown.columns:
        raise GovDiscloseError("to_latex: the frame has no columns to print")
    labels = dict(column_labels or {})
    numeric = [flag or (any(_NUMBER.fullmatch(row[k]) for row in shown.cells)
                        and all(_NUMBER.fullmatch(row[k]) or row[k] in ("", "<NA>") for row in shown.cells))
               for k, flag in enumerate(shown.numeric)]
    align = "".join("r" if n else "l" for n in numeric)
    head = " & ".join(escape_latex(labels.get(c, c)) for c in shown.columns) + r" \\"
    body = [" & ".join(_cell(v) for v in row) + r" \\" for row in shown.cells]
    if not body:
        body = [r"\multicolumn{" + str(len(shown.columns)) + r"}{l}{\textit{no rows}} \\"]
    size = [f"\\{font_size}"] if font_size else []
    long = len(shown.cells) > LONG_TABLE_ROWS if long is None else long
    tail = [rf"\par\smallskip{{\footnotesize {escape_latex(note)}}}"] if note else []
    if long:
        lines = [*size, rf"\begin{{longtable}}{{{align}}}"]
        if caption:
            lines.append(rf"\caption{{{escape_latex(caption)}}}" + (rf"\label{{{label}}}" if label else "") + r" \\")
        lines += [r"\toprule", head, r"\midrule", r"\endhead", r"\bottomrule", r"\endfoot", *body, r"\end{longtable}"]
        if note:
            lines.append(rf"{{\footnotesize {escape_latex(note)}}}")
        return "\n".join(lines)
    tabular = [rf"\begin{{tabular}}{{{align}}}", r"\toprule", head, r"\midrule", *body, r"\bottomrule", r"\end{tabular}"]
    if caption is None and label is None:
        return "\n".join([*size, *tabular, *tail]) if size or tail else "\n".join(tabular)
    lines = [r"\begin{table}[htbp]", r"\centering", *size]
    if caption is not None:
        lines.append(rf"\caption{{{escape_latex(caption)}}}")
    if label is not None:
        lines.append(rf"\label{{{label}}}")
    return "\n".join([*lines, *tabular, *tail, r"\end{table}"])


def preamble(*, cjk_font: str = DEFAULT_CJK_FONT, document_class: str = "article") -> str:
    r"""A XeLaTeX preamble for the tables and figures: booktabs, longtable, graphicx, fontspec
    and xeCJK with ``cjk_font`` (a fontconfig family name) for the Chinese text.

    >>> "\\usepackage{xeCJK}" in preamble()
    True
    """
    return "\n".join([
        rf"\documentclass[11pt]{{{document_class}}}",
        r"\usepackage[a4paper,margin=2cm]{geometry}",
        r"\usepackage{booktabs}",
        r"\usepackage{longtable}",
        r"\usepackage{graphicx}",
        r"\usepackage{fontspec}",
        r"\usepackage{xeCJK}",
        rf"\setCJKmainfont{{{cjk_font}}}",
        rf"\setCJKsansfont{{{cjk_font}}}",
    ])


def latex_document(parts: Sequence[str], *, title: str = "", cjk_font: str = DEFAULT_CJK_FONT) -> str:
    r"""A complete XeLaTeX document holding ``parts`` (tables from :func:`to_latex`, figure
    environments …) after the :func:`preamble`.

    >>> doc = latex_document([to_latex(pd.DataFrame({"a": [1]}))], title="R&D")
    >>> doc.count("\\begin{document}"), doc.count("\\end{document}"), "\\title{R\\&D}" in doc
    (1, 1, True)
    """
    head = [preamble(cjk_font=cjk_font)]
    if title:
        head += [rf"\title{{{escape_latex(title)}}}", r"\author{}", r"\date{}"]
    body = [r"\begin{document}"] + ([r"\maketitle"] if title else [])
    for part in parts:
        body += [part, ""]
    return "\n".join([*head, *body, r"\end{document}", ""])
