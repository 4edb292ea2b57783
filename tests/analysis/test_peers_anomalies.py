"""Peer benchmarks (medians and quartiles recomputed here with numpy from the indicator values) and
the anomalies table: on a SYNTHETIC corpus with injected level shifts, exactly the injected
agency-years are flagged at the default threshold (precision and recall printed)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from synth_jumps import corpus

import govdisclose
from govdisclose.analysis.anomalies import THRESHOLD, anomalies
from govdisclose.analysis.peers import MIN_GROUP, peer_benchmarks, peer_groups
from govdisclose.synth.corpus import agency_name

#: (agency index, year) → factor of the lasting shift; agency k is govdisclose.synth's k-th name.
JUMPS = {(3, 2023): 6.0, (7, 2020): 0.15, (12, 2022): 5.0, (20, 2024): 8.0, (26, 2023): 0.2, (31, 2022): 4.0}
REQUESTS = ["requests_received", "requests_handled", "requests_concluded"]


@pytest.fixture(scope="module")
def synthetic() -> pd.DataFrame:
    return corpus(40, JUMPS)


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return govdisclose.load_sample()


def test_benchmarks_are_the_group_median_and_quartiles(synthetic):
    bench = peer_benchmarks(synthetic, "requests_received", year=2022, by=("level", "scope"))
    values = govdisclose.indicators(synthetic[synthetic["year"] == 2022], "requests_received")["value"].astype(float)
    assert len(bench) == 40 and set(bench["peer_group"]) == {"county · department"}
    row = bench.iloc[0]
    assert row["group_n"] == 40 and not row["small_group"]
    assert row["group_median"] == pytest.approx(np.median(values))
    assert row["group_q1"] == pytest.approx(np.quantile(values, 0.25))
    assert row["group_q3"] == pytest.approx(np.quantile(values, 0.75))
    assert row["percentile"] == pytest.approx(float((values <= row["value"]).mean()))
    assert bench["region_n"].isna().all()  # synthetic agencies have no province


def test_small_groups_are_flagged_and_printed(sample):
    bench = peer_benchmarks(sample, "requests_received", year=2023, by=("level", "scope"))
    depts = bench[(bench["level"] == "city") & (bench["scope"] == "department")]
    assert depts["group_n"].tolist() == [2, 2] and depts["small_group"].all()
    assert depts["group_median"].tolist() == [10.0, 10.0]  # 平潭 社会事业局 1, 自然资源与生态环境局 19
    assert all(f"small peer group (2 report(s) with a value < {MIN_GROUP})" in n for n in depts["note"])
    assert all("福建省: 2 report(s) in the group" in n for n in depts["note"])  # no regional figures from 2
    assert depts["region_median"].isna().all()
    groups = peer_groups(sample).set_index("agency")
    assert groups.loc["沭阳县发展和改革局", "peer_group"] == "county · department · 发改"


def test_injected_jumps_are_flagged_and_nothing_else(synthetic, capsys):
    """The request indicators only: synth draws tables 2 and 4 afresh every year, so their
    year-over-year changes are the generator's cross-agency spread, not an agency's history; the
    test corpus gives request volumes a history (tests/synth_jumps.py)."""
    found = anomalies(synthetic, REQUESTS)
    jumps = found[found["check"] == "jump"]
    flagged = set(zip(jumps["agency"], jumps["year"].astype(int)))
    injected = {(agency_name(k), year) for k, year in JUMPS}
    hits = len(flagged & injected)
    precision, recall = hits / max(len(flagged), 1), hits / len(injected)
    every = anomalies(synthetic, REQUESTS, threshold=1e-9, min_change=0, checks=["jump"])  # every step's z
    is_injected = [(a, int(y)) in injected for a, y in zip(every["agency"], every["year"])]
    z = every["robust_z"].abs().astype(float)
    with capsys.disabled():
        print(f"\nanomalies at |z| > {THRESHOLD}: {len(flagged)} agency-years flagged, {len(injected)} injected: "
              f"precision {precision:.2f}, recall {recall:.2f}; |z| of injected steps ≥ {z[is_injected].min():.1f}, "
              f"of the other {len(z) - sum(is_injected)} steps ≤ {z[[not i for i in is_injected]].max():.1f}")
    assert (precision, recall) == (1.0, 1.0)
    assert set(jumps["indicator"]) == set(REQUESTS)
    assert (jumps["robust_z"].abs() > THRESHOLD).all() and jumps["reason"].str.contains("robust z").all()
    down = jumps[(jumps["agency"] == agency_name(7)) & (jumps["year"] == 2020)]
    assert (down["robust_z"] < 0).all()
    # the synthetic chains hold: no carry-over or in-force finding; one template break per agency (2020 → 2021)
    assert set(found["check"]) == {"jump", "template_break"}
    assert (found["check"] == "template_break").sum() == 40


def test_a_broken_carry_over_is_in_the_table(synthetic):
    broken = synthetic.copy()
    cell = (broken["agency"] == agency_name(5)) & (broken["year"] == 2023) & (broken["item"] == "carried_over") & (broken["applicant"] == "natural_person")
    assert cell.sum() == 1
    broken.loc[cell, "value"] = broken.loc[cell, "value"] + 7
    found = anomalies(broken, checks=["cross_year"])
    assert found[["agency", "year", "check"]].values.tolist() == [[agency_name(5), 2023, "carry_over"]]


def test_title_variants_are_one_agency_with_a_name_change(sample):
    renamed = sample.copy()
    renamed["agency"] = renamed["agency"].astype("string")
    later = (renamed["agency"] == "平潭综合实验区") & (renamed["year"] == 2024)
    renamed.loc[later, "agency"] = "平潭综合实验区管委会"
    found = anomalies(renamed, checks=["breaks"])
    change = found[found["check"] == "name_change"]
    assert change[["agency", "agency_id", "year", "previous_year"]].values.tolist() == [["平潭综合实验区管委会", "350128:平潭综合实验区", 2024, 2023]]
    assert "scope_break" not in set(found["check"])


def test_bad_arguments(sample):
    with pytest.raises(govdisclose.GovDiscloseError):
        anomalies(sample, checks=["nonsense"])
    with pytest.raises(govdisclose.GovDiscloseError):
        peer_benchmarks(sample, min_group=0)


def test_title_variants_follow_one_agency_in_compare_years(sample):
    from govdisclose.analysis.identity import title_variants

    renamed = sample.copy()
    early = (renamed["agency"] == "平潭综合实验区") & (renamed["year"] <= 2021)
    renamed["agency"] = renamed["agency"].astype("string").mask(early, "平潭综合实验区管理委员会")
    aliases = title_variants(renamed)
    assert aliases["平潭综合实验区管理委员会"] == "平潭综合实验区"
    y = govdisclose.compare_years(renamed, "平潭综合实验区", indicators="requests_received", aliases=aliases, warn=False)
    assert y["year"].tolist() == [2019, 2021, 2023, 2024] and y["value"].tolist() == [23, 70, 81, 218]


@pytest.mark.slow
def test_the_cross_year_check_links_title_variants(corpus_dir):
    """洪泽 prints its title as 洪泽区人民政府 in 2023 and 淮安市洪泽区人民政府 in 2024: by printed name the
    carry-over check never runs; linked by agency_id it does, and finds a broken chain."""
    reports = [govdisclose.read_report(corpus_dir / f"hongze_{y}.pdf").metrics for y in (2023, 2024)]
    m = pd.concat(reports, ignore_index=True)
    assert sorted(m["agency"].unique()) == ["洪泽区人民政府", "淮安市洪泽区人民政府"]
    found = anomalies(m)
    assert found[["year", "check"]].values.tolist() == [[2024, "name_change"]]  # the chain holds as printed
    cell = (m["year"] == 2024) & (m["item"] == "carried_over") & (m["applicant"] == "total")
    m.loc[cell, "value"] = m.loc[cell, "value"] + 1
    assert not govdisclose.validate(m)["rule"].str.startswith("cross_year").any()  # by printed name: not compared
    broken = anomalies(m, checks=["cross_year"])
    assert broken[["agency_id", "year", "check", "indicator"]].values.tolist() == [["320813:人民政府", 2024, "carry_over", "carried_over@total"]]
