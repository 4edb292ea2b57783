"""A SYNTHETIC corpus (govdisclose.synth) whose request volumes follow each agency's own slow trend,
with level shifts injected at known agency-years: the ground truth for the anomaly tests.

synth draws every year's figures afresh, so its year-over-year changes are as wild as its
cross-agency spread. Here each report's outcome rows of table 2 are rescaled so that the
requests it concluded follow a random walk of the agency (steps of sd ``drift``) — integer cells,
every total re-added, 本年新收 re-derived from the carry-over cells that synth already chains
across years — so the template's arithmetic and the cross-year checks still hold. A jump
multiplies the walk by ``factor`` from its year on (a lasting level shift).
"""

from __future__ import annotations

import math
import random

import pandas as pd

from govdisclose.synth import SynthReport, make_report
from govdisclose.synth.corpus import agency_name
from govdisclose.synth.figures import History
from govdisclose.template.arithmetic import applicant_parts, outcome_rows, outcome_total_item

YEARS = (2019, 2020, 2021, 2022, 2023, 2024)


def _rescale(report: SynthReport, target: float) -> SynthReport:
    """The report with its outcome rows scaled so that the total concluded is about ``target``."""
    cells = report.cells()
    total_item = outcome_total_item()
    leaves = list(outcome_rows(report.template))
    concluded = sum(float(cells[("requests", total_item, a)]) for a in applicant_parts())
    if not concluded:  # synth drew a year without requests: one request to scale from
        first = applicant_parts()[0]
        cells[("requests", leaves[0], first)] = "1"
        concluded = 1.0
    factor = target / concluded
    for a in applicant_parts():
        processed = 0
        for item in leaves:
            value = round(float(cells[("requests", item, a)]) * factor)
            cells[("requests", item, a)] = str(value)
            processed += value
        carried_over = int(cells[("requests", "carried_over", a)])
        forward = int(cells[("requests", "carried_forward", a)])
        if processed + forward < carried_over:  # never a negative intake: top up the largest row
            cells[("requests", leaves[0], a)] = str(int(cells[("requests", leaves[0], a)]) + carried_over - processed - forward)
            processed = carried_over - forward
        cells[("requests", total_item, a)] = str(processed)
        cells[("requests", "new_received", a)] = str(processed + forward - carried_over)
    for item in {i for (t, i, a) in cells if t == "requests"}:
        cells[("requests", item, "total")] = str(sum(int(cells[("requests", item, a)]) for a in applicant_parts()))
    return SynthReport(report.agency, report.year, report.template, tuple(cells.values()), report.injected)


def corpus(n_agencies: int, jumps: dict[tuple[int, int], float], *, drift: float = 0.15, seed: int = 7) -> pd.DataFrame:
    """A tidy metrics frame of ``n_agencies`` × :data:`YEARS` synthetic reports, built from their
    truth; ``jumps`` maps (agency index, year) to a factor."""
    rng = random.Random(seed)
    frames = []
    for k in range(n_agencies):
        history = History()
        level = math.log(rng.uniform(30, 3000))
        for year in YEARS:
            level += rng.gauss(0, drift)
            level += math.log(jumps.get((k, year), 1.0))
            report = _rescale(make_report(agency_name(k), year, seed=rng, history=history), math.exp(level))
            truth = report.truth()
            frames.append(truth.assign(agency=report.agency, year=year, template=report.template, source=f"SYNTHETIC_{k:03d}_{year}",
                                       state=["number" if raw.strip() else "blank" for raw in truth["raw"]]))
    frame = pd.concat(frames, ignore_index=True)
    frame["year"] = frame["year"].astype("Int64")
    for column in ("agency", "template", "table", "item", "applicant", "raw", "state", "source"):
        frame[column] = frame[column].astype("string")
    return frame
