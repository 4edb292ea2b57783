"""The wording of reports before the 2019 template (2008–2018): headline figures in the prose and
in the statistics appendix (统计指标 | 单位 | 统计数), as named patterns (spec §7).

Every pattern runs on prose whose digits were folded to ASCII (:func:`fold_digits`, which keeps
every character's position). A *figure* pattern captures the number (group ``n``) and its unit
(group ``u``); a *none* pattern is a stated absence (``未收到…申请``) that means 0. Whether a
match is the whole unit's figure for the report year is told by the markers around it:
:data:`SUBUNIT_MARKERS` (a sub-unit's share: 区直部门、乡镇 …), :data:`WHOLE_MARKERS` (全区、全县、
我局 …: the whole unit, even where sub-units are named too), :data:`SHARE_AFTER` (``…条，占76.9%``),
:data:`CUMULATIVE_MARKERS` (累计、历年、截至 …) and :data:`OTHER_YEAR_MARKERS` (上年、去年、同比 …).

>>> [(item, m.group("n")) for item, m in figure_matches("2018年全区主动公开政府信息2069条")]
[('active_disclosed_items', '2069')]
>>> [(item, m.group("n")) for item, m in figure_matches("全年共受理政府信息公开申请23件，其中同意公开17件")]
[('requests_received', '23'), ('requests_granted', '17')]
>>> [item for item, _ in none_matches("2018年未收到有关政府信息公开行政复议、提起行政诉讼的申请")]
['review_count', 'litigation_count']
>>> [item for item, _ in none_matches("我局办公室未收到政府信息公开申请")]
['requests_received']
>>> appendix_item("受理依申请公开信息总数"), appendix_item("3.否决公开答复数"), appendix_item("接受行政诉讼、举报数")
('requests_received', 'requests_denied', None)
>>> appendix_column("历年累计"), appendix_column("2018年度"), appendix_column("统计数")
('cumulative', 'year', 'year')
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = [
    "HEADLINE_ITEMS",
    "fold_digits",
    "figure_matches",
    "none_matches",
    "SUBUNIT_MARKERS",
    "WHOLE_MARKERS",
    "SHARE_AFTER",
    "CUMULATIVE_MARKERS",
    "OTHER_YEAR_MARKERS",
    "YEAR_MENTION",
    "PRE2019_WORDING",
    "APPENDIX_HEADER",
    "APPENDIX_UNITS",
    "appendix_item",
    "appendix_column",
    "column_headers",
    "is_appendix_header",
    "ten_thousand",
]

#: The catalogue's table ``headline`` in printed order.
HEADLINE_ITEMS: tuple[str, ...] = (
    "active_disclosed_items", "requests_received", "requests_granted", "requests_partially_granted",
    "requests_denied", "requests_not_held", "review_count", "litigation_count", "fees",
)

_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")


def fold_digits(text: str) -> str:
    """Full-width digits and point to ASCII, one character for one (positions are kept)."""
    return text.translate(_DIGITS)


# Between a keyword and its number only these may stand (共/共计/为/达 …): a 较上年增加 in
# between makes the number a change, not the figure.
_FILL = r"(?:共计|合计|总计|总数|总量|数量|共|计|为|达到|达|数|量|有|是)*"
_NUM = r"(?P<n>\d+(?:\.\d+)?)"
_COUNT = r"(?P<u>条|件|项|份|宗|起|个|次|人次)"
_GAP = r"[^\d，。；：！？,;:!?、\s（）()]{0,12}?"  # a few words, no digit, no punctuation

_FIGURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("active_disclosed_items", re.compile(rf"主动公开{_GAP}信息{_FILL}{_NUM}{_COUNT}")),
    ("active_disclosed_items", re.compile(rf"主动公开(?:的|了)?{_NUM}{_COUNT}(?:政府)?信息")),
    ("requests_received", re.compile(rf"(?:收到|受理|接到|接收|办理){_GAP}(?:信息)?公开(?:的)?申请{_FILL}{_NUM}{_COUNT}")),
    ("requests_partially_granted", re.compile(rf"(?:同意部分公开|部分同意公开|部分公开)(?:答复|的)?{_FILL}{_NUM}{_COUNT}")),
    ("requests_granted", re.compile(rf"(?<!部分)(?:同意|予以|准予)(?:全部)?公开(?:答复|的)?{_FILL}{_NUM}{_COUNT}")),
    ("requests_denied", re.compile(rf"(?:不予公开|不予以公开|否决公开)(?:答复|的申请|申请)?{_FILL}{_NUM}{_COUNT}")),
    ("requests_not_held", re.compile(
        rf"(?:信息不存在|非本(?:机关|单位|部门|行政机关)掌握|不属于本(?:机关|单位|部门|行政机关)(?:掌握|职责|公开)?(?:范围)?)"
        rf"(?:的)?(?:答复|申请)?{_FILL}{_NUM}{_COUNT}")),
    ("review_count", re.compile(rf"行政复议(?:申请|案件)?{_FILL}{_NUM}(?P<u>件|起|宗|个|次)")),
    ("litigation_count", re.compile(rf"(?:行政诉讼|提起诉讼)(?:案件)?{_FILL}{_NUM}(?P<u>件|起|宗|个|次)")),
    ("fees", re.compile(rf"(?:收取|收费){_GAP}(?:费用|费)?{_FILL}{_NUM}(?P<u>万元|元)")),
)

_NEG = r"(?:未|没有|尚未|未曾|无)"
_REQUEST_NONE = re.compile(rf"{_NEG}(?:收到|受理|接到|发生|有){_GAP}(?:信息)?公开(?:的)?申请")
_REVIEW_NONE = re.compile(rf"{_NEG}(?:收到|发生|接到|出现|有)?[^，。；;！？\d]{{0,30}}?(?:行政复议|行政诉讼)[^，。；;！？\d]*")
_BOTH_ZERO = re.compile(r"行政复议[^，。；;\d]{0,20}行政诉讼[^，。；;\d]{0,10}(?:均为|都为|皆为|均是)(?:0|零|无)")
_FEES_NONE = re.compile(rf"(?:{_NEG}|不)(?:收取|收费)(?:任何)?(?:费用)?")


def figure_matches(text: str) -> Iterator[tuple[str, re.Match[str]]]:
    """Every headline figure stated in ``text`` (digits folded), as ``(item, match)`` in order.

    Markers are not looked at here: see the module docstring.
    """
    found = [(m.start(), item, m) for item, pattern in _FIGURES for m in pattern.finditer(text)]
    for _, item, m in sorted(found, key=lambda x: x[0]):
        yield item, m


def none_matches(text: str) -> Iterator[tuple[str, re.Match[str]]]:
    """Every stated absence (``未收到…申请``, ``没有发生…行政复议``, ``未收取费用``): ``(item, match)``."""
    found: list[tuple[int, str, re.Match[str]]] = []
    for m in _REQUEST_NONE.finditer(text):
        if "复议" not in m.group(0) and "诉讼" not in m.group(0):
            found.append((m.start(), "requests_received", m))
    for pattern in (_REVIEW_NONE, _BOTH_ZERO):
        for m in pattern.finditer(text):
            phrase = m.group(0)
            if "复议" in phrase:
                found.append((m.start(), "review_count", m))
            if "诉讼" in phrase:
                found.append((m.start() + 1, "litigation_count", m))
    found += [(m.start(), "fees", m) for m in _FEES_NONE.finditer(text)]
    seen: set[tuple[str, int]] = set()
    for _, item, m in sorted(found, key=lambda x: x[0]):
        if (item, m.start()) not in seen:
            seen.add((item, m.start()))
            yield item, m


#: A sub-unit's share (the clause before the figure names a part of the reporting unit).
SUBUNIT_MARKERS = re.compile(r"各乡镇|乡镇|街道|县直|区直|市直|省直|各部门|各单位|直属|下属|所属|公开办|本级|各县|各区|基层"
                             r"|(?:县|区|市)[^，。；、\d]{1,6}?(?:局|委|办)")
#: The whole reporting unit: wins over :data:`SUBUNIT_MARKERS` in the same clause.
WHOLE_MARKERS = re.compile(r"全区|全县|全市|全省|全州|全盟|全旗|全镇|全乡|全局|全委|全系统|我局|本局|我区|我县|我市|我委|本机关|我办")
#: Right after a figure: its share of a total (``…1592条，占76.9%``): a sub-unit's figure.
SHARE_AFTER = re.compile(r"^[，,]?\s*(?:占|约占)")
#: A cumulative total, not the year's (looked for in the sentence before the figure).
CUMULATIVE_MARKERS = re.compile(r"累计|历年|截至|截止|迄今|至今|以来共")
#: Another year's figure or a change (looked for in the clause before the figure).
OTHER_YEAR_MARKERS = re.compile(r"上年|去年|上一年|前年|同比|比上|较上|较去|增加|减少|增长|下降")
#: A year named in the prose (``2017年``).
YEAR_MENTION = re.compile(r"((?:19|20)\d{2})\s*年")
#: The 2008–2018 wording that names a report of those years when its title does not.
PRE2019_WORDING = re.compile(
    r"统计期限自((?:19|20)\d{2})年|((?:19|20)\d{2})年度?政府信息公开(?:工作)?(?:年度)?报告|政府信息公开情况统计表")

#: The appendix's header (统计指标 | 单位 | 统计数, 指标名称 | 计量单位 | 2018年度 | 历年累计).
APPENDIX_HEADER = re.compile(
    r"(?:指标名称|统计指标|指标)\s*(?:计量单位|单位)\s*"
    r"(?P<cols>(?:(?:(?:19|20)\d{2}\s*年度?|本年度?|上年度?|历年累计|累计数?|统计数|数量|合计)\s*)+)")
_COLUMN = re.compile(r"(?:19|20)\d{2}\s*年度?|本年度?|上年度?|历年累计|累计数?|统计数|数量|合计")
#: Units printed in the appendix's unit column.
APPENDIX_UNITS: tuple[str, ...] = ("万元", "人次", "条", "件", "项", "个", "份", "次", "人", "元")


def column_headers(header: str) -> list[str]:
    """The value columns' headers in a run-together appendix header (``2018年度历年累计``)."""
    return [m.group(0) for m in _COLUMN.finditer(header)]


