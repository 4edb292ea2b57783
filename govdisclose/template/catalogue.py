"""The metric catalogue: stable English codes for every cell of the report tables.

The catalogue is the data contract (``shared/spec/catalogue.csv``), shipped as package data.

>>> import govdisclose
>>> cat = govdisclose.catalogue()
>>> cat.loc[cat["item"] == "granted", "label_zh"].item()
'（一）予以公开'
>>> len(template_cells("2021")), len(template_cells("2019"))
(200, 198)
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources

import pandas as pd

from govdisclose.exceptions import CatalogueError

__all__ = [
    "APPLICANTS",
    "APPLICANT_LABELS",
    "TABLES",
    "TEMPLATES",
    "catalogue",
    "item_info",
    "template_cells",
    "requests_rows",
]

TABLES: tuple[str, ...] = ("active_disclosure", "requests", "review_litigation", "headline")
TEMPLATES: tuple[str, ...] = ("2021", "2019")

#: Applicant columns of table ``requests`` in printed order.
APPLICANTS: tuple[str, ...] = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
)
APPLICANT_LABELS: dict[str, str] = {
    "natural_person": "自然人",
    "commercial_enterprise": "商业企业",
    "research_institution": "科研机构",
    "social_welfare_org": "社会公益组织",
    "legal_service_org": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}


@lru_cache(maxsize=1)
def _load() -> pd.DataFrame:
    with resources.files("govdisclose").joinpath("data/catalogue.csv").open(encoding="utf-8") as fh:
        frame = pd.read_csv(fh, dtype=str, keep_default_na=False)
    frame["applicant_dim"] = frame["applicant_dim"].eq("yes")
    frame["leaf"] = frame["leaf"].eq("yes")
    frame["group"] = frame["group"].replace("", pd.NA)
    return frame


def catalogue() -> pd.DataFrame:
    """Return the metric catalogue as a DataFrame (a fresh copy each call).

    Columns: ``table, item, applicant_dim, templates, group, leaf, unit, label_zh, label_en``.

    >>> catalogue().query("table == 'review_litigation'").shape[0]
    15
    """
    return _load().copy()


@cache
def _index() -> dict[tuple[str, str], dict]:
    return {(r["table"], r["item"]): r for r in _load().to_dict("records")}


def item_info(table: str, item: str) -> dict:
    """The catalogue row of one metric, as a dict; raises :class:`CatalogueError` if unknown.

    >>> item_info("active_disclosure", "fees.amount")["unit"]
    '万元'
    """
    try:
        return _index()[(table, item)]
    except KeyError:
        known = sorted(i for t, i in _index() if t == table)
        if not known:
            raise CatalogueError(f"unknown table {table!r}; tables are {', '.join(TABLES)}") from None
        raise CatalogueError(f"unknown item {item!r} in table {table!r}") from None


@cache
def requests_rows(template: str, single_other_handling: bool = False) -> tuple[str, ...]:
    """Item codes of table ``requests`` in printed order for a template.

    ``single_other_handling`` gives the mixed layout seen in 2023 reports: a 2021 report whose
    （六）其他处理 is one row, as in 2019.

    >>> requests_rows("2021")[-3:]
    ('other_handling.other', 'total_processed', 'carried_forward')
    >>> len(requests_rows("2019")), len(requests_rows("2021"))
    (23, 25)
    """
    if template not in TEMPLATES:
        raise CatalogueError(f"unknown template {template!r}; templates are {', '.join(TEMPLATES)}")
    layout = "2019" if single_other_handling else template
    cat = _load()
    rows = cat[(cat["table"] == "requests") & cat["templates"].str.split(";").map(lambda t: layout in t)]
    return tuple(rows["item"])


@cache
def template_cells(template: str, single_other_handling: bool = False) -> tuple[tuple[str, str, str | None], ...]:
    """Every ``(table, item, applicant)`` cell of a template, in printed order.

    >>> template_cells("2021")[10]
    ('requests', 'new_received', 'natural_person')
    """
    if template not in TEMPLATES:
        raise CatalogueError(f"unknown template {template!r}; templates are {', '.join(TEMPLATES)}")
    cat = _load()
    in_template = cat["templates"].str.split(";").map(lambda t: template in t)
    cells: list[tuple[str, str, str | None]] = []
    for item in cat.loc[in_template & (cat["table"] == "active_disclosure"), "item"]:
        cells.append(("active_disclosure", item, None))
    for item in requests_rows(template, single_other_handling):
        cells.extend(("requests", item, a) for a in APPLICANTS)
    for item in cat.loc[cat["table"] == "review_litigation", "item"]:
        cells.append(("review_litigation", item, None))
    return tuple(cells)
