"""Accuracy on the real corpus: exact / flagged / wrong cells per document against the hand-checked truth.

    python scripts/accuracy.py [--shared ../shared] [--json out.json]

Reads every report in ``shared/corpus`` (and ``shared/corpus/pingtan_depts``) that has a truth file and
prints one line per document. ``wrong`` counts cells whose state or value differs from the truth
(a flagged ``unreadable`` cell is not wrong); ``missing`` counts truth cells the report did not return.
Used to show that a change kept accuracy (numbers before and after go in the closing note).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import govdisclose  # noqa: E402

from truthcheck import compare  # noqa: E402


def documents(shared: Path) -> list[tuple[Path, Path]]:
    out = []
    for folder in (shared / "corpus", shared / "corpus" / "pingtan_depts"):
        for path in sorted(folder.iterdir()):
            truth = folder / "truth" / f"{path.stem}.csv"
            if path.is_file() and truth.exists():
                out.append((path, truth))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    rows = {}
    for path, truth in documents(args.shared):
        try:
            result = compare(govdisclose.read_report(path).metrics, truth)
            counts = {k: len(v) for k, v in result.items() if k != "extra"}
        except govdisclose.GovDiscloseError as exc:
            counts = {"error": f"{type(exc).__name__}: {exc}"}
        rows[path.name] = counts
        print(f"{path.name:28} " + "  ".join(f"{k} {v}" for k, v in counts.items()))
    total = {k: sum(r.get(k, 0) for r in rows.values() if "error" not in r) for k in ("exact", "flagged", "wrong", "missing")}
    print(f"{'total':28} " + "  ".join(f"{k} {v}" for k, v in total.items()))
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