def appendix_column(label: str) -> str | None:
    """``year``, ``cumulative`` or ``previous`` for an appendix column header, else None."""
    text = re.sub(r"\s", "", label)
    if "累计" in text:
        return "cumulative"
    if text.startswith("上年"):
        return "previous"
    if re.fullmatch(r"(?:(?:19|20)\d{2}年度?|本年度?|统计数|数量|合计)", text):
        return "year"
    return None


def is_appendix_header(cells: list[str]) -> bool:
    """A table row that heads the statistics appendix (指标 … 单位 …)."""
    texts = [re.sub(r"\s", "", c) for c in cells]
    return (len(texts) >= 3 and "指标" in texts[0] and any(t.endswith("单位") for t in texts[1:])
            and any(appendix_column(t) == "year" for t in texts))


_SUBROW = re.compile(r"当面|网上|网络|信函|传真|电子邮件|邮件|电话|其它形式|其他形式|网站公开|公报公开")
_NUMBERING = re.compile(r"^(?:其中[:：]?)?\s*(?:\d{1,2}\s*[.．、]|[(（][一二三四五六七八九十\d]+[)）])?\s*")


def appendix_item(label: str) -> str | None:
    """The headline code of one appendix row label, else None (sub-rows and other rows).

    >>> appendix_item("主动公开文件数"), appendix_item("其中：1.同意公开答复数"), appendix_item("2.同意部分公开答复数")
    ('active_disclosed_items', 'requests_granted', 'requests_partially_granted')
    """
    text = _NUMBERING.sub("", re.sub(r"\s", "", label))
    if "主动公开" in text and ("信息" in text or "文件" in text) and not _SUBROW.search(text):
        return "active_disclosed_items"
    if "申请" in text and ("受理" in text or "收到" in text) and not _SUBROW.search(text):
        return "requests_received"
    if "答复" in text or text.endswith("公开数"):
        if "部分公开" in text:
            return "requests_partially_granted"
        if "同意公开" in text or "予以公开" in text:
            return "requests_granted"
        if "不予公开" in text or "否决公开" in text:
            return "requests_denied"
    if "信息不存在" in text or "非本机关" in text:
        return "requests_not_held"
    if text.startswith("行政复议"):
        return "review_count"
    if text.startswith("行政诉讼"):
        return "litigation_count"
    if "收费" in text or ("收取" in text and "费" in text):
        return "fees"
    return None


def ten_thousand(unit: str) -> bool:
    """Whether a printed unit is 万元 (the catalogue's fees are in 元)."""
    return unit == "万元"
