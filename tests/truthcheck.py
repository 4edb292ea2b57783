"""Cell-by-cell comparison of read metrics against a hand-checked truth CSV."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

PLACEHOLDERS = {"/", "-", "—", "——", "无", "－"}


def load_truth(path: Path) -> pd.DataFrame:
    truth = pd.read_csv(path, dtype=str, keep_default_na=False)
    return truth


def compare(metrics: pd.DataFrame, truth_path: Path) -> dict[str, list]:
    """Return {'exact': [...], 'flagged': [...], 'wrong': [...], 'missing': [...], 'extra': [...]}.

    exact: the cell's state/value match the truth (blank <-> empty, placeholder <-> na with the
    same raw text, number <-> equal decimal value). flagged: state 'unreadable' (allowed only
    where the test says so). wrong: anything else.
    """
    truth = load_truth(truth_path)
    got = {}
    for row in metrics.itertuples(index=False):
        applicant = None if pd.isna(row.applicant) else row.applicant
        got[(row.table, row.item, applicant)] = row
    out: dict[str, list] = {"exact": [], "flagged": [], "wrong": [], "missing": [], "extra": []}
    seen = set()
    for t in truth.itertuples(index=False):
        key = (t.table, t.item, t.applicant if isinstance(t.applicant, str) and t.applicant else None)
        seen.add(key)
        row = got.get(key)
        if row is None:
            out["missing"].append(key)
            continue
        if row.state == "unreadable":
            out["flagged"].append((key, t.value, row.note if hasattr(row, "note") else ""))
            continue
        want = t.value.strip()
        if want == "":
            ok = row.state == "blank"
        elif want in PLACEHOLDERS:
            ok = row.state == "na"
        else:
            ok = row.state == "number" and not pd.isna(row.value) and Decimal(str(row.value)) == Decimal(want)
        (out["exact"] if ok else out["wrong"]).append((key, want, row.state, row.value, row.raw))
    out["extra"] = [k for k in got if k not in seen]
    return out
