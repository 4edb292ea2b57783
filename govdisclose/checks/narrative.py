"""The soft ``narrative`` rule: figures repeated in the prose should match the tables.

Reports often restate table 3 in section 一 or 三 (``全年收处政府信息公开申请18件，已依法办结17件，
正在办理1件``). A mismatch is a ``warning``: the prose may count differently (a 区政府办 speaking for
itself only), so it is reported, never used to change a number.

>>> import govdisclose
>>> report = govdisclose.read_report(govdisclose.sample_path("mfa_2023.txt"))
>>> [(c.item, c.prose_value) for c in narrative_claims(report.sections)]
[('new_received', 18), ('total_processed', 17), ('carried_forward', 1)]
>>> check_narrative(report).empty
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from govdisclose.records import Finding, Location, findings_frame
from govdisclose.template.normalize import fold_width, to_simplified

__all__ = ["Claim", "narrative_claims", "narrative_findings", "check_narrative"]

_N = r"(\d+)\s*件"
# (item, pattern): the number in group 1 (or the last group) is the claim.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("new_received", re.compile(r"(?:收到|收处|受理|新收|接收)[^。；，,\d]{0,16}?申请\s*" + _N)),
    ("new_received", re.compile(r"(?:共|全年)(?:收到|收处|受理|接收)\s*" + _N + r"\s*(?:政府信息公开)?申请")),
    ("total_processed", re.compile(r"(?:已|依法|及时)?[^。；，,\d]{0,8}办结\s*" + _N)),
    ("carried_forward", re.compile(r"(\d+)\s*件\s*(?:结转|转入?)下一?年度?")),
    ("carried_forward", re.compile(r"正在办理\s*" + _N)),
)


@dataclass(frozen=True, slots=True)
class Claim:
    """A figure stated in the prose: which total it restates, the number, and the sentence."""

    item: str
    prose_value: int
    section: str
    sentence: str


def narrative_claims(sections: dict[str, str]) -> list[Claim]:
    """Figures about table 3 stated in sections 一 and 三 (first mention of each total)."""
    claims: dict[str, Claim] = {}
    for key in ("一", "三"):
        text = to_simplified(fold_width(sections.get(key, "")))
        for sentence in re.split(r"(?<=[。；])", text):
            for item, pattern in _PATTERNS:
                if item in claims:
                    continue
                match = pattern.search(sentence)
                if match:
                    claims[item] = Claim(item, int(match.group(match.lastindex or 1)), key, sentence.strip()[:160])
    order = ["new_received", "total_processed", "carried_forward"]
    return sorted(claims.values(), key=lambda c: order.index(c.item))


def narrative_findings(report) -> list[Finding]:
    """A ``narrative`` warning for each total the prose states and table ``requests`` prints differently.

    >>> import govdisclose
    >>> narrative_findings(govdisclose.read_report(govdisclose.sample_path("mfa_2023.txt")))
    []
    """
    m = report.metrics
    found: list[Finding] = []
    for claim in narrative_claims(report.sections):
        cell = m[(m["table"] == "requests") & (m["item"] == claim.item) & (m["applicant"] == "total")]
        if cell.empty or pd.isna(cell["value"].iloc[0]):
            continue
        printed = float(cell["value"].iloc[0])
        if printed != claim.prose_value:
            found.append(Finding(
                "narrative", "warning",
                f"the prose says {claim.prose_value} ({claim.sentence!r}); table requests prints {printed:g}",
                Location(detail=f"section {claim.section}"), "requests", claim.item, "total", float(claim.prose_value), printed,
            ))
    return found


def check_narrative(report) -> pd.DataFrame:
    """Warnings where the prose states a table-3 total that the table does not show.

    Returns rows shaped like :func:`govdisclose.validate`'s findings (rule ``narrative``).
    """
    return findings_frame(f.row(agency=report.agency, year=report.year, source=report.source) for f in narrative_findings(report))
