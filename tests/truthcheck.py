"""Cell-by-cell comparison of read metrics against a hand-checked truth CSV."""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from pathlib import Path
from typing import Any

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
    got: dict[tuple[str, str, str | None], dict[Hashable, Any]] = {}
    for row in metrics.to_dict("records"):
        applicant = None if pd.isna(row["applicant"]) else row["applicant"]
        got[(row["table"], row["item"], applicant)] = row
    out: dict[str, list] = {"exact": [], "flagged": [], "wrong": [], "missing": [], "extra": []}
    seen = set()
    for t in truth.to_dict("records"):
        key = (t["table"], t["item"], t["applicant"] if isinstance(t["applicant"], str) and t["applicant"] else None)
        seen.add(key)
        found = got.get(key)
        if found is None:
            out["missing"].append(key)
            continue
        if found["state"] == "unreadable":
            out["flagged"].append((key, t["value"], found.get("note", "")))
            continue
        want = str(t["value"]).strip()
        if want == "":
            ok = found["state"] == "blank"
        elif want in PLACEHOLDERS:
            ok = found["state"] == "na"
        else:
            ok = found["state"] == "number" and not pd.isna(found["value"]) and Decimal(str(found["value"])) == Decimal(want)
        (out["exact"] if ok else out["wrong"]).append((key, want, found["state"], found["value"], found.get("raw")))
    out["extra"] = [k for k in got if k not in seen]
    return out
