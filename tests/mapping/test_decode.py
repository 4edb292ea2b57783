"""decode: cutting digit runs into values with the template's arithmetic, never guessing."""

from __future__ import annotations

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govdisclose.exceptions import GovDiscloseError
from govdisclose.mapping.decode import (
    CANDIDATE_CAP,
    MAX_PIECE,
    Decoded,
    count_splits,
    decode_fields,
    decode_requests,
    decode_review,
    splits,
)
from govdisclose.mapping.flattened import unflatten
from govdisclose.template.catalogue import APPLICANTS, requests_rows
from govdisclose.template.normalize import norm

from conftest import corpus_file, truth_file

BALANCE = ["new_received", "carried_over", "total_processed", "carried_forward"]
REVIEW = [f"{b}.{p}" for b in ("review", "litigation_direct", "litigation_after_review")
          for p in ("upheld", "corrected", "other", "pending", "total")]


# -- splits ------------------------------------------------------------------------------------

def test_splits_no_leading_zeros():
    cuts = splits("640020470", 7)
    assert ("64", "0", "0", "2", "0", "4", "70") in cuts and ("6", "40", "0", "20", "4", "7", "0") in cuts
    assert ("6", "40", "02", "0", "4", "7", "0") not in cuts and len(cuts) == count_splits("640020470", 7) == 12
    assert all(not (p.startswith("0") and len(p) > 1) for r in splits("10203120001200000", 15) for p in r)
    assert splits("00", 1) == []
    assert splits("0000000", 7) == [("0",) * 7]


def test_spaces_are_hard_boundaries():
    assert splits("230 000023", 7) == [
        ("2", "30", "0", "0", "0", "0", "23"),
        ("23", "0", "0", "0", "0", "0", "23"),
        ("230", "0", "0", "0", "0", "2", "3"),
    ]
    assert splits("0 0 0 0 0 00", 7) == [("0",) * 7]
    assert splits("12 3", 2) == [("12", "3")]
    assert splits("1 2 3", 2) == []  # a space is never inside one value
    assert splits("1\u30002", 2) == [("1", "2")]  # ideographic space too


def test_decimals_and_units_stay_with_their_number():
    assert splits("24252.311082", 1) == [("24252.311082",)]
    assert splits("13575394432.52元", 2)[2] == ("135", "75394432.52元")
    assert ("13575394", "432.52元") in splits("13575394432.52元", 2)
    assert not any(p.startswith(("元", ".")) or p.endswith(".") for r in splits("5.2元3", 2) for p in r)
    assert splits("5270.6597万元", 1) == [("5270.6597万元",)]
    assert splits("12万元5", 2) == [("12万元", "5")]
    assert splits("1.2.3", 1) == []


def test_signs_only_where_signed():
    assert splits("+1036", 1) == []
    assert splits("+1036", 1, signed=True) == [("+1036",)]
    assert splits("396-5181", 3, signed=True)[0] == ("3", "96", "-5181")
    assert ("396", "-5", "181") in splits("396-5181", 3, signed=True)
    assert splits("12-", 2, signed=True) == [("12", "-")]  # a lone dash is a placeholder, not a sign


def test_full_width_digits_are_kept_as_printed():
    assert splits("６４００２０４７０", 7)[0][0] == "６"
    assert decode_requests(["６４００２０４７０"], ["new_received"])[0].values == ("６４", "０", "０", "２", "０", "４", "７０")


def test_limit_and_count():
    assert count_splits("693665", 3) == 10 == len(splits("693665", 3))
    assert len(splits("1" * 40, 7, limit=50)) == 50
    assert count_splits("1" * 40, 7) > 50
    assert splits("123", 0) == [] and count_splits("123", 0) == 0


def test_long_runs_are_bounded(decode_work):
    assert count_splits("0" * 200_000, 7) == 0
    assert decode_review("0" * 50_000).values == (None,) * 15
    assert decode_work.pieces == 0  # longer than every slot at its widest: refused without a lattice
    assert decode_fields("1" * 160, 7).unique is False
    assert decode_requests(["1" * 160] * 25, list(requests_rows("2021")))[0].values == (None,) * 7
    assert decode_work.pieces <= MAX_PIECE * 160 * 26  # linear: at most MAX_PIECE tries a character


# -- table 2 -----------------------------------------------------------------------------------

