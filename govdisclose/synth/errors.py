"""Known errors injected into a SYNTHETIC report, each breaking exactly one rule of
:func:`govdisclose.validate`."""

from __future__ import annotations

import random

from govdisclose.synth.report import Key, SynthReport
from govdisclose.template.catalogue import template_cells

__all__ = ["ERROR_KINDS", "inject_error"]

#: Error kinds :func:`inject_error` knows, each named after the validate rule it breaks.
ERROR_KINDS: tuple[str, ...] = (
    "requests.row_total", "requests.balance", "requests.outcome_total", "review_litigation.block_total", "domain",
)


def inject_error(report: SynthReport, kind: str, *, seed: int | random.Random = 0) -> SynthReport:
    """A copy of ``report`` with one known error that breaks exactly the validate rule ``kind``.

    The changed cells are listed in ``injected`` (``table, item, applicant, printed, correct,
    rule``). Row and column totals are kept in step where that isolates the rule: e.g. for
    ``requests.outcome_total`` the ``granted`` cell of one applicant and of the ``total`` column
    are both raised, so the row totals still agree and only the outcome sums fail.

    >>> from govdisclose.synth import make_report
    >>> r = inject_error(make_report("示例东山县交通运输局", 2023, seed=3), "review_litigation.block_total")
    >>> [(c["item"], c["rule"]) for c in r.injected]
    [('review.total', 'review_litigation.block_total')]
    """
    if kind not in ERROR_KINDS:
        raise ValueError(f"unknown error kind {kind!r}; kinds are {', '.join(ERROR_KINDS)}")
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    cells = report.cells()
    delta = rng.randint(1, 9)
    if kind == "requests.row_total":
        changes: list[Key] = [("requests", item, "total") for item in ("new_received", "granted", "total_processed")]
    elif kind == "requests.balance":
        changes = [("requests", "carried_forward", a) for a in ("natural_person", "total")]
    elif kind == "requests.outcome_total":
        changes = [("requests", "granted", a) for a in ("natural_person", "total")]
    elif kind == "review_litigation.block_total":
        changes = [("review_litigation", "review.total", None)]
    else:
        changes = [("active_disclosure", "licensing.decisions", None)]
    injected = []
    for key in changes:
        correct = cells[key]
        new = str(-int(correct) - delta) if kind == "domain" else str(int(correct) + delta)
        cells[key] = new
        injected.append({"table": key[0], "item": key[1], "applicant": key[2], "printed": new, "correct": correct, "rule": kind})
    printed = tuple(cells[key] for key in template_cells(report.template))
    return SynthReport(report.agency, report.year, report.template, printed, report.injected + injected)


