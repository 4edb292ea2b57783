"""Where ``read_report``'s time goes on PDF, per page, against the PDFium character pass of bench.py.

    .venv/bin/python scripts/pdf_stages.py [FOLDER ...] [--synthetic 6] [--rounds 5]

Files: the shared corpus PDFs (``GOVDISCLOSE_SHARED``/corpus), ``--synthetic N`` reports made by
:mod:`govdisclose.synth` (seed 104, the bench's; kept in ``--work``, made once) and the PDFs of
each FOLDER, in groups. Per file each stage's fastest of ``--rounds`` runs, CPU time (the machine is
shared), the stages alternating within each round; printed in µs per page and as a multiple of
the character pass (bench.py's floor for issue 11's "within 2x"):

* ``floor``: :func:`bench._pdfium_chars` (open; per page load it, its text page, each character's
  text and loose box), and its parts: loading the pages, their text pages, the per-character calls;
* ``calls only``: the PDFium calls the reader's extraction makes, the same functions as many
  times, with nothing done with their results: what extraction costs at best through these
  bindings (any Python work on top comes on top of it);
* ``extraction``: :meth:`PdfFile.page` of every page (glyphs, painted paths);
* ``read_page``: :func:`~govdisclose.readers.pdf.pages.read_page` of every page's content;
* ``reader``: :func:`~govdisclose.readers.read_document` (extraction, read_page, rows joined
  across pages, paragraphs);
* ``map``: :func:`~govdisclose.mapping.mapper.map_document` of that document;
* ``read_report``: ``read_report(path).metrics`` (what the bench times).

The last lines are bounds: with extraction at ``calls only`` (any pure-Python reader on these
bindings) or at PDFium's loading of the pages and text pages alone (nothing per character or
path: what a compiled extension could approach), and everything after extraction as measured,
read_report / floor would be at least that.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import bench  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
import pypdfium2.raw as raw  # noqa: E402

from govdisclose.mapping.mapper import map_document  # noqa: E402
from govdisclose.readers import read_document  # noqa: E402
from govdisclose.readers.grid import CellBudget  # noqa: E402
from govdisclose.readers.pdf import paths as _paths  # noqa: E402
from govdisclose.readers.pdf import pdfium as _pdfium  # noqa: E402
from govdisclose.readers.pdf.native import Pointer  # noqa: E402
from govdisclose.readers.pdf.pages import read_page  # noqa: E402

clock = time.process_time


def _floor_parts(path: str, parts: dict[str, float]) -> None:
    """The character pass, timed by part (as :func:`bench._pdfium_chars` makes it)."""
    pdf = pdfium.PdfDocument(Path(path).read_bytes())
    box = ctypes.pointer(raw.FS_RECTF())
    try:
        for k in range(len(pdf)):
            a = clock()
            page = pdf[k]
            b = clock()
            text = page.get_textpage()
            c = clock()
            for i in range(raw.FPDFText_CountChars(text.raw)):
                raw.FPDFText_GetUnicode(text.raw, i)
                raw.FPDFText_GetLooseCharBox(text.raw, i, box)
            d = clock()
            text.close()
            page.close()
            for name, t in (("  load pages", b - a), ("  text pages", c - b), ("  per-character calls", d - c)):
                parts[name] = parts.get(name, 0.0) + t
    finally:
        pdf.close()


def _calls_only(path: str) -> None:
    """The PDFium calls of :meth:`PdfFile.page` for every page, their results unused."""
    data = Path(path).read_bytes()
    doc = raw.FPDF_LoadMemDocument64(data, len(data), None)
    rect, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
    rect_p, matrix_p = ctypes.byref(rect), ctypes.byref(matrix)
    scratch = _paths._Scratch()
    x_ref, y_ref = scratch.float_refs[1], scratch.float_refs[2]
    try:
        for index in range(raw.FPDF_GetPageCount(doc)):
            page = raw.FPDF_LoadPage(doc, index)
            _pdfium._media_box(page)
            textpage = raw.FPDFText_LoadPage(page)
            tp = ctypes.cast(textpage, Pointer)
            count = raw.FPDFText_CountChars(textpage)
            _pdfium._page_text(textpage, count)
            last = None
            for i in range(count):
                obj = _pdfium._TEXT_OBJECT(tp, i)
                if obj != last:
                    last = obj
                    _pdfium._CHAR_MATRIX(tp, i, matrix_p)
                    _pdfium._FONT_SIZE(tp, i)
                _pdfium._MAP_ERROR(tp, i)
                _pdfium._LOOSE_BOX(tp, i, rect_p)
            handle = ctypes.cast(page, Pointer)
            for k in range(_paths._COUNT_OBJECTS(handle)):
                obj = Pointer(_paths._GET_OBJECT(handle, k))
                if _paths._OBJECT_TYPE(obj) != raw.FPDF_PAGEOBJ_PATH:
                    continue
                _paths._OBJECT_MATRIX(obj, scratch.matrix_ref)
                _paths._DRAW_MODE(obj, *scratch.mode_refs)
                _paths._STROKE_WIDTH(obj, scratch.float_refs[0])
                _paths._STROKE_COLOR(obj, *scratch.rgba)
                _paths._FILL_COLOR(obj, *scratch.rgba)
                for s in range(_paths._COUNT_SEGMENTS(obj)):
                    seg = _paths._SEGMENT(obj, s)
                    _paths._SEGMENT_POINT(seg, x_ref, y_ref)
                    _paths._SEGMENT_TYPE(seg)
                    _paths._SEGMENT_CLOSE(seg)
            raw.FPDFText_ClosePage(textpage)
            raw.FPDF_ClosePage(page)
    finally:
        raw.FPDF_CloseDocument(doc)


def _extraction(path: str) -> None:
    with _pdfium.PdfFile(Path(path), Path(path).read_bytes()) as pdf:
        for k in range(len(pdf)):
            pdf.page(k)


def _pages_of(path: str) -> tuple[int, Callable[[str], object]]:
    """The page count and a function reading every page's content already extracted."""
    with _pdfium.PdfFile(Path(path), Path(path).read_bytes()) as pdf:
        contents = [pdf.page(k) for k in range(len(pdf))]

    def run(_: str) -> None:
        budget = CellBudget(Path(path), 200_000, "ruled boxes")
        for content in contents:
            read_page(content, True, path, budget)

    return len(contents), run


