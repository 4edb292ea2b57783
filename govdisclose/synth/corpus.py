"""A whole SYNTHETIC corpus: agencies followed over the years, files in several formats, a
manifest, and the truth of every cell (see :func:`generate_corpus`)."""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from govdisclose.exceptions import GovDiscloseError
from govdisclose.synth.errors import ERROR_KINDS, inject_error
from govdisclose.synth.figures import History, make_report
from govdisclose.synth.office import libreoffice, to_pdf
from govdisclose.synth.render import FORMATS, SUFFIXES, render
from govdisclose.synth.report import SynthReport

__all__ = ["MANIFEST", "SynthCorpus", "agency_name", "generate_corpus"]

MANIFEST = "SYNTHETIC_MANIFEST.csv"

_PLACES = (
    "东山", "西岭", "南湖", "北塘", "青石", "白沙", "红枫", "金川", "玉泉", "云溪", "松林", "柳岸", "桃源", "梅岭",
    "竹海", "兰亭", "石门", "清河", "长宁", "永安", "安平", "新丰", "丰乐", "和平", "富阳", "宁远", "临江", "望海",
    "凤台", "龙泉", "鹤鸣", "春晖", "秋实", "星桥", "月湾", "晴川", "雁荡", "枫桥", "茶山", "银滩",
)
_DEPARTMENTS = (
    "人民政府办公室", "发展和改革局", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局",
    "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局",
    "商务局", "文化广电和旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局",
    "统计局", "医疗保障局",
)


@dataclass
class SynthCorpus:
    """What :func:`generate_corpus` wrote.

    * ``files``: one row per file written: ``source, format, agency, year, template, synthetic,
      injected`` (the rule an injected error breaks, or ``""``);
    * ``injected``: one row per changed cell: ``source, table, item, applicant, printed,
      correct, rule``;
    * ``skipped``: reports not written, with the reason (e.g. PDF without LibreOffice);
    * ``reports``: the :class:`SynthReport` of each written file, in ``files`` order.
    """

    folder: Path
    files: pd.DataFrame
    injected: pd.DataFrame
    skipped: pd.DataFrame
    reports: list[SynthReport]

    def truth(self) -> pd.DataFrame:
        """Every cell of every file as it must be read: ``source, table, item, applicant, raw,
        value, synthetic``."""
        frames = [r.truth().assign(source=s) for s, r in zip(self.files["source"], self.reports)]
        if not frames:
            return pd.DataFrame(columns=["source", "table", "item", "applicant", "raw", "value", "synthetic"])
        frame = pd.concat(frames, ignore_index=True)
        frame.attrs["synthetic"] = True
        return frame[["source", "table", "item", "applicant", "raw", "value", "synthetic"]]


