"""Traditional → Simplified with OpenCC in ``norm`` / ``to_simplified`` (issue 8)."""

from __future__ import annotations

import opencc
import pytest
from traditional import PAIRS

import govdisclose
from govdisclose.template.normalize import norm, to_simplified

from conftest import DATA
from truthcheck import compare


def test_a_traditional_agency_name():
    assert norm("廣東省廣州市人民政府辦公廳") == "广东省广州市人民政府办公厅"
    assert norm("（三） 不予公開 1．屬於國家秘密") == "(三)不予公开1.属于国家秘密"


@pytest.mark.parametrize("trad,simp", [p for p in PAIRS if p[0] != "覆"])
def test_every_character_of_the_old_hand_table(trad, simp):
    assert to_simplified(trad) == simp


def test_a_character_with_two_simplified_forms_goes_by_its_phrase():
    """覆 is 复 in 答覆/重覆 but itself in 覆盖: the hand table folded it to 复 everywhere."""
    assert to_simplified("答覆") == "答复" and to_simplified("重覆申請") == "重复申请"
    assert to_simplified("覆盖") == "覆盖"


def test_the_catalogue_labels_are_left_as_printed():
    for label in govdisclose.catalogue()["label_zh"]:
        assert to_simplified(label) == label


@pytest.mark.parametrize("name", ["mfa_2023.txt", "shanghai_stcsm_2024.txt", "pingtan_2024.html", "shuyang_fgj_2023.html"])
def test_a_fully_traditional_copy_reads_like_the_original(tmp_path, name):
    """Every character converted (OpenCC s2t), not only the template's: same cells, same truth."""
    text = (DATA / name).read_text(encoding="utf-8")
    trad = opencc.OpenCC("s2t").convert(text)
    assert len(to_simplified(trad)) == len(trad)  # one character for one: positions stay valid
    path = tmp_path / name
    path.write_text(trad, encoding="utf-8")
    original = govdisclose.read_report(DATA / name).metrics
    copy = govdisclose.read_report(path).metrics
    assert copy["value"].tolist() == original["value"].tolist()
    assert copy["state"].tolist() == original["state"].tolist()
    result = compare(copy, DATA / "truth" / f"{name.rsplit('.', 1)[0]}.csv")
    assert not result["wrong"] and not result["missing"]


@pytest.mark.parametrize("name,agency,year", [("shuyang_fgj_2023.html", "沭陽縣發展和改革局", 2023),
                                              ("pingtan_2019.txt", "平潭綜合實驗區", 2019)])
def test_the_title_of_a_traditional_copy(tmp_path, name, agency, year):
    """The agency is cut from the printed (Traditional) title; the year is found in its folded form."""
    path = tmp_path / name
    path.write_text(opencc.OpenCC("s2t").convert((DATA / name).read_text(encoding="utf-8")), encoding="utf-8")
    report = govdisclose.read_report(path)
    assert (report.agency, report.year) == (agency, year)


def test_norm_is_cached():
    norm.cache_clear()
    norm("予以公開")
    norm("予以公開")
    assert norm.cache_info().hits == 1