def test_fields_unique_only_with_one_split():
    assert decode_fields("000", 3).values == ("0", "0", "0")
    assert decode_fields("2293", 1).unique
    d = decode_fields("693665", 3)  # 69|3|665: no rule tells the ten cuts apart
    assert d.values == (None, None, None) and ("69", "3", "665") in d.candidates
    assert "ambiguous: 10 readings" in d.note
    d = decode_fields("13575394432.52元", 2)
    assert not d.unique and ("135", "75394432.52元") in d.candidates


def test_fields_partial_agreement_and_cap():
    d = decode_fields("5 123", 3)
    assert d.values[0] == "5" and d.values[1:] == (None, None)
    d = decode_fields("1" * 30, 4)
    assert len(d.candidates) == CANDIDATE_CAP and f"{CANDIDATE_CAP} of" in d.note


def test_fields_bad_n():
    with pytest.raises(GovDiscloseError):
        decode_fields("12", 0)


# -- table 4 -----------------------------------------------------------------------------------

def test_review_block_totals():
    d = decode_review("10203120001200000")
    assert d.values == ("1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0")
    assert d.unique and "block totals (1 reading)" in d.note


def test_review_source_error_is_kept_as_printed():
    # 洪泽 2023: 行政复议 总计 printed 0 beside 10+1, 复议后起诉 总计 0 beside 5.
    d = decode_review("10 1 0 0 0 0 0 0 0 0 5 0 0 0 0")
    assert d.values == ("10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0")
    assert "no reading satisfies the block totals" in d.note
    d = decode_review("101000000005000 0")  # the same figures glued: 10|1 or 1|0|1 ... no rule left
    assert d.values[:3] == (None, None, None)
    assert ("10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0") in d.candidates


def test_review_ambiguous_and_unreadable():
    d = decode_review("11011")
    assert d.values == (None,) * 15 and d.candidates == () and "cannot be cut" in d.note
    d = decode_review("/" * 15)
    assert d.values == ("/",) * 15 and "not checked" in d.note


# -- table 3 -----------------------------------------------------------------------------------

def test_row_total_alone():
    d = decode_requests(["640020470"], ["new_received"])[0]
    assert d.values == ("64", "0", "0", "2", "0", "4", "70") and d.unique
    assert "row total (1 reading)" in d.note


def test_two_readings_give_none_and_both_candidates():
    d = decode_requests(["0020011132", None, None, None], BALANCE)[0]
    assert d.values == ("0", "0", "20", "0", None, None, "32")
    assert set(d.candidates) == {("0", "0", "20", "0", "1", "11", "32"), ("0", "0", "20", "0", "11", "1", "32")}
    assert "ambiguous: 2 readings" in d.note
    assert not d.unique


def test_balance_resolves_what_the_row_total_cannot():
    # new 0|0|20|0|1|11|32 or 0|0|20|0|11|1|32; the balance with the other three rows decides.
    rows = ["0020011132", "0000000", ("0", "0", "20", "0", "11", "1", "32"), "0000000"]
    d = decode_requests(rows, BALANCE)
    assert d[0].values == ("0", "0", "20", "0", "11", "1", "32")
    assert "column balance" in d[0].note
    assert d[2].values == ("0", "0", "20", "0", "11", "1", "32") and "given" in d[2].note


def test_arithmetic_error_in_the_source_falls_back_to_row_totals():
    items = list(requests_rows("2021"))
    rows = _pingtan_2021_rows()
    rows[items.index("total_processed")] = "620020468"  # printed 62 for 63: columns no longer add up
    d = decode_requests(rows, items)
    assert d[items.index("total_processed")].values == ("62", "0", "0", "2", "0", "4", "68")
    assert all("no reading of the table satisfies the column rules" in x.note for x in d)
    assert d[0].values == ("64", "0", "0", "2", "0", "4", "70")


def test_arithmetic_error_never_forces_a_reading():
    items = list(requests_rows("2021"))
    rows = _pingtan_2021_rows()
    rows[items.index("granted")] = "0020011132"  # two row-total readings, and the columns fail
    d = decode_requests(rows, items)[items.index("granted")]
    assert d.values[4:6] == (None, None) and len(d.candidates) == 2
    assert "no reading of the table satisfies the column rules" in d.note


def test_a_row_whose_total_fails_is_still_read_by_the_columns():
    items = BALANCE
    rows = ["7000008", "0000000", ("7", "0", "0", "0", "0", "0", "7"), ("0", "0", "0", "0", "0", "0", "1")]
    d = decode_requests(rows, items)[0]
    assert d.values == ("7", "0", "0", "0", "0", "0", "8")
    assert "no cut satisfies the row total" in d.note


