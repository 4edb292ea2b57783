"""The parse cache: a hit for unchanged content, a miss after a file changes, never stale numbers,
never on unless asked, and a damaged cache costs only a re-parse."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

import govdisclose
from govdisclose.corpus.cache import (
    ENV_VAR,
    ReportCache,
    content_key,
    default_cache_dir,
    fingerprint,
    parser_fingerprint,
    resolve_cache,
)
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
    both = load_reports([folder / "mfa_2023.txt", copy], cache=cache, progress=False, duplicates="keep")
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
    assert hit.groupby("_key", observed=True).size().to_dict() == {key: 200, f"{7:040x}": 200}
    assert cache.clear() > 0 and cache.info()["reports"] == 0


@pytest.fixture
def package_copy(tmp_path):
    """A copy of the installed package's source (no byte code) to edit."""
    source = Path(govdisclose.__file__).resolve().parent
    copy = tmp_path / "govdisclose"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return copy


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_the_fingerprint_of_a_copy_is_the_fingerprint_of_the_package(package_copy):
    from govdisclose.report import PARSER_VERSION

    assert parser_fingerprint() == f"{PARSER_VERSION}-{fingerprint(package_copy)}"


@pytest.mark.parametrize("edit", ["readers", "template", "mapping", "report.py", "tidy.py", "exceptions.py", "data"])
def test_editing_what_parsing_depends_on_changes_the_fingerprint(package_copy, edit):
    before = fingerprint(package_copy)
    target = package_copy / edit
    if edit == "data":
        csv = sorted(target.glob("*.csv"))[0]
        _append(csv, "\n")
    elif target.is_dir():
        _append(sorted(target.rglob("*.py"))[-1], "\n# an edit\n")
    else:
        _append(target, "\n# an edit\n")
    assert fingerprint(package_copy) != before


def test_a_new_module_in_a_parsing_subpackage_changes_the_fingerprint(package_copy):
    before = fingerprint(package_copy)
    (package_copy / "readers" / "brand_new_format.py").write_text('"""A new reader."""\n', encoding="utf-8")
    assert fingerprint(package_copy) != before


@pytest.mark.parametrize("module", ["viz/plots.py", "cli.py", "analysis/compare.py", "corpus/loader.py"])
def test_editing_a_module_parsing_does_not_use_keeps_the_fingerprint(package_copy, module):
    before = fingerprint(package_copy)
    _append(package_copy / module, "\n# an edit that cannot change a parsed number\n")
    assert fingerprint(package_copy) == before


def test_the_default_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"  # the environment variable comes first
    monkeypatch.setenv(ENV_VAR, "  ")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert default_cache_dir() == tmp_path / "xdg" / "govdisclose"
    assert default_cache_dir().name in ("govdisclose", "Cache")


def test_a_report_from_a_cache_of_many_equals_a_fresh_read(tmp_path):
    # the store's categorical columns know the labels of every report it holds; a frame of one
    # report taken from it must still equal the freshly parsed frame (and its CSV round trip)
    cache = tmp_path / "cache"
    govdisclose.load_reports(DATA, cache=cache, progress=False)
    mfa = govdisclose.sample_path("mfa_2023.txt")
    cached = load_reports([mfa], cache=cache, progress=False)
    assert cached.attrs["cache"]["hits"] == 1
    fresh = load_reports([mfa], cache=False, progress=False)
    assert cached.equals(fresh)
    assert list(cached["agency"].cat.categories) == ["外交部"]
    out = govdisclose.write_metrics(cached, tmp_path / "m.csv")
    assert govdisclose.read_metrics(out).equals(cached)
