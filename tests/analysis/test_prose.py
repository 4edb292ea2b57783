"""Prose analysis on the bundled 平潭 reports: section lengths, copied sentences, section 五."""

import random
import re
from pathlib import Path

import pandas as pd
import pytest

import govdisclose
from govdisclose.analysis.prose import copied_sentences, copied_share, problems_and_improvements, section_lengths

DATA = Path(govdisclose.sample_dir())
ZRZ = [DATA / f"pingtan_zrz_{y}.txt" for y in range(2019, 2025)]
ZONE = [DATA / "pingtan_2019.html", DATA / "pingtan_2021.txt", DATA / "pingtan_2023.txt", DATA / "pingtan_2024.html"]


def test_consecutive_years_are_compared_for_every_pingtan_report():
    shares = copied_sentences(ZRZ + ZONE)
    whole = shares[shares["section"] == "all"]
    pairs = {(a, y, p) for a, y, p in zip(whole["agency"], whole["year"], whole["previous_year"])}
    zrz, zone = "平潭综合实验区自然资源与生态环境局", "平潭综合实验区"
    assert pairs == {(zrz, y, y - 1) for y in range(2020, 2025)} | {(zone, 2021, 2019), (zone, 2023, 2021), (zone, 2024, 2023)}
    assert whole["copied_share"].between(0, 1).all()
    assert set(shares.columns) >= {"agency", "year", "section", "copied_share", "source"}


def test_zrz_2020_copies_sentences_of_2019():
    # Printed in both reports' section 一 (checked by reading them): 一是把公共资源配置领域…, 将土地供应计划…,
    # 将征收土地公告…, 二是把环境保护领域…, 三是完善公开平台,拓宽公开渠道。
    shares = copied_sentences(ZRZ[:2])
    one = shares[shares["section"] == "一"].iloc[0]
    assert one["exact"] >= 5
    assert one["copied_share"] > 0.3


def test_identical_text_is_one_and_shuffled_text_is_about_zero():
    text = "\n".join(govdisclose.read_report(DATA / "pingtan_2023.txt").sections.values())
    assert copied_share(text, text) == 1.0
    chars = list(text)
    random.Random(15).shuffle(chars)
    assert copied_share(text, "".join(chars)) < 0.1


def test_an_identical_report_a_year_later_is_copied_entirely(tmp_path):
    text = (DATA / "pingtan_zrz_2023.txt").read_text(encoding="utf-8")
    later = tmp_path / "pingtan_zrz_2024.txt"
    later.write_text(text.replace("2023年", "2024年"), encoding="utf-8")
    shares = copied_sentences([DATA / "pingtan_zrz_2023.txt", later])
    prose = shares[shares["section"].isin(["一", "五", "all"])]
    assert (prose["year"] == 2024).all() and len(prose) == 3
    # every sentence is the previous one with its year changed: copies, numbers masked
    assert (prose["copied_share"] == 1.0).all() and (prose["near"] == 0).all()


def test_a_sentence_copied_with_its_year_updated_counts_as_copied():
    # 平潭 2023 section 六 “2023年，无收取信息处理费情况。”, 2024 “2024年，无收取信息处理费情况。”
    shares = copied_sentences([DATA / "pingtan_2023.txt", DATA / "pingtan_2024.html"])
    six = shares[shares["section"] == "六"].iloc[0]
    assert (six["sentences"], six["exact"], six["copied_share"]) == (1, 1, 1.0)


def test_section_lengths_cover_each_section_of_each_report():
    lengths = section_lengths(ZONE)
    assert set(lengths["section"]) == {"一", "二", "三", "四", "五", "六"}
    assert (lengths.groupby("year", observed=True).size() == 6).all()
    mfa = section_lengths([DATA / "mfa_2023.txt"]).set_index("section")
    # section 三 of the text rendering is its heading only (the table is separate)
    assert mfa.loc["三", "sentences"] == 0 and mfa.loc["一", "chars"] > 1000


def test_section_five_problems_and_improvements_of_mfa_2023():
    five = problems_and_improvements([DATA / "mfa_2023.txt"])
    problems = five[five["kind"] == "problem"]["sentence"].tolist()
    improvements = five[five["kind"] == "improvement"]["sentence"].tolist()
    # as printed: 但仍存在以下不足：一是政策解读…；二是…能力还存在不足…；三是…仍有进步空间。
    assert len(problems) == 3 and problems[1].startswith("二是政府信息公开工作能力还存在不足")
    assert problems[2].startswith("三是在满足人民群众个性化需求上")
    assert improvements[-1].startswith("2024年,我部将继续")
    assert improvements[0].startswith("2023年,我部针对上一年度工作存在的主要问题")
    assert isinstance(five, pd.DataFrame) and (five["section"] == "五").all()


def test_answered_problems_pairs_last_years_problems_with_this_years_improvements():
    from govdisclose.analysis.prose import ANSWERED, answered_problems, problems_and_improvements

    files = [govdisclose.sample_path(f"pingtan_zrz_{y}.txt") for y in (2019, 2020)]
    five = problems_and_improvements(files)
    problems = list(five[(five["year"] == 2019) & (five["kind"] == "problem")]["sentence"])
    improvements = list(five[(five["year"] == 2020) & (five["kind"] == "improvement")]["sentence"])
    found = answered_problems(files)
    assert list(found["problem"]) == problems and len(problems) >= 1
    for row in found.itertuples():
        assert row.improvement in improvements and (row.year, row.previous_year) == (2020, 2019)
        def bigrams(s: str) -> set[str]:
            s = re.sub(r"\d+(?:\.\d+)?", "#", s)  # numbers masked, as the module does
            return {s[i:i + 2] for i in range(len(s) - 1)}
        grams = bigrams(row.problem)
        best = max(len(grams & bigrams(s)) / len(grams) for s in improvements)
        assert row.overlap == pytest.approx(best) and row.answered == (row.overlap >= ANSWERED)
