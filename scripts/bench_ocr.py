"""OCR section of `make bench`: time per scanned page, as a ratio to the engine's bare recognition.

For each page of each scan (the shared corpus PDFs when present, else a SYNTHETIC report rendered
by LibreOffice), scanned at office quality (300 dpi, turned, noisy, JPEG):

* ``ours``: govdisclose's OCR reader on the page (straightening, rulings, each cell recognised,
  prose detected and recognised) plus the arithmetic confirmation's re-reading of the report;
* ``bare``: RapidOCR's own pipeline (detection + classification + recognition) on the same page,
  one thread, as the engine ships it — the floor any reader built on this engine pays.

Prints per document: pages, seconds per page for both, the ratio, and pages/s per core (the engine
runs on one thread: GOVDISCLOSE_OCR_THREADS=1).

    python scripts/bench_ocr.py [--shared ../shared] [--docs N] [--pages N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("GOVDISCLOSE_OCR_THREADS", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "readers" / "ocr"))


def sources(shared: Path, folder: Path) -> list[Path]:
    corpus = shared / "corpus"
    found = sorted(corpus.glob("*.pdf")) if corpus.is_dir() else []
    if found:
        return found
    from govdisclose.synth import generate_corpus

    corpus_ = generate_corpus(folder / "synth", 1, formats=("pdf",), seed=3)
    return [Path(s) for s in corpus_.files["source"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--pages", type=int, default=0, help="pages per document for the bare engine at most (0: all)")
    parser.add_argument("--docs", type=int, default=0, help="documents at most (0: all)")
    args = parser.parse_args()
    from rapidocr_onnxruntime import RapidOCR
    from scans import scanned_pdf

    import govdisclose
    from govdisclose.readers.pdf.pdfium import PdfFile

    bare_engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
    print(f"{'document':<28}{'pages':>6}{'ours s/page':>13}{'bare s/page':>13}{'ratio':>8}{'pages/s/core':>14}")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        found = sources(args.shared, folder)
        for pdf_path in found[:args.docs] if args.docs else found:
            scan = scanned_pdf(pdf_path, folder / f"{pdf_path.stem}_scan.pdf", "office_300dpi", seed=1)
            with PdfFile(scan, scan.read_bytes()) as pdf:
                count = len(pdf) if not args.pages else min(args.pages, len(pdf))
                images = [pdf.render(i, 200 / 72) for i in range(count)]
            started = time.perf_counter()
            for image in images:
                bare_engine(image[:, :, ::-1])
            bare = (time.perf_counter() - started) / max(count, 1)
            started = time.perf_counter()
            try:
                govdisclose.read_report(scan)
            except govdisclose.GovDiscloseError as exc:
                print(f"{pdf_path.name}: {exc}")
                continue
            with PdfFile(scan, scan.read_bytes()) as pdf:
                total_pages = len(pdf)
            ours = (time.perf_counter() - started) / total_pages
            print(f"{pdf_path.name:<28}{total_pages:>6}{ours:>13.2f}{bare:>13.2f}{ours / bare:>8.2f}{1 / ours:>14.3f}")


if __name__ == "__main__":
    main()
