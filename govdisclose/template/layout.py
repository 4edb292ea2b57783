"""The shape of the State-Council templates' tables, derived from the catalogue (``group``,
``leaf``, ``templates``, the applicant columns): which rows and columns add up to which totals.

:mod:`govdisclose.template.arithmetic` builds the equations from these; readers and decoders that
need to know the shape of a table (how many value columns, which rows are outcome leaves, the
blocks of table ``review_litigation``) ask here instead of keeping their own lists.

>>> len(applicant_columns()), len(outcome_rows("2021")), [b.name for b in review_blocks()]
(7, 21, ['review', 'litigation_direct', 'litigation_after_review'])
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from govdisclose.template.catalogue import APPLICANTS, catalogue, requests_rows

__all__ = [
    "CellKey", "Block", "applicant_columns", "applicant_parts", "legal_person_columns", "outcome_total_item", "outcome_rows",
    "balance_sides", "review_blocks", "review_items", "is_total",
]

#: One cell of a report: ``(table, item, applicant)``; ``applicant`` is ``None`` outside ``requests``.
CellKey = tuple[str, str, str | None]

_REQUESTS, _REVIEW = "requests", "review_litigation"


def applicant_columns() -> tuple[str, ...]:
    """The value columns of table ``requests`` in printed order, 总计 last (= catalogue ``APPLICANTS``).

    >>> len(applicant_columns()), applicant_columns()[-1]
    (7, 'total')
    """
    return APPLICANTS


def applicant_parts() -> tuple[str, ...]:
    """The six applicant columns that add up to 总计.

    >>> applicant_parts()[0], len(applicant_parts())
    ('natural_person', 6)
    """
    return tuple(a for a in APPLICANTS if a != "total")


def legal_person_columns() -> tuple[str, ...]:
    """The five applicant columns under the merged header 法人或其他组织 (spec §2; the template has no
    subtotal column for them, so a printed 小计 is an extra column).

    >>> legal_person_columns()
    ('commercial_enterprise', 'research_institution', 'social_welfare_org', 'legal_service_org', 'other_org')
    """
    return applicant_parts()[1:]


@cache
def _requests_catalogue() -> dict[str, tuple[str | None, bool]]:
    cat = catalogue()
    rows = cat[cat["table"] == _REQUESTS]
    return {i: (None if pd.isna(g) else str(g), bool(leaf)) for i, g, leaf in zip(rows["item"], rows["group"], rows["leaf"])}


def outcome_total_item() -> str:
    """The outcome total of table ``requests``: the one non-leaf row of the outcome rows.

    >>> outcome_total_item()
    'total_processed'
    """
    (item,) = [i for i, (g, leaf) in _requests_catalogue().items() if g is not None and not leaf]
    return item


@cache
def outcome_rows(template: str, single_other_handling: bool = False) -> tuple[str, ...]:
    """The leaf outcome rows that add up to the outcome total, in printed order.

    >>> len(outcome_rows("2021")), len(outcome_rows("2019")), len(outcome_rows("2021", True))
    (21, 19, 19)
    """
    info = _requests_catalogue()
    return tuple(i for i in requests_rows(template, single_other_handling) if info[i][1])


@cache
def balance_sides(template: str = "2021") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The balance's two sides: the rows printed before the outcome rows, and the outcome total
    with the rows printed after them (the side that holds a total).

    >>> balance_sides()
    (('new_received', 'carried_over'), ('total_processed', 'carried_forward'))
    """
    info = _requests_catalogue()
    rows = requests_rows(template)
    grouped = [k for k, i in enumerate(rows) if info[i][0] is not None]
    before = tuple(i for i in rows[:grouped[0]] if info[i][0] is None)
    after = tuple(i for i in rows[grouped[-1] + 1:] if info[i][0] is None)
    return before, (outcome_total_item(), *after)


@dataclass(frozen=True, slots=True)
class Block:
    """One block of table ``review_litigation``: its leaf items, in printed order, and its total."""

    name: str
    parts: tuple[str, ...]
    total: str


@cache
def review_blocks() -> tuple[Block, ...]:
    """The three blocks of table ``review_litigation`` in printed order.

    >>> [(b.name, b.total) for b in review_blocks()][1]
    ('litigation_direct', 'litigation_direct.total')
    >>> review_blocks()[0].parts
    ('review.upheld', 'review.corrected', 'review.other', 'review.pending')
    """
    cat = catalogue()
    rows = cat[cat["table"] == _REVIEW]
    blocks: list[Block] = []
    for name in dict.fromkeys(rows["group"]):
        block = rows[rows["group"] == name]
        (total,) = block.loc[~block["leaf"], "item"]
        blocks.append(Block(str(name), tuple(block.loc[block["leaf"], "item"]), str(total)))
    return tuple(blocks)


def review_items() -> tuple[str, ...]:
    """The 15 items of table ``review_litigation`` in printed order (each block's parts, then its total).

    >>> review_items()[:5]
    ('review.upheld', 'review.corrected', 'review.other', 'review.pending', 'review.total')
    """
    return tuple(i for b in review_blocks() for i in (*b.parts, b.total))


def is_total(key: CellKey) -> bool:
    """True for a cell that is a printed total (never taken as 0): a 总计 column cell, the outcome
    total, a block total (catalogue: grouped but not a leaf).

    >>> is_total(("requests", "granted", "total")), is_total(("requests", "total_processed", "other_org"))
    (True, True)
    >>> is_total(("requests", "carried_forward", "natural_person")), is_total(("review_litigation", "review.other", None))
    (False, False)
    """
    table, item, applicant = key
    if table == _REQUESTS:
        return applicant == "total" or item == outcome_total_item()
    return table == _REVIEW and any(b.total == item for b in review_blocks())
