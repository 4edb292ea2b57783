"""Table ``active_disclosure``: its row labels and column headers → catalogue codes, and the
header words that tell the 2021 template from the 2019 one.

>>> active_row("行政规范性文件"), active_row("第二十条第（五）项")
('normative_documents', None)
>>> active_fields(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
('issued', 'repealed', 'in_force')
"""

from __future__ import annotations

from functools import lru_cache

from govdisclose.template.normalize import norm
from govdisclose.template.patterns import CodePatterns

__all__ = ["active_row", "active_fields", "template_votes", "ACTIVE_DEFAULT_FIELDS", "TEMPLATE_FIELDS"]

# Table active_disclosure: row label → row code (first match wins).

_ACTIVE_ROWS = CodePatterns((
        ("regulations", r"^(信息内容)?规章$|^规章[（(]件[)）]?$"),
        ("normative_documents", r"规范性文件$|规范性文件[（(]件[)）]$"),
        ("other_services", r"其他对外管理服务事项"),
        ("licensing", r"^(信息内容)?行政许可$|^行政许可[（(]件[)）]$"),
        ("penalty", r"^(信息内容)?行政处罚$|^行政处罚[（(]件[)）]$"),
        ("enforcement", r"^(信息内容)?行政强制$|^行政强制[（(]件[)）]$"),
        ("fees", r"行政事业性收费"),
        ("procurement", r"政府集中采购"),
))

# Column header words of table active_disclosure → field code.
_ACTIVE_FIELDS = CodePatterns((
        ("issued", r"本年制发"),
        ("repealed", r"本年废止"),
        ("in_force", r"现行有效"),
        ("new_made", r"新制作"),
        ("new_published", r"新公开"),
        ("total_published", r"对外公开总|公开总数"),
        ("prev_items", r"上一年项目|上年项目"),
        ("change", r"增/?减|增减"),
        ("decisions", r"处理决定"),
        ("amount", r"收费金额|采购总金额|总金额"),
        ("items", r"采购项目数"),
))

#: Fields of each table-2 row when no header row names them, by template and value count.
ACTIVE_DEFAULT_FIELDS: dict[tuple[str, str, int], tuple[str, ...]] = {
    ("2021", "regulations", 3): ("issued", "repealed", "in_force"),
    ("2021", "normative_documents", 3): ("issued", "repealed", "in_force"),
    ("2021", "licensing", 1): ("decisions",),
    ("2021", "penalty", 1): ("decisions",),
    ("2021", "enforcement", 1): ("decisions",),
    ("2021", "fees", 1): ("amount",),
    ("2019", "regulations", 3): ("new_made", "new_published", "total_published"),
    ("2019", "normative_documents", 3): ("new_made", "new_published", "total_published"),
    ("2019", "licensing", 3): ("prev_items", "change", "decisions"),
    ("2019", "other_services", 3): ("prev_items", "change", "decisions"),
    ("2019", "penalty", 3): ("prev_items", "change", "decisions"),
    ("2019", "enforcement", 3): ("prev_items", "change", "decisions"),
    ("2019", "fees", 2): ("prev_items", "change"),
    ("2019", "procurement", 2): ("items", "amount"),
}


@lru_cache(maxsize=4096)
def active_row(label: str) -> str | None:
    """The table-``active_disclosure`` row (``regulations``, ``fees`` …) a label names."""
    return _ACTIVE_ROWS.first(norm(label))


def active_fields(header_cells: list[str] | tuple[str, ...]) -> tuple[str, ...] | None:
    """Field codes named by a table-2 header row, in order; ``None`` if it is not such a header."""
    fields = tuple(f for f in map(_active_field, header_cells) if f)
    return fields or None


@lru_cache(maxsize=8192)
def _active_field(cell: str) -> str | None:
    return _ACTIVE_FIELDS.first(norm(cell))


#: The column fields only each template's table 2 has (a header naming them tells the template).
TEMPLATE_FIELDS: dict[str, tuple[str, ...]] = {
    "2021": ("issued", "repealed", "in_force"),
    "2019": ("new_made", "new_published", "total_published", "prev_items", "change", "items"),
}


def template_votes(text: str) -> dict[str, int]:
    """How often a text names each template's table-2 column headers (where no header row was read).

    >>> template_votes("本年制发件数 本年废止件数 现行有效件数")
    {'2021': 2, '2019': 0}
    """
    text = norm(text)
    return {"2021": text.count("本年制发") + text.count("现行有效"),
            "2019": text.count("新制作数量") + text.count("上一年项目数量")}
