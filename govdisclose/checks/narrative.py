"""The soft ``narrative`` rule: figures restated in the prose should match the tables.

Reports restate their tables in the prose (``全年收处政府信息公开申请18件，已依法办结17件，正在办理1件``;
``现行有效行政规范性文件393件``; ``行政复议案件2件、行政诉讼案件7件``). Every restated figure with a
table counterpart is compared: requests received, carried over, concluded and carried forward, each
outcome (one row, or the sum of a group's rows: 不予公开 is the sum of its eight reasons), reviews
and lawsuits by result (a lawsuit figure is direct + after-review), normative documents issued and
in force, fees (万元, compared at the prose's rounding). The wording is the template's
(:mod:`govdisclose.template.vocabulary.prose`).

Only the whole unit's figure for the report year is compared, with the care of the pre-2019 reader
(markers of :mod:`govdisclose.template.vocabulary.headline`): a clause naming a sub-unit
(区直部门、乡镇 … unless 全区/我局 …), a cumulative sentence (累计、截至 …, except for a stock such as
现行有效), another year or a change (上年、同比、增加 …, another year named) is skipped. A mismatch is
a ``warning`` (the prose may round or speak of a sub-unit), never used to change a number; its
location is the prose paragraph's with the quoted phrase, and the table cell's location follows.

>>> import govdisclose
>>> report = govdisclose.read_report(govdisclose.sample_path("mfa_2023.txt"))
>>> [(c.item, c.prose_value) for c in narrative_claims(report.sections, year=report.year)]
[('new_received', 18), ('total_processed', 17), ('carried_forward', 1)]
>>> check_narrative(report).empty
True
>>> pingtan = govdisclose.read_report(govdisclose.sample_path("pingtan_2023.txt"))
>>> [(f.item, f.expected) for f in narrative_findings(pingtan)]  # the table's run 77|132|470 is ambiguous
[('normative_documents.in_force', 393.0)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from govdisclose.records import Finding, Location, findings_frame
from govdisclose.template.normalize import fold_width, to_simplified
from govdisclose.template.vocabulary import headline as markers
from govdisclose.template.vocabulary.prose import IN_FORCE_CLAIMS, SPEAKS_FOR_WHOLE, restated_figures, split_sentences

__all__ = ["Claim", "COUNTERPARTS", "narrative_claims", "narrative_findings", "check_narrative"]

_SECTIONS = ("一", "二", "三", "四", "五", "六")
_CLAUSE_END = re.compile(r"[，,：:、]")
# The mapper's note on an unreadable cell lists what it might be (``candidates for this cell: 470, 70``).
_CANDIDATES = re.compile(r"candidates for this cell: ([\d., ]+)")

#: claim -> (table, alternatives): each alternative is a tuple of items summed; an item missing
#: from the table is the sum of its group's rows (``denied`` = ``denied.*``). The first
#: alternative the report prints is used.
COUNTERPARTS: dict[str, tuple[str, tuple[tuple[str, ...], ...]]] = {
    "new_received": ("requests", (("new_received",),)),
    "carried_over": ("requests", (("carried_over",),)),
    "total_processed": ("requests", (("total_processed",),)),
    "carried_forward": ("requests", (("carried_forward",),)),
    "granted_or_partial": ("requests", (("granted", "partially_granted"),)),
    "granted": ("requests", (("granted",),)),
    "partially_granted": ("requests", (("partially_granted",),)),
    "denied": ("requests", (("denied",),)),
    "unable": ("requests", (("unable",),)),
    "not_processed": ("requests", (("not_processed",),)),
    "other_handling": ("requests", (("other_handling",),)),
    "review.total": ("review_litigation", (("review.total",),)),
    "review.upheld": ("review_litigation", (("review.upheld",),)),
    "review.corrected": ("review_litigation", (("review.corrected",),)),
    "litigation.total": ("review_litigation", (("litigation_direct.total", "litigation_after_review.total"),)),
    "litigation.upheld": ("review_litigation", (("litigation_direct.upheld", "litigation_after_review.upheld"),)),
    "litigation.corrected": ("review_litigation", (("litigation_direct.corrected", "litigation_after_review.corrected"),)),
    "normative_in_force": ("active_disclosure", (("normative_documents.in_force",),)),
    "normative_issued": ("active_disclosure", (("normative_documents.issued",), ("normative_documents.new_made",))),
    "fees": ("active_disclosure", (("fees.amount",),)),
}


@dataclass(frozen=True, slots=True)
class Claim:
    """A figure stated in the prose: which claim it is, the number, the section, sentence and phrase."""

    item: str
    prose_value: int | float
    section: str
    sentence: str
    phrase: str = ""


def _whole_unit_year(sentence: str, m: re.Match[str], claim: str, year: int | None) -> bool:
    """Whether the figure matched in ``sentence`` is the whole unit's for the report year."""
    before = sentence[: m.start()]
    clause = before[max((c.end() for c in _CLAUSE_END.finditer(before)), default=0):]
    whole = markers.WHOLE_MARKERS.search(clause) or SPEAKS_FOR_WHOLE.search(clause)
    if markers.SUBUNIT_MARKERS.search(clause) and not whole:
        return False
    if markers.OTHER_YEAR_MARKERS.search(clause):
        return False
    if claim not in IN_FORCE_CLAIMS and markers.CUMULATIVE_MARKERS.search(before):
        return False
    if claim == "new_received" and markers.SHARE_AFTER.search(sentence[m.end():m.end() + 4]):
        return False
    named = [int(y) for y in markers.YEAR_MENTION.findall(before)]
    return not (year is not None and named and named[-1] != year)


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def narrative_claims(sections: dict[str, str], *, year: int | None = None) -> list[Claim]:
    """Figures with a table counterpart stated in the six sections (the first mention of each claim).

    ``year`` (the report year) lets a figure of another named year be skipped.
    """
    claims: dict[str, Claim] = {}
    for key in _SECTIONS:
        text = to_simplified(fold_width(sections.get(key, "")))
        for sentence in split_sentences(text):
            for claim, m in restated_figures(sentence):
                if claim in claims or not _whole_unit_year(sentence, m, claim, year):
                    continue
                claims[claim] = Claim(claim, _number(m.group("n")), key, sentence[:160], m.group(0))
    order = list(COUNTERPARTS)
    return sorted(claims.values(), key=lambda c: order.index(c.item))


