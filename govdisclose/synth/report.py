"""One SYNTHETIC report as data: who, when, which template, and every cell as printed."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from govdisclose.template.catalogue import template_cells
from govdisclose.template.printed import title as report_title

__all__ = ["MARK", "Key", "SynthReport"]

#: The first line of every synthetic document.
MARK = "【合成示例数据 SYNTHETIC】本文件由 govdisclose.synth 生成，机构名称和全部数字均为虚构，仅供测试和教学使用。"

#: A cell: ``(table, item, applicant)``.
Key = tuple[str, str, "str | None"]


@dataclass
class SynthReport:
    """One synthetic report: who, when, which template, and every cell as printed.

    ``printed`` follows :func:`govdisclose.catalogue.template_cells` order; ``injected`` lists
    the cells an error was injected into (empty for a clean report).
    """

    agency: str
    year: int
    template: str
    printed: tuple[str, ...]
    injected: list[dict] = field(default_factory=list)

    @property
    def title(self) -> str:
        return report_title(self.agency, self.year)

    def cells(self) -> dict[Key, str]:
        """``{(table, item, applicant): printed text}``."""
        return dict(zip(template_cells(self.template), self.printed))

    def truth(self) -> pd.DataFrame:
        """The cells as :func:`govdisclose.read_report` must read them: ``table, item,
        applicant, raw, value`` (value in the catalogue unit), plus ``synthetic``."""
        rows = [(t, i, a, raw, _number(raw)) for (t, i, a), raw in zip(template_cells(self.template), self.printed)]
        frame = pd.DataFrame(rows, columns=["table", "item", "applicant", "raw", "value"])
        frame["value"] = pd.array([row[4] for row in rows], dtype="Float64")
        frame["synthetic"] = True
        return frame


def _number(raw: str) -> float | None:
    text = raw.strip().replace("万元", "").replace("元", "")
    return float(text) if text else None

