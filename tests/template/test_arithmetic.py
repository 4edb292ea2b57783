"""The template's arithmetic as data: equations from the catalogue, and the blank policy of spec §4."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from govdisclose.template import arithmetic as ar
from govdisclose.template.catalogue import APPLICANTS, catalogue, requests_rows, template_cells
from govdisclose.template.values import parse_value

from conftest import CORPUS, DATA


def _counts(*args, **kw) -> dict[str, int]:
    return dict(Counter(eq.rule for eq in ar.equations(*args, **kw)))


def test_counts_per_template():
    # spec §4: a balance and an outcome total per applicant column (7), a row total per row, 3 blocks
    assert _counts("2021") == {"requests.row_total": 25, "requests.balance": 7, "requests.outcome_total": 7,
                               "review_litigation.block_total": 3}
    assert _counts("2019") == {"requests.row_total": 23, "requests.balance": 7, "requests.outcome_total": 7,
                               "review_litigation.block_total": 3}
    assert _counts("2021", single_other_handling=True) == _counts("2019")
    assert _counts("2021", tables=("review_litigation",)) == {"review_litigation.block_total": 3}


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_outcome_rows_are_the_catalogue_leaves(template):
    # spec §4: 21 leaf outcome rows in 2021, 19 in 2019; （三）–（六） have no printed subtotal
    leaves = ar.outcome_rows(template)
    assert len(leaves) == {"2021": 21, "2019": 19}[template]
    cat = catalogue().query("table == 'requests'").set_index("item")
    assert all(cat.loc[i, "leaf"] for i in leaves)
    assert [i for i in requests_rows(template) if cat.loc[i, "leaf"]] == list(leaves)
    (outcome,) = [e for e in ar.equations(template) if e.rule == "requests.outcome_total" and e.applicant == "total"]
    assert [k[1] for k in outcome.parts] == list(leaves) and outcome.totals == (("requests", "total_processed", "total"),)


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_every_table3_and_table4_cell_is_in_an_equation(template):
    cells = set(template_cells(template))
    covered = [k for e in ar.equations(template) for k in e.cells]
    assert set(covered) <= cells
    arithmetic_cells = {k for k in cells if k[0] in ("requests", "review_litigation")}
    assert set(covered) == arithmetic_cells
    # each table-3 cell sits in exactly one row total (spec §4: "for every row")
    row_cells = Counter(k for e in ar.equations(template) if e.rule == "requests.row_total" for k in e.cells)
    assert set(row_cells.values()) == {1} and len(row_cells) == 7 * len(requests_rows(template))


def test_balance_is_the_printed_one():
    # spec §4: new_received + carried_over = total_processed + carried_forward, per applicant column
    balances = [e for e in ar.equations("2021") if e.rule == "requests.balance"]
    assert [e.applicant for e in balances] == list(APPLICANTS)
    nat = balances[0]
    assert nat.parts == (("requests", "new_received", "natural_person"), ("requests", "carried_over", "natural_person"))
    assert nat.totals == (("requests", "total_processed", "natural_person"), ("requests", "carried_forward", "natural_person"))


def test_review_blocks_as_data():
    # spec §2: 行政复议 (维持, 纠正, 其他, 尚未审结, 总计), then the two 行政诉讼 blocks, same five
    assert [b.name for b in ar.review_blocks()] == ["review", "litigation_direct", "litigation_after_review"]
    assert ar.review_items() == tuple(catalogue().query("table == 'review_litigation'")["item"])
    assert all([p.split(".")[1] for p in b.parts] == ["upheld", "corrected", "other", "pending"] for b in ar.review_blocks())
    assert ar.applicant_columns() == APPLICANTS and len(ar.applicant_parts()) == 6


# --- the blank policy, case by case from spec §4 --------------------------------------------------

_BLOCK = ar.equations("2021", tables=("review_litigation",))[0]
_T, (_UP, _CORR, _OTHER, _PEND) = _BLOCK.totals[0], _BLOCK.parts


def _block(total, upheld, corrected, other, pending):
    def cell(v):
        if v == "":
            return ("blank", None)
        if v == "/":
            return ("na", None)
        if v == "?":
            return ("unreadable", None)
        return ("number", v)
    return {_T: cell(total), _UP: cell(upheld), _CORR: cell(corrected), _OTHER: cell(other), _PEND: cell(pending)}


def test_fully_printed_holds_or_fails():
    # "Hard rules, which a correct report satisfies exactly"
    assert ar.evaluate(_BLOCK, _block(11, 10, 1, 0, 0)).status == "holds"
    # "a district's table 4 with totals 0 beside non-zero parts": report it as a finding
    v = ar.evaluate(_BLOCK, _block(0, 10, 1, 0, 0))
    assert (v.status, v.severity, v.totals_sum, v.parts_sum) == ("error", "error", 0, 11)


def test_blank_part_as_zero_only_where_it_makes_the_total_agree():
    # "treat a blank component as 0 only where that makes the printed total agree; report it as unfilled"
    v = ar.evaluate(_BLOCK, _block(11, 10, 1, "", ""))
    assert (v.status, v.severity) == ("unfilled", "warning")
    assert v.message.startswith("unfilled") and set(v.zeros) == {_OTHER, _PEND}


def test_blank_total_is_never_zero():
    # "never treat a blank total as 0"
    v = ar.evaluate(_BLOCK, _block("", 0, 0, 0, 0))
    assert v.status == "blank_total" and v.zeros == () and v.totals_sum is None
    v = ar.evaluate(_BLOCK, _block("", 3, 0, 0, 0))
    assert v.status == "shortfall" and "blank total is not taken as 0" in v.message


def test_printed_parts_above_the_printed_total_is_an_error_even_with_blanks():
    # "where the printed parts alone already exceed the printed total ... that is an error"
    v = ar.evaluate(_BLOCK, _block(5, 4, 2, "", ""))
    assert (v.status, v.severity, v.totals_sum, v.parts_sum) == ("error", "error", 5, 6)
    assert v.blanks == (_OTHER, _PEND)


def test_shortfall_the_blanks_could_fill_is_a_warning():
    # "Only a shortfall that the blanks could fill is a warning"
    v = ar.evaluate(_BLOCK, _block(5, 4, "", 0, 0))
    assert (v.status, v.severity, v.zeros) == ("shortfall", "warning", ())


def test_balance_side_with_blanks_larger_than_the_fully_printed_side():
    # "(or a balance side with blanks is already larger than the other, fully printed side)"
    (bal,) = [e for e in ar.equations("2021") if e.rule == "requests.balance" and e.applicant == "natural_person"]
    new, over = bal.parts
    done, forward = bal.totals
    printed = {new: ("number", 5), over: ("number", 0), done: ("number", 6), forward: ("blank", None)}
    assert ar.evaluate(bal, printed).status == "error"     # 5 + 0 < 6 + (blank ≥ 0)
    printed[done] = ("number", 4)
    assert ar.evaluate(bal, printed).status == "shortfall"  # 5 = 4 + blank: the blank could be 1
    printed[done] = ("number", 5)
    v = ar.evaluate(bal, printed)
    assert v.status == "unfilled" and v.zeros == (forward,)
    printed[over] = ("blank", None)                         # blanks on both sides: nothing is shown to be 0
    v = ar.evaluate(bal, printed)
    assert v.status == "unfilled" and v.zeros == ()


def test_placeholders_count_as_zero():
    # '/' means nothing was printed because there is nothing: counted as 0, never an unknown
    assert ar.evaluate(_BLOCK, _block(11, 10, 1, "/", "/")).status == "unfilled"
    assert ar.evaluate(_BLOCK, _block(12, 10, 1, "/", "/")).status == "error"
    assert ar.evaluate(_BLOCK, _block("/", 10, 1, 0, 0)).status == "error"
    assert ar.evaluate(_BLOCK, _block("/", "/", "/", "/", "/")).status == "empty"


def test_unreadable_means_unchecked():
    v = ar.evaluate(_BLOCK, _block(0, 10, "?", 0, 0))
    assert (v.status, v.severity, v.unreadable) == ("unchecked", "warning", (_CORR,))
    assert ar.evaluate(_BLOCK, {_T: ("number", 1)}).status == "absent"


def test_holds_where_printed():
    eqs = ar.equations("2021", tables=("review_litigation",))
    zeros = {k: ("number", 0) for e in eqs for k in e.cells}
    assert ar.holds_where_printed(eqs, zeros)
    blank = zeros | {_UP: ("blank", None)}
    confirmation = ar.holds_where_printed(eqs, blank)
    assert bool(confirmation) and len(confirmation.checked) == 2
    assert not ar.holds_where_printed(eqs, {k: ("blank", None) for k in zeros})  # nothing checked confirms nothing
    assert ar.agrees(_BLOCK, _block(1, 1, "", "/", 0)) and not ar.agrees(_BLOCK, _block("", 0, 0, 0, 0))
    assert not ar.agrees(_BLOCK, _block("/", 0, 0, 0, 0))  # a window is taken only beside a printed total


# --- on real reports' truth (hand-checked cells, as printed) ---------------------------------------

def _truth_cells(path: Path) -> dict:
    truth = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {(t, i, a or None): parse_value(v) for t, i, a, v in truth[["table", "item", "applicant", "value"]].itertuples(index=False)}


def _failing(path: Path) -> set[tuple[str, str | None, str | None]]:
    cells = _truth_cells(path)
    template = "2021" if ("requests", "other_handling.other", "total") in cells else "2019"
    verdicts = [(e, ar.evaluate(e, cells)) for e in ar.equations(template)]
    assert all(v.status != "absent" for _, v in verdicts)
    return {(e.rule, e.item, e.applicant) for e, v in verdicts if v.status == "error"}


_DEPTS = CORPUS / "pingtan_depts" / "truth"
# The source errors listed in shared/corpus/pingtan_depts/README.md ("Arithmetic errors in the sources").
_SOURCE_ERRORS = {
    "pingtan_zrz_2020": {("requests.outcome_total", "total_processed", "legal_service_org"),
                         ("requests.outcome_total", "total_processed", "total")},
    "pingtan_zrz_2021": {("requests.outcome_total", "total_processed", "natural_person"), ("requests.balance", None, "natural_person"),
                         ("requests.outcome_total", "total_processed", "social_welfare_org"),
                         ("requests.balance", None, "social_welfare_org")},
    "pingtan_zrz_2023": {("requests.row_total", "partially_granted", "total"), ("requests.row_total", "total_processed", "total"),
                         ("requests.balance", None, "commercial_enterprise")},
    "pingtan_shs_2024": {("review_litigation.block_total", "litigation_after_review.total", None)},
}


@pytest.mark.parametrize("stem", ["pingtan_zrz_2019", "pingtan_zrz_2020", "pingtan_zrz_2021", "pingtan_zrz_2022", "pingtan_zrz_2023",
                                  "pingtan_zrz_2024", "pingtan_shs_2022", "pingtan_shs_2023", "pingtan_shs_2024"])
def test_documented_source_errors_and_nothing_else(stem):
    if not _DEPTS.is_dir():
        pytest.skip("shared corpus not found")
    assert _failing(_DEPTS / f"{stem}.csv") == _SOURCE_ERRORS.get(stem, set())


@pytest.mark.parametrize("stem", ["mfa_2023", "pingtan_2019", "pingtan_2021", "pingtan_2023", "pingtan_2024"])
def test_clean_bundled_reports_hold_everywhere(stem):
    cells = _truth_cells(DATA / "truth" / f"{stem}.csv")
    template = "2021" if ("requests", "other_handling.other", "total") in cells else "2019"
    assert {ar.evaluate(e, cells).status for e in ar.equations(template)} == {"holds"}


def test_blank_heavy_report_is_unfilled_not_an_error():
    # shuyang 2023 leaves the five 法人 columns blank: every row total agrees only with blanks as 0
    cells = _truth_cells(DATA / "truth" / "shuyang_fgj_2023.csv")
    verdicts = {(e.rule, e.item, e.applicant): ar.evaluate(e, cells) for e in ar.equations("2021")}
    rows = [v for (rule, _, _), v in verdicts.items() if rule == "requests.row_total"]
    assert {v.status for v in rows} == {"unfilled"}
    assert verdicts[("requests.balance", None, "natural_person")].status == "holds"
    assert verdicts[("requests.balance", None, "commercial_enterprise")].status == "empty"
    # the blank 商业企业 new_received is shown to be 0 by its row total; the blank outcome totals are not taken as 0
    zeros = {k for v in verdicts.values() for k in v.zeros}
    assert ("requests", "new_received", "commercial_enterprise") in zeros
    assert ("requests", "total_processed", "commercial_enterprise") not in zeros


def test_blank_total_with_a_non_zero_part_is_a_shortfall():
    # shanghai stcsm 2024 prints 结转下年度 总计 blank beside 1 in a 法人 column
    cells = _truth_cells(DATA / "truth" / "shanghai_stcsm_2024.csv")
    verdicts = {(e.rule, e.item, e.applicant): ar.evaluate(e, cells) for e in ar.equations("2021")}
    v = verdicts[("requests.row_total", "carried_forward", "total")]
    assert (v.status, v.parts_sum, v.totals_sum) == ("shortfall", 1, None)
    assert {k for k, v in verdicts.items() if v.status != "holds"} == {
        ("requests.row_total", "carried_forward", "total"), ("requests.balance", None, "total")}
