"""The SYNTHETIC corpus generator: marked as made up, read back exactly in every format, clean
arithmetic in both templates, and injected errors that validate finds — no more, no less."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import govdisclose
from govdisclose.corpus.loader import load_reports
from govdisclose.exceptions import GovDiscloseError
from govdisclose.synth import ERROR_KINDS, MARK, generate_corpus, inject_error, libreoffice, make_report, render

KEYS = ["source", "table", "item", "applicant"]


def _compare(metrics: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Truth cells whose value was not read exactly (empty when all agree)."""
    got = metrics[[*KEYS, "value", "raw"]].astype({"source": str, "table": str, "item": str, "applicant": object})
    got["applicant"] = got["applicant"].where(got["applicant"].notna(), None)
    merged = truth.merge(got, on=KEYS, how="outer", suffixes=("", "_read"), indicator=True)
    same = (merged["value"].isna() & merged["value_read"].isna()) | (merged["value"] == merged["value_read"]).fillna(False)
    return merged[(merged["_merge"] != "both") | ~same.astype(bool)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Twelve reports over six years (both templates) in four formats."""
    return generate_corpus(tmp_path_factory.mktemp("synth"), 12, formats=("text", "markdown", "html", "docx"), seed=21)


def test_every_cell_reads_back_exactly(corpus):
    metrics = load_reports(corpus.folder, jobs=1, progress=False, cache=False)
    assert metrics.attrs["failures"].empty
    assert set(corpus.files["template"]) == {"2019", "2021"} and set(corpus.files["format"]) == {"text", "markdown", "html", "docx"}
    assert _compare(metrics, corpus.truth()).empty
    assert corpus.files["template"].value_counts().to_dict() == {"2021": 8, "2019": 4}  # 2019-2020 use the 2019 template
    assert len(metrics) == corpus.truth().shape[0] == 4 * 198 + 8 * 200


def test_clean_reports_pass_every_rule_including_cross_year(corpus):
    metrics = load_reports(corpus.folder, jobs=1, progress=False, cache=False)
    findings = govdisclose.validate(metrics)
    assert findings.query("severity == 'error'").empty
    assert not findings["rule"].str.startswith("cross_year").any()
    # the carried-over requests of each year are those carried forward the year before
    agency = corpus.files["agency"].iloc[0]
    rows = metrics[(metrics["agency"] == agency) & (metrics["applicant"] == "total")]
    by_year = rows.pivot_table(index="year", columns="item", values="value", observed=True)
    assert (by_year["carried_over"].iloc[1:].to_numpy() == by_year["carried_forward"].iloc[:-1].to_numpy()).all()


def test_marked_synthetic_everywhere(corpus):
    files = corpus.files
    assert files["synthetic"].all() and files.attrs["synthetic"] is True
    assert files["agency"].str.startswith("示例").all() and files["agency"].str.contains("县").all()
    assert all(p.rsplit("/", 1)[-1].startswith("SYNTHETIC_") for p in files["source"])
    assert (corpus.folder / "SYNTHETIC_MANIFEST.csv").is_file()
    text = next(p for p, f in zip(files["source"], files["format"]) if f == "text")
    assert Path(text).read_text(encoding="utf-8").splitlines()[0] == MARK
    assert corpus.truth()["synthetic"].all()


@pytest.mark.parametrize("kind", ERROR_KINDS)
def test_each_injected_error_breaks_exactly_its_rule(tmp_path, kind):
    report = make_report("示例测试县审计局", 2022, seed=5)
    broken = inject_error(report, kind, seed=1)
    assert {c["rule"] for c in broken.injected} == {kind}
    path = tmp_path / "r.txt"
    path.write_bytes(render(broken, "text"))
    metrics = govdisclose.read_report(path).metrics
    errors = govdisclose.validate(metrics).query("severity == 'error'")
    assert set(errors["rule"]) == {kind}
    for cell in broken.injected:  # the printed (wrong) figure is read as printed, not repaired
        row = metrics[(metrics["item"] == cell["item"]) & (metrics["table"] == cell["table"])]
        if cell["applicant"] is not None:
            row = row[row["applicant"] == cell["applicant"]]
        assert row["raw"].item() == cell["printed"] != cell["correct"]


def test_injected_errors_are_spread_and_returned(tmp_path):
    corpus = generate_corpus(tmp_path, 30, formats=("text", "markdown"), seed=8, errors=5)
    assert len(corpus.files.query("injected != ''")) == 5
    assert sorted(corpus.files.query("injected != ''")["injected"]) == sorted(ERROR_KINDS)
    metrics = load_reports(tmp_path, jobs=1, progress=False)
    errors = govdisclose.validate(metrics).query("severity == 'error'")
    found = errors.groupby("source", observed=True)["rule"].apply(lambda r: sorted(set(r))).to_dict()
    expected = corpus.injected.groupby("source", observed=True)["rule"].apply(lambda r: sorted(set(r))).to_dict()
    assert found == expected


def test_same_seed_same_files_and_no_overwrite(tmp_path):
    a = generate_corpus(tmp_path / "a", 3, formats=("text", "html"), seed=3)
    b = generate_corpus(tmp_path / "b", 3, formats=("text", "html"), seed=3)
    for pa, pb in zip(a.files["source"], b.files["source"]):
        assert Path(pa).read_bytes() == Path(pb).read_bytes()
    before = Path(a.files["source"].iloc[0]).read_bytes()
    with pytest.raises(GovDiscloseError, match="already exists"):
        generate_corpus(tmp_path / "a", 3, formats=("text", "html"), seed=99)
    assert Path(a.files["source"].iloc[0]).read_bytes() == before
    with pytest.raises(ValueError):
        generate_corpus(tmp_path / "c", 3, formats=("rtf",))


@pytest.mark.slow
@pytest.mark.skipif(libreoffice() is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_through_libreoffice(tmp_path):
    corpus = generate_corpus(tmp_path, 2, formats=("pdf",), years=(2020, 2023), seed=2)
    assert corpus.skipped.empty and list(corpus.files["format"]) == ["pdf", "pdf"]
    assert all(Path(p).read_bytes()[:5] == b"%PDF-" for p in corpus.files["source"])
    metrics = load_reports(tmp_path, jobs=1, progress=False)
    assert metrics.attrs["failures"].empty, metrics.attrs["failures"]  # the PDF reader is core: it must load
    assert _compare(metrics, corpus.truth()).empty
