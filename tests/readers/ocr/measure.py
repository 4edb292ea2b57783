"""Measure OCR accuracy on a scan made here, and say why each flagged cell was flagged.

    python tests/readers/ocr/measure.py huaian_2024 fax_150dpi [--seed 1] [--dpi N] [--angle D]
        [--cells] [--crops /tmp/crops] [--unruled 4,5]

Prints exact / flagged / wrong of the report's cells against ``corpus/truth``; with ``--cells``
each flagged or wrong cell: the crop's pixel size, the first reading (text, confidence,
alternatives) and the confirmation's note (the readings seen, the equation that blocked it);
with ``--crops`` each such cell's crop saved as a PNG. With ``--unruled PAGES`` only those pages
(1-based) are scanned, with their tables' rulings erased (``scans.without_rulings``), rasterised at
the variant's dpi and read as a TIFF (cells of other pages count as absent).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))  # tests/conftest.py


def _unruled_tiff(scans, pdf: Path, out: Path, variant: str, seed: int, pages: list[int]) -> Path:  # type: ignore[no-untyped-def]
    """``pages`` of ``pdf`` without their tables' rulings, degraded as ``variant`` (page seeds as
    ``scans.scanned_pdf``'s), saved as a multi-page TIFF."""
    import numpy as np
    from PIL import Image

    dpi, *_, quality, _, _ = scans.VARIANTS[variant]
    images = scans.render(pdf, dpi)
    frames = [Image.fromarray(np.asarray(scans.jpeg(scans.degrade(scans.without_rulings(images[p - 1]), variant, seed + p,
                                                                    p == pages[-1]), quality).convert("RGB")))
              for p in pages]
    frames[0].save(out, save_all=True, append_images=frames[1:])
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("name")
    parser.add_argument("variant")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dpi", type=int, default=0)
    parser.add_argument("--angle", type=float, default=None)
    parser.add_argument("--shared", type=Path, default=Path("/work/shared"))
    parser.add_argument("--pdf", type=Path, default=None, help="a PDF other than corpus/<name>.pdf")
    parser.add_argument("--truth", type=Path, default=None)
    parser.add_argument("--cells", action="store_true")
    parser.add_argument("--crops", type=Path, default=None)
    parser.add_argument("--unruled", default=None, help="pages (1-based, comma-separated) scanned with their rulings erased")
    args = parser.parse_args()

    import cv2
    import scans
    from test_ocr import score

    import govdisclose
    from govdisclose.readers.ocr.document import OcrDocument

    if args.dpi or args.angle is not None:
        dpi, angle, *rest = scans.VARIANTS[args.variant]
        scans.VARIANTS[args.variant] = (args.dpi or dpi, angle if args.angle is None else args.angle, *rest)  # type: ignore[assignment]
    kept: dict[str, OcrDocument] = {}
    release = OcrDocument.release

    def keep(self: OcrDocument) -> None:
        kept["doc"] = self

    OcrDocument.release = keep  # type: ignore[method-assign]
    pdf = args.pdf or args.shared / "corpus" / f"{args.name}.pdf"
    truth_path = args.truth or args.shared / "corpus" / "truth" / f"{args.name}.csv"
    with tempfile.TemporaryDirectory() as work:
        if args.unruled:
            scan = _unruled_tiff(scans, pdf, Path(work) / "scan.tif", args.variant, args.seed,
                                 [int(p) for p in args.unruled.split(",")])
        else:
            scan = scans.scanned_pdf(pdf, Path(work) / "scan.pdf", args.variant, seed=args.seed)
        started = time.process_time()
        report = govdisclose.read_report(scan)
        cpu = time.process_time() - started
    OcrDocument.release = release  # type: ignore[method-assign]
    truth = pd.read_csv(truth_path, dtype=str, keep_default_na=False).assign(raw=lambda t: t["value"])
    result = score(report.metrics, truth)
    print(f"{args.name} {args.variant} seed {args.seed}: exact {len(result['exact'])} flagged {len(result['flagged'])} "
          f"wrong {len(result['wrong'])} absent {len(result['absent'])}  cpu {cpu:.1f}s")
    for a in result["absent"]:
        print("  ABSENT", a)
    for w in result["wrong"]:
        print("  WRONG", w)
    if not (args.cells or args.crops):
        return
    doc = kept["doc"]
    truth_of = {(t.table, t.item, t.applicant or None): t.value for t in truth.itertuples()}
    if args.crops:
        args.crops.mkdir(parents=True, exist_ok=True)
    for key in result["flagged"] + [w[0] for w in result["wrong"]]:
        loc = got = note = None
        for cell in report._cells:
            if (cell.table, cell.item, cell.applicant) == key:
                got = doc.reading(cell.location)
                loc, note = cell.location, cell.note
        size = f"{got.box[2] - got.box[0]}x{got.box[3] - got.box[1]}" if got else "-"
        first = f"{got.text!r} {got.confidence:.3f} alt={got.alternatives}" if got else "no reading"
        print(f"  {key[0]}/{key[1]}/{key[2] or ''} truth={truth_of.get(key)!r} r{loc.row if loc else '?'}c{loc.col if loc else '?'} "
              f"crop {size} first {first}\n      note: {note}")
        if args.crops and got and loc is not None and loc.page in doc.images:
            x0, y0, x1, y1 = got.box
            image = doc.images[loc.page]
            crop = image[max(y0 - 8, 0):y1 + 8, max(x0 - 8, 0):x1 + 8]
            cv2.imwrite(str(args.crops / f"{key[0]}_{key[1]}_{key[2] or ''}.png"), cv2.cvtColor(crop, cv2.COLOR_RGB2BGR))


if __name__ == "__main__":
    main()
