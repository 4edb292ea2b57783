"""validate() on many reports at once: the same findings as report by report, whatever the
chunking, and the known errors of real and synthetic reports."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import govdisclose
from govdisclose.checks import cells as cells_module
from govdisclose.synth import generate_corpus

from conftest import DATA, corpus_file, truth_file


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """60 synthetic reports (agencies of six years), 20 of them with one injected error each."""
    return generate_corpus(tmp_path_factory.mktemp("synth"), 60, errors=20, seed=3)


@pytest.fixture(scope="module")
def metrics(corpus) -> pd.DataFrame:
    return govdisclose.load_reports(corpus.folder)


def _by_source(found: pd.DataFrame, sources: list[str]) -> pd.DataFrame:
    rank = pd.Index(sources).get_indexer(found["source"].astype(str))
    return found.take(np.argsort(rank, kind="stable")).reset_index(drop=True)


def test_batch_equals_report_by_report(metrics):
    sources = list(dict.fromkeys(metrics["source"].astype(str)))
    batch = govdisclose.validate(metrics, cross_year=False)
    each = [govdisclose.validate(metrics[metrics["source"] == s], cross_year=False) for s in sources]
    one_by_one = pd.concat([f for f in each if len(f)], ignore_index=True)  # (an empty frame's columns are object)
    # the batch puts the 'unfilled' summaries after every report's other findings; by source, the same rows
    # (check_dtype=False: concat gives a text column of a frame without text in it dtype object)
    pd.testing.assert_frame_equal(_by_source(batch, sources), one_by_one, check_exact=True, check_dtype=False)
    assert len(batch) >= 20


@pytest.mark.parametrize("cross_year", [False, True])
def test_chunking_does_not_change_findings(metrics, monkeypatch, cross_year):
    whole = govdisclose.validate(metrics, cross_year=cross_year)
    monkeypatch.setattr(cells_module, "CHUNK", 7)  # agencies' years split across chunks
    pd.testing.assert_frame_equal(govdisclose.validate(metrics, cross_year=cross_year), whole, check_exact=True)


def test_injected_errors_are_the_errors(corpus, metrics):
    errors = govdisclose.validate(metrics, cross_year=False).query("severity == 'error'")
    injected = corpus.files[corpus.files["injected"] != ""]
    assert set(zip(errors["source"].astype(str), errors["rule"])) == set(zip(injected["source"], injected["injected"]))


def test_carry_over_across_chunks(corpus, metrics, monkeypatch):
    # change one report's 上年结转 (自然人); the previous year's 结转下年度 comes from the generator's truth
    truth = corpus.truth()
    later = corpus.files.iloc[4]
    earlier = corpus.files[(corpus.files["agency"] == later["agency"]) & (corpus.files["year"] == later["year"] - 1)].iloc[0]
    forward = truth[(truth["source"] == earlier["source"]) & (truth["item"] == "carried_forward")
                    & (truth["applicant"] == "natural_person")]["value"].item()
    m = metrics.copy()
    cell = (m["source"] == later["source"]) & (m["item"] == "carried_over") & (m["applicant"] == "natural_person")
    m.loc[cell, "value"] = forward + 3
    monkeypatch.setattr(cells_module, "CHUNK", 4)  # report 4 and its predecessor in different chunks
    found = govdisclose.validate(m).query("rule == 'cross_year.carry_over' and applicant == 'natural_person'")
    row = found[found["source"] == later["source"]]
    assert (row["expected"].item(), row["actual"].item()) == (forward, forward + 3)


def test_hongze_2023_review_totals_printed_0():
    # 洪泽 2023 prints 0 as the 总计 of 行政复议 and of 复议后起诉, beside parts that do not sum to 0
    found = govdisclose.validate(govdisclose.read_report(corpus_file("hongze_2023.pdf")).metrics)
    truth = pd.read_csv(truth_file("hongze_2023"))
    truth = truth[truth["table"] == "review_litigation"].set_index("item")["value"]
    expected = {}
    for block in ("review", "litigation_direct", "litigation_after_review"):
        parts = sum(truth[f"{block}.{p}"] for p in ("upheld", "corrected", "other", "pending"))
        if parts != truth[f"{block}.total"]:
            expected[f"{block}.total"] = (parts, truth[f"{block}.total"])
    errors = found[found["severity"] == "error"]
    assert set(errors["rule"]) == {"review_litigation.block_total"} and len(expected) == 2
    assert {i: (e, a) for i, e, a in zip(errors["item"], errors["expected"], errors["actual"])} == expected
    assert errors["location"].str.startswith("page 4, table 2").all()


def test_batch_of_real_reports_equals_each(data_dir):
    reports = [govdisclose.read_report(p) for p in sorted(DATA.glob("*.*")) if p.suffix in (".txt", ".html")]
    metrics = pd.concat([r.metrics for r in reports], ignore_index=True)
    sources = [str(r.source) for r in reports]
    each = [govdisclose.validate(r.metrics, cross_year=False) for r in reports]
    one_by_one = pd.concat([f for f in each if len(f)], ignore_index=True)
    batch = govdisclose.validate(metrics, cross_year=False)
    # (check_dtype=False: concat gives a text column of a frame without text in it dtype object)
    pd.testing.assert_frame_equal(_by_source(batch, sources), one_by_one, check_exact=True, check_dtype=False)
    assert "requests.row_total" in set(batch["rule"])  # 沭阳 2023's blank 法人 columns


def _set(m: pd.DataFrame, item: str, value: float) -> pd.DataFrame:
    m = m.copy()
    m.loc[m["item"] == item, "value"] = value
    return m


@pytest.mark.parametrize("total", ["0.3", "0.4"])
def test_fractions_are_added_as_printed(total):
    # 0.1 + 0.2 is 0.3 as printed (not 0.30000000000000004 as floats add): decided by the parts' decimals
    m = govdisclose.read_report(DATA / "mfa_2023.txt").metrics
    m = m[m["table"] == "review_litigation"]
    for item, value in (("review.upheld", 0.1), ("review.corrected", 0.2), ("review.other", 0), ("review.pending", 0),
                        ("review.total", float(total))):
        m = _set(m, item, value)
    found = govdisclose.validate(m)
    block = found[found["rule"] == "review_litigation.block_total"]
    holds = Decimal("0.1") + Decimal("0.2") == Decimal(total)
    assert len(block) == (0 if holds else 1)
    assert sorted(found.loc[found["rule"] == "domain", "actual"]) == sorted([0.1, 0.2, float(total)])


def test_the_last_row_of_a_cell_counts():
    m = govdisclose.read_report(DATA / "mfa_2023.txt").metrics
    row = m[m["item"] == "review.total"].assign(location="again")
    printed = m.loc[m["item"] == "review.total", "value"].item()
    found = govdisclose.validate(pd.concat([m, row.assign(value=printed + 4)], ignore_index=True))
    assert found[["rule", "actual", "location"]].values.tolist() == [["review_litigation.block_total", printed + 4, "again"]]
