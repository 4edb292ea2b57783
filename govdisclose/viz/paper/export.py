"""Writing a paper's outputs: figures as PDF/SVG (PNG too) with the CJK font travelling with the
file, the fonts a PDF embeds (to check that it does), and tables as CSV + LaTeX + codebook.

Figures go through :func:`govdisclose.viz.figure.save_figure` (TrueType/CID fonts embedded in PDF,
``pdf.fonttype`` 42; SVG text as outlines, ``svg.fonttype`` ``path``). :func:`pdf_fonts` reads the
font dictionaries of a PDF and says which fonts have an embedded font file (``/FontFile``,
``/FontFile2`` or ``/FontFile3``), so a test or a reader can check that nothing depends on the
fonts of the machine that opens it.

>>> import tempfile, govdisclose
>>> from govdisclose.viz import plots
>>> fig = plots.ranking_plot(govdisclose.compare_agencies(govdisclose.load_sample(), 2023, indicator="disclosure_rate"))
>>> paths = save_figures({"ranking": fig}, tempfile.mkdtemp(), formats=(".pdf",))
>>> fonts = pdf_fonts(paths["ranking.pdf"])
>>> bool(fonts["embedded"].all()), any("CJK" in name for name in fonts["font"])
(True, True)
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from govdisclose.exceptions import GovDiscloseError
from govdisclose.viz.figure import save_figure

__all__ = ["save_figures", "pdf_fonts", "export_tables", "FIGURE_SUFFIXES"]

#: What :func:`save_figures` writes by default.
FIGURE_SUFFIXES: tuple[str, ...] = (".pdf", ".svg")

_OBJECT = re.compile(rb"(\d+)\s+(\d+)\s+obj\b(.*?)\bendobj", re.S)
_STREAM = re.compile(rb"<<(.*?)>>\s*stream\r?\n(.*?)\r?\nendstream", re.S)


def save_figures(figures: Mapping[str, Any], folder: str | os.PathLike[str], *, formats: Sequence[str] = FIGURE_SUFFIXES) -> dict[str, Path]:
    """Save each figure as ``<folder>/<name><suffix>`` for every suffix; return ``{file name: path}``."""
    out: dict[str, Path] = {}
    for name, fig in figures.items():
        for suffix in formats:
            suffix = suffix if suffix.startswith(".") else f".{suffix}"
            path = save_figure(fig, Path(folder) / f"{name}{suffix}")
            out[path.name] = path
    return out


def _dictionaries(data: bytes) -> list[bytes]:
    """Every object body of a PDF, with object streams (``/Type /ObjStm``) unpacked."""
    bodies = [m.group(3) for m in _OBJECT.finditer(data)]
    for head, stream in _STREAM.findall(data):
        if b"/ObjStm" in head and b"/FlateDecode" in head:
            try:
                bodies.append(zlib.decompress(stream))
            except zlib.error:
                continue
    return bodies


def pdf_fonts(path: str | os.PathLike[str]) -> pd.DataFrame:
    """The fonts of a PDF: one row per font descriptor with its ``font`` name (``/FontName``,
    subset prefix kept), the embedded file key (``FontFile``, ``FontFile2`` TrueType,
    ``FontFile3`` CFF/OpenType; empty if none) and ``embedded``; plus fonts with no descriptor at
    all (the 14 standard fonts, never embedded), from their ``/BaseFont``.
    """
    data = Path(path).read_bytes()
    if not data.startswith(b"%PDF"):
        raise GovDiscloseError(f"pdf_fonts: {Path(path).name} is not a PDF file")
    rows: list[dict[str, Any]] = []
    described: set[str] = set()
    bodies = _dictionaries(data)
    for body in bodies:
        if b"/FontDescriptor" in body and b"/FontName" in body:
            name = re.search(rb"/FontName\s*/([^\s/<>\[\]()]+)", body)
            key = re.search(rb"/(FontFile[23]?)\b", body)
            font = name.group(1).decode("latin-1") if name else ""
            described.add(font)
            rows.append({"font": font, "file": key.group(1).decode() if key else "", "embedded": key is not None})
    for body in bodies:
        if re.search(rb"/Type\s*/Font\b", body) and b"/FontDescriptor" not in body and b"/DescendantFonts" not in body \
                and b"/Type3" not in body:
            base = re.search(rb"/BaseFont\s*/([^\s/<>\[\]()]+)", body)
            font = base.group(1).decode("latin-1") if base else ""
            if font and font not in described:
                rows.append({"font": font, "file": "", "embedded": False})
    return pd.DataFrame(rows, columns=["font", "file", "embedded"])


def export_tables(tables: Mapping[str, pd.DataFrame], folder: str | os.PathLike[str], *, metrics: pd.DataFrame | None = None,
                  latex: Mapping[str, str] | None = None, describe: Mapping[str, Any] | None = None,
                  relative_to: str | os.PathLike[str] | None = None) -> dict[str, Path]:
    """Write each table as ``<name>.csv`` (values as computed: fractions, not percentages;
    ``<NA>`` as an empty field), its LaTeX (``latex``: ``{name: tex}``) as ``<name>.tex``, the
    sources of ``metrics`` as ``sources.csv`` (with SHA-256) and the codebook of all of them
    (their columns, codes and the sources with their hashes) as ``codebook.csv``; return
    ``{file name: path}``.

    >>> import tempfile, govdisclose
    >>> sample = govdisclose.load_sample()
    >>> files = export_tables({"ranking": govdisclose.compare_agencies(sample, 2023, indicator="disclosure_rate")},
    ...                       tempfile.mkdtemp(), metrics=sample)
    >>> sorted(files)
    ['codebook.csv', 'ranking.csv', 'sources.csv']
    """
    from govdisclose.viz.paper.codebook import codebook, sources_table

    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    frames = dict(tables)
    if metrics is not None:
        frames["sources"] = sources_table(metrics, relative_to=Path(relative_to) if relative_to else None)
    out: dict[str, Path] = {}
    for name, frame in frames.items():
        if "/" in name or name in ("codebook",):
            raise GovDiscloseError(f"export_tables: {name!r} cannot be a table name")
        flat = frame.reset_index() if any(n is not None for n in frame.index.names) else frame
        flat.to_csv(root / f"{name}.csv", index=False)
        out[f"{name}.csv"] = root / f"{name}.csv"
        if latex and name in latex:
            (root / f"{name}.tex").write_text(latex[name] + "\n", encoding="utf-8")
            out[f"{name}.tex"] = root / f"{name}.tex"
    codebook(frames, describe=describe, sources=frames.get("sources")).to_csv(root / "codebook.csv", index=False)
    out["codebook.csv"] = root / "codebook.csv"
    return out
