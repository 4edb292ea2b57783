"""OCR measured on reports the OCR was never tuned on: real HTML reports rendered to PDF, then scanned.

    python scripts/ocr_unseen.py [pingtan_2024 shuyang_fgj_2023 pingtan_2019] [--variants office_300dpi fax_150dpi]
        [--seed 31] [--landscape shuyang_fgj_2023] [--no-autospace pingtan_2019] [--shared /work/shared]
        [--keep DIR] [--cells]

For each named report: ``corpus/NAME.html`` is copied into a temporary folder, every remote reference
(``src``/``href`` to ``http(s)://`` or ``//``, CSS ``url(...)`` to the web) is emptied so that nothing is
fetched, LibreOffice renders it to PDF (its own profile in the temporary folder, with a timeout), and:

1. the PDF is read directly (text layer, no OCR) and scored against ``corpus/truth/NAME.csv``, so that
   the OCR figures can be told apart from what the PDF reading itself gets wrong;
2. each variant is measured, one after the other, with ``tests/readers/ocr/measure.py`` (scan made from
   the rendered PDF, read by OCR, scored against the truth).

``--landscape NAME`` renders that report on A4 landscape (a wide table that would be clipped on a portrait
page). ``--no-autospace NAME`` drops that report's CSS ``TEXT-AUTOSPACE`` declarations: LibreOffice
underlines every paragraph and cell that carries ``TEXT-AUTOSPACE: ideograph-numeric`` (平潭 2019 prints all its
digits underlined then), which a browser does not. Nothing is downloaded and nothing is written outside the temporary folder (or ``--keep``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "readers" / "ocr"))
sys.path.insert(0, str(REPO / "tests"))

REMOTE_ATTR = re.compile(r"""(src|href)\s*=\s*(["'])(?:https?:)?//[^"']*\2""", re.IGNORECASE)
REMOTE_URL = re.compile(r"""url\(\s*["']?(?:https?:)?//[^)]*\)""", re.IGNORECASE)
AUTOSPACE = re.compile(r"TEXT-AUTOSPACE:\s*[a-z-]+;?", re.IGNORECASE)
LANDSCAPE = "<style>@page { size: 297mm 210mm; margin: 10mm; }</style>"
TIMEOUT = 300


def offline_html(text: str, landscape: bool, autospace: bool = True) -> str:
    """``text`` with every reference to the web emptied (an A4-landscape page rule, and no
    ``TEXT-AUTOSPACE``, if asked)."""
    text = REMOTE_URL.sub("none", REMOTE_ATTR.sub(r"\1=\2\2", text))
    if not autospace:
        text = AUTOSPACE.sub("", text)
    if landscape:
        text = re.sub(r"<head[^>]*>", lambda m: m.group(0) + LANDSCAPE, text, count=1, flags=re.IGNORECASE)
    return text


def render(html: Path, folder: Path, landscape: bool, autospace: bool = True) -> Path:
    """``html`` rendered to a PDF in ``folder`` by LibreOffice (the input is only read)."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        raise SystemExit("LibreOffice (soffice) is not installed")
    copy = folder / html.name
    copy.write_text(offline_html(html.read_text(encoding="utf-8", errors="replace"), landscape, autospace), encoding="utf-8")
    profile = (folder / "lo_profile").as_uri()
    subprocess.run([program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(copy)], check=True, timeout=TIMEOUT, capture_output=True)
    pdf = folder / f"{html.stem}.pdf"
    if not pdf.exists():
        raise SystemExit(f"LibreOffice made no PDF of {html.name}")
    return pdf


def direct_score(pdf: Path, truth_path: Path) -> dict[str, list]:
    """exact / flagged / wrong / absent of ``pdf`` read from its text layer."""
    import pandas as pd
    from test_ocr import score

    import govdisclose

    report = govdisclose.read_report(pdf)
    truth = pd.read_csv(truth_path, dtype=str, keep_default_na=False).assign(raw=lambda t: t["value"])
    return score(report.metrics, truth)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="*", default=["pingtan_2024", "shuyang_fgj_2023", "pingtan_2019"])
    parser.add_argument("--variants", nargs="*", default=["office_300dpi", "fax_150dpi"])
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--landscape", nargs="*", default=[])
    parser.add_argument("--no-autospace", nargs="*", default=[], dest="no_autospace")
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("GOVDISCLOSE_SHARED", "/work/shared")))
    parser.add_argument("--keep", type=Path, default=None, help="render into this folder and keep the PDFs")
    parser.add_argument("--cells", action="store_true", help="pass --cells to measure.py")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as work:
        folder = args.keep or Path(work)
        folder.mkdir(parents=True, exist_ok=True)
        for name in args.names:
            truth = args.shared / "corpus" / "truth" / f"{name}.csv"
            pdf = render(args.shared / "corpus" / f"{name}.html", folder, name in args.landscape, name not in args.no_autospace)
            direct = direct_score(pdf, truth)
            print(f"{name} direct (no OCR): " + " ".join(f"{k} {len(v)}" for k, v in direct.items()), flush=True)
            for key in direct["wrong"]:
                print("  DIRECT WRONG", key, flush=True)
            for variant in args.variants:
                command = [sys.executable, str(REPO / "tests" / "readers" / "ocr" / "measure.py"), name, variant,
                           "--seed", str(args.seed), "--pdf", str(pdf), "--truth", str(truth),
                           "--shared", str(args.shared)] + (["--cells"] if args.cells else [])
                subprocess.run(command, check=False, env={**os.environ, "PYTHONPATH": str(REPO)})


if __name__ == "__main__":
    main()
