"""The wording of the reports' prose: figures restated from the tables, sentence ends, and the words
of section 五 (problems vs improvements).

Every restated-figure pattern runs on one sentence of :func:`~govdisclose.template.normalize.fold_width`
+ :func:`~govdisclose.template.normalize.to_simplified` text and captures the figure in group
``n``. Each is keyed by a *claim* name (``granted``, ``review.total`` …); which table cells a claim
restates is the checks stage's business (:mod:`govdisclose.checks.narrative`), not the template's.
Patterns are tried in order and a span taken by one is not matched again, so the most specific
come first (``予以公开及部分公开42件`` is the sum, never ``部分公开42件``).

>>> [(key, m.group("n")) for key, m in restated_figures("办结依申请公开81件，其中：予以公开及部分公开42件，占51.85%；不予公开5件")]
[('total_processed', '81'), ('granted_or_partial', '42'), ('denied', '5')]
>>> [(key, m.group("n")) for key, m in restated_figures("清理并集中发布现行有效行政规范性文件393件，动态更新本年度制发的规范性文件77件")]
[('normative_in_force', '393'), ('normative_issued', '77')]
>>> [(key, m.group("n")) for key, m in restated_figures("因政府信息公开引起的行政复议案件2件、行政诉讼案件7件")]
[('review.total', '2'), ('litigation.total', '7')]
>>> SECTION_HEADING.sub("", "五、存在的主要问题及改进情况存在的问题主要有")
'存在的问题主要有'
>>> split_sentences("一是加强。二是改进！三？")
['一是加强。', '二是改进！', '三？']
>>> is_problem("仍存在以下不足：一是政策解读不够丰富"), is_improvement("2024年，我部将继续加大工作力度")
(True, True)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["RESTATED", "restated_figures", "SENTENCE_END", "split_sentences", "PROBLEM_WORDS", "IMPROVEMENT_WORDS",
           "is_problem", "is_improvement", "IN_FORCE_CLAIMS",
           "SPEAKS_FOR_WHOLE", "SECTION_HEADING"]

_N = r"(?P<n>\d+(?:\.\d+)?)\s*"
_J = r"(?:共|共计|合计|总计|为|达)?\s*"
_CASE = r"(?:件|起|宗)"
_NOT_DIGIT = r"[^。；，,、\d]"

#: (claim, pattern), most specific first; the figure is group ``n``.
RESTATED: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("new_received", re.compile(r"(?:收到|收处|受理|新收|接收)[^。；，,\d]{0,24}?申请\s*" + _J + _N + "件")),
    ("new_received", re.compile(r"(?:共|全年)(?:收到|收处|受理|接收)\s*" + _N + r"件\s*(?:政府信息公开)?申请")),
    ("carried_over", re.compile(r"上年(?:度)?结转[^。；，,\d]{0,10}?" + _J + _N + "件")),
    ("carried_forward", re.compile(r"(?P<n>\d+)\s*件\s*(?:结转|转入?)下一?年度?")),
    ("carried_forward", re.compile(r"结转(?:至|到)?下一?年度?[^。；，,\d]{0,8}?" + _J + _N + "件")),
    ("carried_forward", re.compile(r"正在办理\s*" + _N + "件")),
    ("total_processed", re.compile(r"(?:已|依法|及时)?[^。；，,\d]{0,8}办结[^。；，,\d]{0,8}?" + _J + _N + "件")),
    ("granted_or_partial", re.compile(r"(?<!不)予以公开(?:及|和|与|、)部分公开" + _J + _N + "件")),
    ("granted", re.compile(r"(?<!不)予以(?:全部)?公开(?:的)?" + _J + _N + "件")),
    ("partially_granted", re.compile(r"部分公开(?:的)?" + _J + _N + "件")),
    ("denied", re.compile(r"不予(?:以)?公开(?:的)?" + _J + _N + "件")),
    ("unable", re.compile(r"无法提供(?:的)?" + _J + _N + "件")),
    ("not_processed", re.compile(r"不予处理(?:的)?" + _J + _N + "件")),
    ("other_handling", re.compile(r"其他处理(?:的)?" + _J + _N + "件")),
    ("review.upheld", re.compile(r"行政复议" + _NOT_DIGIT + r"{0,30}?(?:结果)?维持" + _NOT_DIGIT + r"{0,8}?" + _N + _CASE)),
    ("review.corrected", re.compile(r"行政复议" + _NOT_DIGIT + r"{0,30}?(?:结果)?纠正" + _NOT_DIGIT + r"{0,8}?" + _N + _CASE)),
    ("litigation.upheld", re.compile(r"行政诉讼" + _NOT_DIGIT + r"{0,30}?(?:结果)?维持" + _NOT_DIGIT + r"{0,8}?" + _N + _CASE)),
    ("litigation.corrected", re.compile(r"行政诉讼" + _NOT_DIGIT + r"{0,30}?(?:结果)?纠正" + _NOT_DIGIT + r"{0,8}?" + _N + _CASE)),
    ("review.total", re.compile(r"行政复议(?:申请|案件)?" + _J + _N + _CASE)),
    ("litigation.total", re.compile(r"行政诉讼(?:案件)?" + _J + _N + _CASE)),
    ("normative_in_force", re.compile(r"现行有效(?:的)?(?:行政)?规范性文件" + _J + _N + "件")),
    ("normative_in_force", re.compile(r"(?:行政)?规范性文件[^。；，,\d]{0,8}?现行有效" + _J + _N + "件")),
    ("normative_issued", re.compile(r"(?:制发|印发|出台)(?:的)?(?:行政)?规范性文件" + _J + _N + "件")),
    ("normative_issued", re.compile(r"(?:制发|印发|出台)[^。；，,\d]{0,8}?(?:行政)?规范性文件" + _J + _N + "件")),
    ("fees", re.compile(r"(?:收费|收取[^。；，,\d]{0,6}?费)(?:金额|总额)?" + _J + _N + "万元")),
)

#: The whole unit in the prose beside a sub-unit's name (``区政府办代表区政府受理…``).
SPEAKS_FOR_WHOLE = re.compile(r"代表[^，。；、\d]{0,6}?(?:政府|本机关|本单位)")

#: Claims about a stock at year end (现行有效): a 截至/累计 in their sentence is no sign of another figure.
IN_FORCE_CLAIMS: frozenset[str] = frozenset({"normative_in_force"})


def restated_figures(sentence: str) -> Iterator[tuple[str, re.Match[str]]]:
    """Every figure of :data:`RESTATED` in one sentence: ``(claim, match)`` in order, spans not reused."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str, re.Match[str]]] = []
    for claim, pattern in RESTATED:
        for m in pattern.finditer(sentence):
            span = m.span("n")
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            taken.append(span)
            found.append((m.start("n"), claim, m))
    for _, claim, m in sorted(found, key=lambda x: x[0]):
        yield claim, m


