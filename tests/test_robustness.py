"""Damaged copies of real reports: every outcome is a correct read, a flagged cell, or a
GovDiscloseError — never a wrong number and never a raw exception.

The damage is of the kinds seen in the wild: a download cut short, lines lost or shuffled in a
conversion, garbage characters in labels, junk lines around the tables, corrupted bytes.
"""

from __future__ import annotations

import random
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govdisclose

from conftest import CORPUS, DATA
from truthcheck import compare

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _check(path: Path, truth: Path) -> None:
    """Read a damaged copy: a GovDiscloseError, or numbers that all equal the truth."""
    try:
        report = govdisclose.read_report(path)
    except govdisclose.GovDiscloseError:
        return
    result = compare(report.metrics, truth)
    assert not result["wrong"] or all(state != "number" for _, _, state, _, _ in result["wrong"]), result["wrong"][:5]
    numbers = report.metrics[report.metrics["state"] == "number"]
    assert numbers["value"].notna().all()
    flagged = report.metrics[report.metrics["state"] == "unreadable"]
    assert (flagged["note"].str.len() > 0).all()  # a reason for every flagged cell
    govdisclose.validate(report.metrics)  # never raises on what the reader produced


def _lines(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines()


TEXT_CASES = [("mfa_2023.txt", "mfa_2023"), ("shanghai_stcsm_2024.txt", "shanghai_stcsm_2024")]


@pytest.mark.parametrize("name,stem", TEXT_CASES)
@SETTINGS
@given(cut=st.floats(0, 1))
def test_text_cut_short(tmp_path, name, stem, cut):
    lines = _lines(name)
    path = tmp_path / name
    path.write_text("\n".join(lines[: int(len(lines) * cut)]), encoding="utf-8")
    _check(path, DATA / "truth" / f"{stem}.csv")


@pytest.mark.parametrize("name,stem", TEXT_CASES)
@SETTINGS
@given(data=st.data())
def test_text_lines_lost(tmp_path, name, stem, data):
    lines = _lines(name)
    lost = set(data.draw(st.lists(st.integers(0, len(lines) - 1), max_size=6)))
    path = tmp_path / name
    path.write_text("\n".join(line for k, line in enumerate(lines) if k not in lost), encoding="utf-8")
    _check(path, DATA / "truth" / f"{stem}.csv")


@pytest.mark.parametrize("name,stem", TEXT_CASES)
@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 4))
def test_text_lines_shuffled(tmp_path, name, stem, seed, n):
    lines = _lines(name)
    rng = random.Random(seed)
    unlabelled = re.compile(r"^\|?[\s|0-9]*$")  # a row of numbers only: swapping two of them rewrites the table
    for _ in range(n):  # swap a few pairs of lines
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        if unlabelled.match(lines[i]) and unlabelled.match(lines[j]):
            continue
        lines[i], lines[j] = lines[j], lines[i]
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    _check(path, DATA / "truth" / f"{stem}.csv")


@pytest.mark.parametrize("name,stem", TEXT_CASES)
@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 30))
def test_text_label_garbage(tmp_path, name, stem, seed, n):
    text = list((DATA / name).read_text(encoding="utf-8"))
    rng = random.Random(seed)
    spots = [k for k, ch in enumerate(text) if "\u4e00" <= ch <= "\u9fff"]
    for k in rng.sample(spots, min(n, len(spots))):
        text[k] = rng.choice("？□■�口")
    path = tmp_path / name
    path.write_text("".join(text), encoding="utf-8")
    _check(path, DATA / "truth" / f"{stem}.csv")


@SETTINGS
@given(junk=st.lists(st.text(alphabet="规章行政许可总计其他自然人 、，。一二三（）\t", max_size=30), max_size=5),
       where=st.integers(0, 200))
def test_text_junk_lines(tmp_path, junk, where):
    lines = _lines("mfa_2023.txt")
    lines[where:where] = junk
    path = tmp_path / "mfa.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    _check(path, DATA / "truth" / "mfa_2023.csv")


HTML_CASES = [("pingtan_2024.html", "pingtan_2024"), ("shuyang_fgj_2023.html", "shuyang_fgj_2023")]


@pytest.mark.parametrize("name,stem", HTML_CASES)
@SETTINGS
@given(cut=st.floats(0, 1))
def test_html_cut_short(tmp_path, name, stem, cut):
    data = (DATA / name).read_bytes()
    at = data.rfind(b"<", 0, int(len(data) * cut))  # a download cut at a tag boundary
    path = tmp_path / name
    path.write_bytes(data[: max(at, 0)])
    _check(path, DATA / "truth" / f"{stem}.csv")


@pytest.mark.parametrize("name,stem", HTML_CASES)
@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 40))
def test_html_tag_damage(tmp_path, name, stem, seed, n):
    data = bytearray((DATA / name).read_bytes())
    rng = random.Random(seed)
    spots = [k for k, b in enumerate(data) if b in b"<>/\"="]
    for k in rng.sample(spots, min(n, len(spots))):
        data[k] = ord(rng.choice(" x"))
    path = tmp_path / name
    path.write_bytes(bytes(data))
    _check(path, DATA / "truth" / f"{stem}.csv")


def _binary_cases() -> list[tuple[Path, Path]]:
    out = []
    for name in ("huaian_2024.pdf", "hongze_2024.pdf"):
        if (CORPUS / name).exists():
            out.append((CORPUS / name, CORPUS / "truth" / name.replace(".pdf", ".csv")))
    return out


@pytest.mark.parametrize("source,truth", _binary_cases(), ids=lambda p: p.name)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), mode=st.sampled_from(["cut", "flip", "zero"]))
def test_pdf_damage(tmp_path, source, truth, seed, mode):
    data = bytearray(source.read_bytes())
    rng = random.Random(seed)
    if mode == "cut":
        data = data[: rng.randrange(len(data))]
    else:
        for _ in range(rng.randrange(1, 20)):
            k = rng.randrange(len(data))
            data[k] = rng.randrange(256) if mode == "flip" else 0
    path = tmp_path / source.name
    path.write_bytes(bytes(data))
    _check(path, truth)
    assert source.read_bytes()[:4] == b"%PDF"  # the original is untouched


def test_zip_that_is_not_a_word_file(tmp_path):
    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a Word document")
    with pytest.raises(govdisclose.GovDiscloseError):
        govdisclose.read_report(path)


def test_truth_values_survive_a_round_trip():
    # the oracle itself must be able to fail: a changed number is reported as wrong
    report = govdisclose.read_report(DATA / "mfa_2023.txt")
    m = report.metrics.copy()
    m.loc[0, "value"] = 99
    result = compare(m, DATA / "truth" / "mfa_2023.csv")
    assert len(result["wrong"]) == 1 and Decimal(str(result["wrong"][0][3])) == 99


def test_flattened_rows_split_by_row_totals_alone_are_reported(tmp_path):
    # damage one digit of a structure-lost table-3 run so that no reading satisfies the columns
    text = (DATA / "pingtan_2021.txt").read_text(encoding="utf-8")
    damaged = text.replace("（一）予以公开270020130", "（一）予以公开270020131", 1)
    assert damaged != text
    path = tmp_path / "pingtan_2021.txt"
    path.write_text(damaged, encoding="utf-8")
    report = govdisclose.read_report(path)
    assert "decode.row_totals_only" in set(report.findings["rule"])
    assert not govdisclose.validate(report.metrics).empty  # the columns' failure is listed, not hidden