def measure(paths: list[str], rounds: int) -> None:
    doc_of = {p: read_document(Path(p)) for p in paths}
    stages: dict[str, Callable[[str], object]] = {
        "floor": bench._pdfium_chars,
        "calls only": _calls_only,
        "extraction": _extraction,
        "read_page": lambda p: None,  # replaced per file below
        "reader": lambda p: read_document(Path(p)),
        "map": lambda p: map_document(doc_of[p]),
        "read_report": bench._full_read,
    }
    pages = 0
    best: dict[str, float] = {}
    parts: dict[str, float] = {}
    for path in paths:
        count, stages["read_page"] = _pages_of(path)
        pages += count
        bench._full_read(path)  # warm: imports, caches
        here: dict[str, float] = {}
        floor_parts: dict[str, float] | None = None
        for r in range(rounds):
            for name in (list(stages) if r % 2 == 0 else list(stages)[::-1]):
                start = clock()
                stages[name](path)
                here[name] = min(here.get(name, float("inf")), clock() - start)
            trial: dict[str, float] = {}
            _floor_parts(path, trial)
            if floor_parts is None or sum(trial.values()) < sum(floor_parts.values()):
                floor_parts = trial
        for name, t in here.items():
            best[name] = best.get(name, 0.0) + t
        for name, t in (floor_parts or {}).items():
            parts[name] = parts.get(name, 0.0) + t
    floor = best["floor"]
    print(f"  {len(paths)} files, {pages} pages; µs per page (x the character pass)")
    order = ["floor", *parts, "calls only", "extraction", "read_page", "reader", "map", "read_report"]
    values = {**best, **parts}
    for name in order:
        print(f"    {name:24s} {values[name] / pages * 1e6:8.0f}  ({values[name] / floor:4.2f}x)")
    after = best["read_report"] - best["extraction"]
    print(f"    {'after extraction':24s} {after / pages * 1e6:8.0f}  ({after / floor:4.2f}x)  (read_report - extraction)")
    print(f"    bound: read_report / floor >= {(best['calls only'] + after) / floor:4.2f} with extraction at its calls alone")
    pages_only = parts["  load pages"] + parts["  text pages"]
    print(f"    bound: read_report / floor >= {(pages_only + after) / floor:4.2f} with extraction costing only PDFium's loading of"
          " the pages and text pages (no cost per character or path: what a compiled extension could approach)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", help="more folders of PDFs (searched recursively)")
    parser.add_argument("--synthetic", type=int, default=6, help="generated reports (LibreOffice makes them once; default 6)")
    parser.add_argument("--rounds", type=int, default=5, help="runs per file and stage, the fastest counts (default 5)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/govdisclose-pdf-stages"), help="where the generated reports are kept")
    args = parser.parse_args(argv)
    shared = Path(os.environ.get("GOVDISCLOSE_SHARED", REPO.parent / "shared")) / "corpus"
    groups = [("shared corpus PDF", sorted(str(p) for p in shared.glob("*.pdf")))]
    if args.synthetic:
        from govdisclose.synth import generate_corpus

        target = args.work / f"synthetic-{args.synthetic}"
        if not target.exists():
            generate_corpus(target, args.synthetic, formats=("pdf",), seed=104, overwrite=True)
        groups.insert(0, ("synthetic PDF", sorted(str(p) for p in target.glob("*.pdf"))))
    groups += [(folder, sorted(str(p) for p in Path(folder).glob("**/*.pdf"))) for folder in args.folders]
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for label, paths in groups:
        if paths:
            print(label)
            measure(paths, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
