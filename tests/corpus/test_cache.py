"""The parse cache: a hit for unchanged content, a miss after a file changes, never stale numbers,
never on unless asked, and a damaged cache costs only a re-parse."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from govdisclose.corpus.cache import ENV_VAR, ReportCache, content_key, parser_fingerprint, resolve_cache
from govdisclose.corpus.loader import load_reports
from govdisclose.exceptions import GovDiscloseError

from conftest import DATA

NAMES = ("mfa_2023.txt", "pingtan_2021.txt", "shanghai_stcsm_2024.txt", "pingtan_2024.html")


@pytest.fixture
def folder(tmp_path):
    data = tmp_path / "reports"
    data.mkdir()
    for name in NAMES:
        shutil.copy(DATA / name, data / name)
    return data


def _value(metrics, agency: str, item: str) -> float:
    rows = metrics[(metrics["agency"] == agency) & (metrics["item"] == item)]
    return float(rows["value"].item())


def test_second_load_is_served_from_the_cache_and_identical(folder, tmp_path):
    cache = tmp_path / "cache"
    fresh = load_reports(folder, cache=False, progress=False)
    first = load_reports(folder, cache=cache, progress=False)
    second = load_reports(folder, cache=cache, progress=False)
    assert first.attrs["cache"]["misses"] == 4 and first.attrs["cache"]["hits"] == 0
    assert second.attrs["cache"]["hits"] == 4 and second.attrs["cache"]["misses"] == 0
    pd.testing.assert_frame_equal(first, fresh)
    pd.testing.assert_frame_equal(second, fresh)
    assert sorted(p.name for p in cache.glob("parser-*")) == [f"parser-{parser_fingerprint()}"]


def test_a_changed_file_is_parsed_again_and_its_new_figure_read(folder, tmp_path):
    cache = tmp_path / "cache"
    load_reports(folder, cache=cache, progress=False)
    mfa = folder / "mfa_2023.txt"
    text = mfa.read_text(encoding="utf-8")
    old = "行政许可\t0"
    assert old in text
    mfa.write_text(text.replace(old, "行政许可\t37"), encoding="utf-8")
    again = load_reports(folder, cache=cache, progress=False)
    assert again.attrs["cache"] == {"dir": str(cache), "hits": 3, "misses": 1}
    assert _value(again, "外交部", "licensing.decisions") == 37  # not the stale 0
    pingtan = again[(again["agency"] == "平潭综合实验区") & (again["item"] == "new_received") & (again["applicant"] == "total")]
    assert dict(zip(pingtan["year"], pingtan["value"])) == {2021: 70, 2024: 218}  # the others as before


def test_moved_or_copied_content_is_a_hit_under_its_new_name(folder, tmp_path):
    cache = tmp_path / "cache"
    load_reports(folder / "mfa_2023.txt", cache=cache, progress=False)
    copy = tmp_path / "elsewhere" / "外交部年报.txt"
    copy.parent.mkdir()
    shutil.copy(folder / "mfa_2023.txt", copy)
    both = load_reports([folder / "mfa_2023.txt", copy], cache=cache, progress=False)
    assert both.attrs["cache"]["hits"] == 2
    assert list(dict.fromkeys(both["source"].astype(str))) == [str(folder / "mfa_2023.txt"), str(copy)]
    assert both.groupby("source", observed=True).size().tolist() == [200, 200]


def test_a_damaged_part_is_a_miss_not_a_failure(folder, tmp_path):
    cache = tmp_path / "cache"
    expected = load_reports(folder, cache=cache, progress=False)
    for part in cache.rglob("part-*.parquet"):
        part.write_bytes(b"garbage")
    again = load_reports(folder, cache=cache, progress=False)
    assert again.attrs["cache"]["misses"] == 4
    pd.testing.assert_frame_equal(again, expected)


def test_keys_follow_content_and_suffix(tmp_path):
    a, b, c = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "a.html"
    for p in (a, b, c):
        p.write_bytes((DATA / "mfa_2023.txt").read_bytes())
    assert content_key(a) == content_key(b) != content_key(c)
    b.write_bytes(b.read_bytes() + b"\n")
    assert content_key(a) != content_key(b)
    assert content_key(tmp_path / "absent.txt") is None


def test_off_unless_asked(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert resolve_cache(None) is None and resolve_cache(False) is None
    assert load_reports(DATA / "mfa_2023.txt", progress=False).attrs["cache"] is None
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "envcache"))
    on = resolve_cache(None)
    assert isinstance(on, ReportCache) and on.root == tmp_path / "envcache"
    assert resolve_cache(True).root == tmp_path / "envcache"
    assert load_reports(DATA / "mfa_2023.txt", progress=False).attrs["cache"]["misses"] == 1
    assert (tmp_path / "envcache").is_dir() and not list(DATA.glob("parser-*"))


def test_an_unwritable_cache_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(GovDiscloseError, match="cannot use .* as the govdisclose cache"):
        load_reports(DATA / "mfa_2023.txt", cache=blocker / "cache", progress=False)


def test_many_parts_are_compacted_without_losing_entries(tmp_path, monkeypatch):
    import govdisclose.corpus.cache

    monkeypatch.setattr(govdisclose.corpus.cache, "_MAX_PARTS", 10)
    monkeypatch.setattr(govdisclose.corpus.cache, "_MERGE_GROUP", 8)
    cache = ReportCache(tmp_path / "cache")
    key = content_key(DATA / "mfa_2023.txt")
    metrics = load_reports(DATA / "mfa_2023.txt", progress=False).drop(columns="source")
    for k in range(40):
        cache.store(metrics.assign(_key=f"{k:040x}"))
    cache.store(metrics.assign(_key=key))
    assert cache.info()["parts"] <= 10
    assert cache.info()["reports"] == 41
    hit = cache.lookup({key, f"{7:040x}", "f" * 40})
    assert hit.groupby("_key").size().to_dict() == {key: 200, f"{7:040x}": 200}
    assert cache.clear() > 0 and cache.info()["reports"] == 0
