"""Reproduce a silently wrong OCR value: table 3's columns not told apart, every cell re-read at its row's box.

    python scripts/ocr_column_collapse.py [--variant office_300dpi] [--seed 31] [--shared /work/shared] [--keep DIR]

平潭 2019 (``corpus/pingtan_2019.html``) with two edits, in a temporary folder:

- its 科研机构 header printed 科研机沟 (the misread OCR makes of it on every scan of this report), so the
  requests header plan has a column it cannot name and "the columns of table requests cannot be told
  apart": the mapper puts all seven cells of every row ``unreadable`` at the row's location;
- the 自然人 and 商业企业 values of table 3 swapped (the arithmetic still holds), so the first value
  column is all zeros.

Read directly (HTML or the rendered PDF's text layer) the table is flagged whole: nothing wrong. Scanned
and read by OCR, the confirmation step re-reads each unreadable cell at the row's location (the 自然人
box: 0), finds "every reading agrees and its equations hold" (all seven 0, so row totals and column
balances hold) and takes 0 for 商业企业 and 总计 where the page prints 23, 7, 1, ... The script prints the
scores and exits 1 if any cell is wrong.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from ocr_unseen import AUTOSPACE, direct_score, render  # noqa: E402

CELL = re.compile(r"<td\b[^>]*>.*?</td>", re.DOTALL | re.IGNORECASE)
ROW = re.compile(r"<tr\b.*?</tr>", re.DOTALL | re.IGNORECASE)


def _text(cell: str) -> str:
    return re.sub(r"<[^>]+>|&nbsp;|\s", "", cell)


def _swap_first_two(row: str) -> str:
    """A table-3 row with its 自然人 and 商业企业 numbers swapped (rows of seven numbers only)."""
    cells = list(CELL.finditer(row))
    if len(cells) < 7 or not all(re.fullmatch(r"\d+", _text(c.group(0))) for c in cells[-7:]):
        return row
    a, b = cells[-7], cells[-6]
    ta, tb = _text(a.group(0)), _text(b.group(0))
    new_a = a.group(0).replace(f">{ta}<", f">{tb}<", 1)
    new_b = b.group(0).replace(f">{tb}<", f">{ta}<", 1)
    return row[:a.start()] + new_a + row[a.end():b.start()] + new_b + row[b.end():]


def edited_html(text: str) -> str:
    """平潭 2019 with the 科研机沟 header and table 3's first two value columns swapped."""
    text = AUTOSPACE.sub("", text).replace("科研机构", "科研机沟")
    start = [m.start() for m in re.finditer(r"<table", text)][1]  # table 3 (table 2 is the first)
    end = text.find("</table>", start)
    return text[:start] + ROW.sub(lambda m: _swap_first_two(m.group(0)), text[start:end]) + text[end:]


def edited_truth(truth: pd.DataFrame) -> pd.DataFrame:
    rows = truth["table"] == "requests"
    nat, com = rows & (truth["applicant"] == "natural_person"), rows & (truth["applicant"] == "commercial_enterprise")
    swapped = truth.copy()
    swapped.loc[nat, "value"] = truth.loc[nat, "item"].map(truth.loc[com].set_index("item")["value"]).to_numpy()
    swapped.loc[com, "value"] = truth.loc[com, "item"].map(truth.loc[nat].set_index("item")["value"]).to_numpy()
    return swapped


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--variant", default="office_300dpi")
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--shared", type=Path, default=Path("/work/shared"))
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        folder = args.keep or Path(work)
        folder.mkdir(parents=True, exist_ok=True)
        html = folder / "source" / "pingtan_2019.html"
        html.parent.mkdir(exist_ok=True)
        html.write_text(edited_html((args.shared / "corpus" / "pingtan_2019.html").read_text(encoding="utf-8")), encoding="utf-8")
        truth_path = folder / "truth.csv"
        truth = pd.read_csv(args.shared / "corpus" / "truth" / "pingtan_2019.csv", dtype=str, keep_default_na=False)
        edited_truth(truth).to_csv(truth_path, index=False)
        pdf = render(html, folder, landscape=False)
        direct = direct_score(pdf, truth_path)
        print("direct (no OCR): " + " ".join(f"{k} {len(v)}" for k, v in direct.items()), flush=True)
        result = subprocess.run([sys.executable, str(REPO / "tests" / "readers" / "ocr" / "measure.py"), "pingtan_2019",
                                 args.variant, "--seed", str(args.seed), "--pdf", str(pdf), "--truth", str(truth_path),
                                 "--shared", str(args.shared)], capture_output=True, text=True, check=False)
        print(result.stdout, result.stderr, sep="", end="")
        sys.exit(1 if "  WRONG" in result.stdout else 0)


if __name__ == "__main__":
    main()