#: Where a sentence ends for the prose analysis.
SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` split after 。！？；(ASCII !?;) and line breaks, blank ones dropped, each stripped."""
    return [s for part in SENTENCE_END.split(text) for s in [part.strip()] if s]


#: Section 五's wording of a problem (存在的问题、不足、有待 …).
PROBLEM_WORDS = re.compile(r"问题|不足|短板|薄弱|不够|有待|仍需|还需|尚需|欠缺|差距|不到位|不及时|不规范|不全面|不高|空间")
#: Section 五's wording that turns to the improvements (改进、下一步、将、整改、措施 …).
IMPROVEMENT_WORDS = re.compile(r"改进|下一步|将|整改|措施|计划|拟")
#: A section's own heading at the start of its text (``五、存在的主要问题及改进情况``), to be left out.
SECTION_HEADING = re.compile(r"^[一二三四五六][、.．]\s*\S{0,30}?(?:情况|事项)")


def is_problem(sentence: str) -> bool:
    """A sentence that states a problem (有待提高、仍存在以下不足 …)."""
    return bool(PROBLEM_WORDS.search(sentence))


def is_improvement(sentence: str) -> bool:
    """A sentence that turns to the improvements (将、下一步、整改 …): it wins over :func:`is_problem`."""
    return bool(IMPROVEMENT_WORDS.search(sentence))