def test_missing_rows_and_bad_rows():
    items = list(requests_rows("2019"))
    rows: list[object] = [None] * len(items)
    rows[0] = "230 000023"
    rows[1] = ("0", "0")
    d = decode_requests(rows, items)
    assert d[0].values == ("23", "0", "0", "0", "0", "0", "23")
    assert d[1].values == (None,) * 7 and "expected 7 cells" in d[1].note
    assert d[2].note == "row missing" and d[2].candidates == ()
    with pytest.raises(GovDiscloseError):
        decode_requests(["0000000"], items)


def test_placeholders_count_zero_in_the_row_total():
    # 4|1|/|2|——|1|8 is the only cut that adds up with / and —— counted 0 (three cuts in all)
    d = decode_requests(["41/2——18"], ["carried_over"])[0]
    assert count_splits("41/2——18", 7) == 3
    assert d.values == ("4", "1", "/", "2", "——", "1", "8") and d.unique
    assert d.candidates == (("4", "1", "/", "2", "——", "1", "8"),) and "row total (1 reading)" in d.note
    d = decode_requests(["41/2——19"], ["carried_over"])[0]  # no cut adds up: the source's own error
    assert d.values == (None,) * 7 and len(d.candidates) == 3 and "no cut satisfies the row total" in d.note
    d = decode_requests(["1-2-3-—"], ["carried_over"])[0]  # the total itself is a placeholder: no rule
    assert d.values == ("1", "-", "2", "-", "3", "-", "—") and "row total not checked" in d.note


def test_placeholders_count_zero_in_the_block_totals():
    d = decode_review("312—6无无无无01———1")
    assert d.values == ("3", "1", "2", "—", "6", "无", "无", "无", "无", "0", "1", "—", "—", "—", "1")
    assert d.unique and "block totals (1 reading)" in d.note
    d = decode_review("312—6无无无无—1———1")  # 行政诉讼 总计 printed —: the block totals are not checked
    assert "block totals not checked" in d.note


def test_a_placeholder_is_one_mark_repeated():
    assert splits("—-", 2) == [("—", "-")] and splits("—-", 1) == []
    assert splits("——", 1) == [("——",)] and splits("1无2", 3) == [("1", "无", "2")]


def test_empty_and_impossible_runs():
    d = decode_requests(["", "123"], ["new_received", "carried_over"])
    assert d[0].note == "empty run" and "cannot be cut" in d[1].note


def test_decoded_unique():
    assert Decoded(("1",), (("1",),), "").unique
    assert not Decoded((), (), "").unique


def test_requests_work_is_linear_in_the_printed_digits(decode_work):
    # (the speed itself is for ``make bench``)
    rows = _pingtan_2021_rows()
    assert decode_requests(rows, list(requests_rows("2021")))[0].values == ("64", "0", "0", "2", "0", "4", "70")
    assert 0 < decode_work.pieces <= MAX_PIECE * sum(len(str(r)) for r in rows)


def _pingtan_2021_rows() -> list[object]:
    return ["640020470", "0000000", "270020130", "500000 5", "0000000", "0000000", "0000000", "0000000",
            "1000001", "0000000", "6000006", "1000001", "220000325", "0000000", "0000000", "0000000",
            "0000000", "0000000", "0000000", "0000000", "0000000", "0000000", "1000001", "630020469", "1000001"]


# -- property: a consistent table 3, flattened, decodes to itself where it decides ----------------

_COUNT = st.one_of(st.just(0), st.just(0), st.integers(0, 12), st.integers(0, 300))


@st.composite
def _table3(draw: st.DrawFn) -> tuple[list[str], list[tuple[int, ...]], list[str]]:
    template = draw(st.sampled_from(["2019", "2021"]))
    items = list(requests_rows(template))
    leaves = items[2:-2]
    table: dict[str, list[int]] = {}
    for item in leaves:
        table[item] = [draw(_COUNT) for _ in range(6)]
    total = [sum(table[i][c] for i in leaves) for c in range(6)]
    forward = [draw(_COUNT) for _ in range(6)]
    over = [min(draw(_COUNT), total[c] + forward[c]) for c in range(6)]
    table["total_processed"] = total
    table["carried_forward"] = forward
    table["carried_over"] = over
    table["new_received"] = [total[c] + forward[c] - over[c] for c in range(6)]
    truth = [tuple(table[i]) + (sum(table[i]),) for i in items]
    spaced = draw(st.lists(st.booleans(), min_size=len(items), max_size=len(items)))
    runs = []
    for row, space in zip(truth, spaced):
        cut = draw(st.integers(1, 6)) if space else 0
        texts = [str(v) for v in row]
        runs.append("".join(texts[:cut]) + (" " if cut else "") + "".join(texts[cut:]))
    return items, truth, runs


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_table3())
def test_property_decoded_slots_equal_the_original(case):
    items, truth, runs = case
    for row, want, run in zip(decode_requests(runs, items), truth, runs):
        for got, value in zip(row.values, want):
            assert got is None or int(got) == value, (run, row)
        assert row.candidates, run  # the true reading always satisfies the rules
        if len(row.candidates) < CANDIDATE_CAP:
            assert tuple(str(v) for v in want) in row.candidates