def agency_name(k: int) -> str:
    """The ``k``-th synthetic agency name, e.g. ``示例东山县人民政府办公室``.

    >>> agency_name(0), agency_name(26)
    ('示例东山县人民政府办公室', '示例西岭县发展和改革局')
    """
    place = _PLACES[(k // len(_DEPARTMENTS)) % len(_PLACES)]
    round_ = k // (len(_DEPARTMENTS) * len(_PLACES))
    suffix = "" if round_ == 0 else str(round_ + 1)
    return f"示例{place}{suffix}县{_DEPARTMENTS[k % len(_DEPARTMENTS)]}"


def generate_corpus(
    folder: str | os.PathLike[str],
    n: int,
    *,
    formats: tuple[str, ...] | list[str] = ("text",),
    years: tuple[int, ...] | list[int] = (2019, 2020, 2021, 2022, 2023, 2024),
    seed: int = 0,
    errors: int = 0,
    error_kinds: tuple[str, ...] | list[str] = ERROR_KINDS,
    overwrite: bool = False,
    pdf_timeout: float = 120.0,
) -> SynthCorpus:
    """Write ``n`` synthetic reports into ``folder`` (created if needed) and describe them.

    Report ``i`` is agency ``i // len(years)`` in year ``years[i % len(years)]`` and is written in
    ``formats[i % len(formats)]``. ``errors`` reports (spread evenly, kinds taken in turn from
    ``error_kinds``) get one injected error each. Existing files are never overwritten unless
    ``overwrite=True``; PDFs need LibreOffice and are listed in ``skipped`` without it.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"formats must be among {', '.join(FORMATS)}; got {list(formats)}")
    if n < 0 or errors < 0 or errors > n:
        raise ValueError("n and errors must be >= 0, and errors <= n")
    bad_kinds = [k for k in error_kinds if k not in ERROR_KINDS]
    if bad_kinds or (errors and not error_kinds):
        raise ValueError(f"error kinds must be among {', '.join(ERROR_KINDS)}")
    folder = Path(folder)
    years = tuple(years)
    names = [f"SYNTHETIC_{i:05d}_{years[i % len(years)]}_{'2019' if years[i % len(years)] <= 2020 else '2021'}"
             f"{SUFFIXES[formats[i % len(formats)]]}" for i in range(n)]
    clash = [folder / name for name in [*names, MANIFEST] if (folder / name).exists()]
    if clash and not overwrite:
        raise GovDiscloseError(f"{clash[0]} already exists ({len(clash)} file(s) would be overwritten); "
                               "generate into an empty folder or pass overwrite=True")
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    broken = {round(k * n / errors) + (n // errors) // 2 for k in range(errors)} if errors else set()
    histories: dict[int, History] = {}
    rows, injected_rows, skipped, reports = [], [], [], []
    pdf_jobs: list[tuple[Path, Path, SynthReport, dict]] = []
    staging = Path(tempfile.mkdtemp(prefix="govdisclose-synth-")) if "pdf" in formats else None
    kinds = iter(list(error_kinds) * (errors // max(1, len(error_kinds)) + 1))
    try:
        for i in range(n):
            agency_k = i // len(years)
            year = years[i % len(years)]
            report = make_report(agency_name(agency_k), year, seed=rng, history=histories.setdefault(agency_k, History()))
            if i in broken:
                report = inject_error(report, next(kinds), seed=rng)
            fmt = formats[i % len(formats)]
            path = folder / names[i]
            row = {"source": str(path), "format": fmt, "agency": report.agency, "year": year,
                   "template": report.template, "synthetic": True,
                   "injected": report.injected[0]["rule"] if report.injected else ""}
            if fmt == "pdf":
                assert staging is not None
                docx_path = staging / path.with_suffix(".docx").name
                docx_path.write_bytes(render(report, "docx"))
                pdf_jobs.append((docx_path, path, report, row))
                continue
            path.write_bytes(render(report, fmt))
            rows.append(row)
            reports.append(report)
            injected_rows += [{"source": str(path), **c} for c in report.injected]
        if pdf_jobs:
            assert staging is not None
            if libreoffice() is None:
                skipped += [{"source": str(p), "format": "pdf", "reason": "LibreOffice (soffice) is not installed"}
                            for _, p, _, _ in pdf_jobs]
            else:
                written = to_pdf([d for d, _, _, _ in pdf_jobs], staging, pdf_timeout)
                for docx_path, path, report, row in pdf_jobs:
                    made = staging / docx_path.with_suffix(".pdf").name
                    if made not in written:
                        skipped.append({"source": str(path), "format": "pdf", "reason": "LibreOffice did not convert it"})
                        continue
                    shutil.move(str(made), path)
                    rows.append(row)
                    reports.append(report)
                    injected_rows += [{"source": str(path), **c} for c in report.injected]
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    order = sorted(range(len(rows)), key=lambda k: rows[k]["source"])
    files = pd.DataFrame([rows[k] for k in order], columns=["source", "format", "agency", "year", "template", "synthetic", "injected"])
    reports = [reports[k] for k in order]
    files.attrs["synthetic"] = True
    injected = pd.DataFrame(injected_rows, columns=["source", "table", "item", "applicant", "printed", "correct", "rule"])
    injected.attrs["synthetic"] = True
    skipped_frame = pd.DataFrame(skipped, columns=["source", "format", "reason"])
    manifest = folder / MANIFEST
    files.assign(file=[Path(s).name for s in files["source"]]).drop(columns="source")[
        ["file", "format", "agency", "year", "template", "synthetic", "injected"]].to_csv(manifest, index=False, encoding="utf-8")
    return SynthCorpus(folder, files, injected, skipped_frame, reports)