def _rows(m: pd.DataFrame, table: str, item: str) -> pd.DataFrame | None:
    """The cells of one item (or of its group's rows) in ``table``; None if the report prints neither."""
    in_table = m[m["table"] == table]
    if table == "requests":
        in_table = in_table[in_table["applicant"] == "total"]
    items = in_table["item"].astype(str)
    exact = in_table[items == item]
    if not exact.empty:
        return exact
    group = in_table[items.str.startswith(item + ".")]
    return group if not group.empty else None


def _printed(m: pd.DataFrame, claim: str) -> tuple[str, float, str, tuple[float, ...]] | None:
    """(item, printed value, cell location, candidates) of a claim's counterpart, or None if not printed.

    A single unreadable cell gives value NaN and the candidates the mapper listed for it; any
    other blank or unreadable part gives None (nothing to compare).
    """
    table, alternatives = COUNTERPARTS[claim]
    for items in alternatives:
        parts = [_rows(m, table, item) for item in items]
        if any(p is None for p in parts):
            continue
        cells = pd.concat([p for p in parts if p is not None])
        if cells["value"].isna().any():
            found = _CANDIDATES.search(str(cells["note"].iloc[0])) if len(cells) == 1 else None
            if found is None:
                return None
            candidates = tuple(float(c) for c in re.findall(r"\d+(?:\.\d+)?", found.group(1)))
            return (items[0], float("nan"), str(cells["location"].iloc[0]), candidates)
        where = "; ".join(f"{it} {loc}" for it, loc in zip(cells["item"].astype(str), cells["location"].astype(str)))
        if len(cells) == 1:
            where = str(cells["location"].iloc[0])
        elif len(cells) > 3:
            where = f"sum of {len(cells)} cells from {cells['location'].astype(str).iloc[0]}"
        return ("+".join(items), float(cells["value"].sum()), where, ())
    return None


def _agrees(prose: int | float, printed: float) -> bool:
    """Equal, or equal at the prose's rounding (``5949.09`` for a printed ``5949.0887``)."""
    if float(prose) == printed:
        return True
    exponent = Decimal(str(prose)).as_tuple().exponent
    if isinstance(prose, float) and isinstance(exponent, int) and exponent < 0:
        return round(printed, -exponent) == prose
    return False


def _prose_location(report, claim: Claim) -> Location:
    """The paragraph where the claim's phrase is printed, with the quoted phrase as detail."""
    for par in report.paragraphs:
        if claim.phrase and claim.phrase in to_simplified(fold_width(par.text)):
            return par.location.with_detail(f"“{claim.phrase}”")
    return Location(file=report.source, detail=f"section {claim.section}: “{claim.phrase}”")


def narrative_findings(report) -> list[Finding]:
    """A ``narrative`` warning for each figure the prose states and the table prints differently.

    >>> import govdisclose
    >>> narrative_findings(govdisclose.read_report(govdisclose.sample_path("mfa_2023.txt")))
    []
    """
    m = report.metrics
    found: list[Finding] = []
    for claim in narrative_claims(report.sections, year=report.year):
        printed = _printed(m, claim.item)
        if printed is None:
            continue
        item, value, cell_where, candidates = printed
        table = COUNTERPARTS[claim.item][0]
        if candidates:
            if any(_agrees(claim.prose_value, c) for c in candidates):
                continue
            shown = f"an unreadable cell (candidates {', '.join(f'{c:g}' for c in candidates)})"
        elif _agrees(claim.prose_value, value):
            continue
        else:
            shown = f"{value:g}"
        where = _prose_location(report, claim).with_detail(f"table {table} {cell_where}")
        found.append(Finding(
            "narrative", "warning",
            f"the prose says {claim.prose_value} (“{claim.phrase}” in section {claim.section}); "
            f"table {table} prints {shown} ({item} at {cell_where})",
            where, table, item, "total" if table == "requests" else None, float(claim.prose_value), value,
        ))
    return found


def check_narrative(report) -> pd.DataFrame:
    """Warnings where the prose states a figure that the table does not show.

    Returns rows shaped like :func:`govdisclose.validate`'s findings (rule ``narrative``).
    """
    return findings_frame(f.row(agency=report.agency, year=report.year, source=report.source) for f in narrative_findings(report))