# -- the real documents ------------------------------------------------------------------------

_ROWS = {"规章": "regulations", "行政规范性文件": "normative_documents", "规范性文件": "normative_documents",
         "行政许可": "licensing", "其他对外管理服务事项": "other_services", "行政处罚": "penalty",
         "行政强制": "enforcement", "行政事业性收费": "fees", "政府集中采购": "procurement"}
_FIELDS = {"本年制发件数": "issued", "本年废止件数": "repealed", "现行有效件数": "in_force",
           "本年新制作数量": "new_made", "本年新公开数量": "new_published", "对外公开总数量": "total_published",
           "上一年项目数量": "prev_items", "本年增/减": "change", "处理决定数量": "decisions",
           "本年处理决定数量": "decisions", "本年收费金额(单位:万元)": "amount", "采购项目数量": "items",
           "采购总金额": "amount"}

# (document, template, cells determined and equal to the truth, cells left undetermined)
_EXPECTED = [("pingtan_2019", "2019", 179, 19), ("pingtan_2021", "2021", 197, 3),
             ("pingtan_2023", "2021", 197, 3), ("pingtan_2024", "2021", 197, 3)]


def _decode_document(text: str, template: str) -> dict[tuple[str, str, str | None], tuple[str | None, str, int]]:
    """(table, item, applicant) → (decided value, run, slot) for every run cell of the document."""
    t2, t3, t4 = unflatten(text)
    got: dict[tuple[str, str, str | None], tuple[str | None, str, int]] = {}
    fields: list[str] = []
    for row in t2.rows:
        if norm(row[0].text) == "信息内容":
            fields = [_FIELDS[norm(c.text)] for c in row[1:]]
        elif len(row) == 2 and row[1].run:
            code = _ROWS[norm(row[0].text)]
            d = decode_fields(row[1].text, len(fields), signed="change" in fields)
            for j, f in enumerate(fields):
                got[("active_disclosure", f"{code}.{f}", None)] = (d.values[j], row[1].text, j)
    data = [r for r in t3.rows if len(r) == 2 and r[1].run]
    items = requests_rows(template)
    assert len(data) == len(items)
    for item, row, d in zip(items, data, decode_requests([r[1].text for r in data], items)):
        for j, a in enumerate(APPLICANTS):
            got[("requests", item, a)] = (d.values[j], row[1].text, j)
    d = decode_review(t4.rows[1][0].text)
    for j, code in enumerate(REVIEW):
        got[("review_litigation", code, None)] = (d.values[j], t4.rows[1][0].text, j)
    return got


@pytest.mark.parametrize(("stem", "template", "exact", "undetermined"), _EXPECTED)
def test_every_run_of_the_document_decodes_to_the_truth(stem, template, exact, undetermined):
    text = corpus_file(f"{stem}.txt").read_text(encoding="utf-8")
    with truth_file(stem).open(encoding="utf-8") as fh:
        truth = {(r["table"], r["item"], r["applicant"] or None): r["value"] for r in csv.DictReader(fh)}
    got = _decode_document(text, template)
    assert set(got) == set(truth)
    counts = {"exact": 0, "undetermined": 0, "wrong": []}
    for key, want in truth.items():
        value, run, slot = got[key]
        if value is None:
            counts["undetermined"] += 1
            # only where the source is truly ambiguous: a table-2 row with several cuts and no rule
            assert key[0] == "active_disclosure", key
            n = len([k for k in got if k[0] == key[0] and k[1].split(".")[0] == key[1].split(".")[0]])
            assert count_splits(run, n, signed=True) > 1
            assert want in {r[slot].rstrip("元") for r in splits(run, n, signed=True)}
        elif value.rstrip("元") == want:
            counts["exact"] += 1
        else:
            counts["wrong"].append((key, want, value))
    assert counts["wrong"] == []
    assert (counts["exact"], counts["undetermined"]) == (exact, undetermined)
