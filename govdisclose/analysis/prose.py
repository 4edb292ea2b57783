"""The prose as data: each section's length, the share of sentences copied from the same agency's
previous report, and section 五's problems and improvements.

**Method.** A section's text (:attr:`govdisclose.report.Report.sections`, its own heading left out)
is split into sentences after 。！？； and line breaks
(:func:`~govdisclose.template.vocabulary.prose.split_sentences`); each sentence is normalised with
:func:`~govdisclose.template.normalize.norm` (width, Traditional characters, white space folded),
and sentences shorter than :data:`MIN_SENTENCE` characters (numbering, stray headings) are left
out. Before comparing, every number is masked (``2023年`` and ``2024年`` alike: a sentence copied with
its figures updated is still copied). A sentence of this year's section is *exact* when the previous report's same section has the
same normalised sentence, else *near* when some sentence of it has a character-3-gram Jaccard
similarity ≥ :data:`NEAR` (0.8). The copied share is (exact + near) / sentences: identical texts
give 1.0, unrelated texts about 0. The *previous report* is the agency's latest earlier year
read (``previous_year`` says which: a gap of more than one year is visible there). Section
``all`` compares the whole reports.

Whether a report's improvements **answer last year's problems** (:func:`answered_problems`): each
problem sentence of the previous report's section 五 is matched with this report's section-五
improvement sentences; its *overlap* is the largest share of the problem's character bigrams
(numbers masked) that one improvement sentence contains, and the problem counts as answered from
:data:`ANSWERED` (0.3) on — a word-overlap heuristic for reading, not a judgement: the matched
sentence is in the frame beside it.

Section 五's sentences are split into **problems** and **improvements** by their wording
(:data:`~govdisclose.template.vocabulary.prose.PROBLEM_WORDS`, ``IMPROVEMENT_WORDS``): a sentence
that turns to improvements (将、下一步、改进、整改 …) is one, else one naming a problem (问题、不足、
有待 …) is a problem, else a sentence takes the kind of the one before (``一是…；二是…`` lists).

>>> import govdisclose
>>> reports = [govdisclose.read_report(govdisclose.sample_path(f"pingtan_zrz_{y}.txt")) for y in (2022, 2023)]
>>> shares = copied_sentences(reports)
>>> list(shares.columns)
['agency', 'year', 'previous_year', 'section', 'sentences', 'exact', 'near', 'copied_share', 'source', 'previous_source']
>>> copied_share("一是加强审核。二是做好公开。", "一是加强审核。二是做好公开。")
1.0
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

import pandas as pd

from govdisclose.report import Report, read_report
from govdisclose.template.normalize import norm
from govdisclose.template.vocabulary.prose import SECTION_HEADING, is_improvement, is_problem, split_sentences

__all__ = ["MIN_SENTENCE", "NEAR", "ANSWERED", "sentences", "jaccard3", "copied_share", "section_lengths", "copied_sentences",
           "problems_and_improvements", "answered_problems"]

#: Sentences shorter than this (normalised characters) are not counted.
MIN_SENTENCE = 6
#: Character-3-gram Jaccard similarity from which a sentence is a near duplicate.
NEAR = 0.8
#: Character-2-gram overlap (share of the problem's bigrams found in an improvement sentence) from
#: which a later improvement is taken to address an earlier problem.
ANSWERED = 0.3
_SECTIONS = ("一", "二", "三", "四", "五", "六")

ReportLike = Report | str | os.PathLike[str]


def sentences(text: str) -> list[str]:
    """The normalised sentences of a section's text, its heading left out (see the module docstring).

    >>> sentences("五、存在的主要问题及改进情况\\n一是信息发布不够精确；二是解读形式单一。三")
    ['一是信息发布不够精确;', '二是解读形式单一。']
    """
    out = []
    for raw in split_sentences(SECTION_HEADING.sub("", text.strip(), count=1)):
        s = norm(raw)
        if len(s) >= MIN_SENTENCE:
            out.append(s)
    return out


def _grams(s: str) -> frozenset[str]:
    return frozenset(s[i:i + 3] for i in range(max(1, len(s) - 2)))


def jaccard3(a: str, b: str) -> float:
    """Character-3-gram Jaccard similarity of two strings (1.0 for equal strings).

    >>> jaccard3("加强政策解读工作", "加强政策解读工作"), round(jaccard3("加强政策解读工作", "完善网站栏目设置"), 2)
    (1.0, 0.0)
    """
    ga, gb = _grams(a), _grams(b)
    return len(ga & gb) / len(ga | gb) if ga or gb else 1.0


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _compare(previous: list[str], current: list[str]) -> tuple[int, int]:
    """(exact, near) counts of ``current`` sentences found in ``previous``, numbers masked."""
    previous = [_NUMBER.sub("#", s) for s in previous]
    seen = set(previous)
    grams = [_grams(s) for s in previous]
    exact = near = 0
    for s in (_NUMBER.sub("#", s) for s in current):
        if s in seen:
            exact += 1
            continue
        g = _grams(s)
        if any(len(g & p) / len(g | p) >= NEAR for p in grams if p):
            near += 1
    return exact, near


def copied_share(previous: str, current: str) -> float:
    """The share of ``current``'s sentences copied (exactly or nearly) from ``previous``; NaN if none."""
    now = sentences(current)
    if not now:
        return float("nan")
    exact, near = _compare(sentences(previous), now)
    return (exact + near) / len(now)


def _reports(reports: Iterable[ReportLike]) -> list[Report]:
    read = [r if isinstance(r, Report) else read_report(r) for r in reports]
    return sorted(read, key=lambda r: (r.agency, r.year if r.year is not None else -1))


def section_lengths(reports: Iterable[ReportLike]) -> pd.DataFrame:
    """Per report and section: characters (normalised) and sentences counted.

    >>> import govdisclose
    >>> lengths = section_lengths([govdisclose.sample_path("mfa_2023.txt")])
    >>> list(lengths.columns), list(lengths["section"])
    (['agency', 'year', 'section', 'chars', 'sentences', 'source'], ['一', '二', '三', '四', '五', '六'])
    """
    rows = []
    for r in _reports(reports):
        for key in _SECTIONS:
            if key in r.sections:
                text = r.sections[key]
                rows.append({"agency": r.agency, "year": r.year, "section": key,
                             "chars": len(norm(SECTION_HEADING.sub("", text.strip(), count=1))),
                             "sentences": len(sentences(text)), "source": r.source})
    return pd.DataFrame(rows, columns=["agency", "year", "section", "chars", "sentences", "source"])


def copied_sentences(reports: Iterable[ReportLike]) -> pd.DataFrame:
    """Per report with an earlier one of the same agency, and per section (and ``all``): the copied share."""
    rows = []
    last: dict[str, Report] = {}
    for r in _reports(reports):
        prev = last.get(r.agency)
        if r.year is not None:
            last[r.agency] = r
        if prev is None or r.year is None or prev.year == r.year:
            continue
        pairs = [(key, prev.sections.get(key, ""), r.sections[key]) for key in _SECTIONS if key in r.sections]
        pairs.append(("all", "\n".join(p for _, p, _ in pairs), "\n".join(c for _, _, c in pairs)))
        for key, before, now in pairs:
            current = sentences(now) if key != "all" else [s for k in _SECTIONS for s in sentences(r.sections.get(k, ""))]
            earlier = sentences(before) if key != "all" else [s for k in _SECTIONS for s in sentences(prev.sections.get(k, ""))]
            exact, near = _compare(earlier, current)
            share = (exact + near) / len(current) if current else float("nan")
            rows.append({"agency": r.agency, "year": r.year, "previous_year": prev.year, "section": key,
                         "sentences": len(current), "exact": exact, "near": near, "copied_share": share,
                         "source": r.source, "previous_source": prev.source})
    columns = ["agency", "year", "previous_year", "section", "sentences", "exact", "near", "copied_share", "source",
               "previous_source"]
    return pd.DataFrame(rows, columns=columns)


def problems_and_improvements(reports: Iterable[ReportLike]) -> pd.DataFrame:
    """Section 五's sentences, each a ``problem`` or an ``improvement`` (see the module docstring).

    >>> import govdisclose
    >>> five = problems_and_improvements([govdisclose.sample_path("pingtan_2023.txt")])
    >>> five["kind"].value_counts().to_dict()
    {'improvement': 4, 'problem': 3}
    """
    rows = []
    for r in _reports(reports):
        kind: str | None = None
        for n, s in enumerate(sentences(r.sections.get("五", "")), start=1):
            kind = "improvement" if is_improvement(s) else "problem" if is_problem(s) else kind
            if kind is not None:
                rows.append({"agency": r.agency, "year": r.year, "section": "五", "sentence_no": n, "kind": kind,
                             "sentence": s, "source": r.source})
    return pd.DataFrame(rows, columns=["agency", "year", "section", "sentence_no", "kind", "sentence", "source"])


def _bigrams(s: str) -> frozenset[str]:
    return frozenset(s[i:i + 2] for i in range(max(1, len(s) - 1)))


def answered_problems(reports: Iterable[ReportLike], *, threshold: float = ANSWERED) -> pd.DataFrame:
    """Per problem stated in an agency's previous report (section 五): the improvement of this report
    that overlaps it most, the overlap, and whether it counts as answered (see the module docstring).

    >>> import govdisclose
    >>> reports = [govdisclose.sample_path(f"pingtan_zrz_{y}.txt") for y in (2022, 2023)]
    >>> list(answered_problems(reports).columns)
    ['agency', 'year', 'previous_year', 'problem', 'improvement', 'overlap', 'answered', 'source', 'previous_source']
    """
    five = problems_and_improvements(reports)
    read = _reports(reports)
    by_source = {r.source: r for r in read}
    rows = []
    last: dict[str, Report] = {}
    for r in read:
        prev = last.get(r.agency)
        if r.year is not None:
            last[r.agency] = r
        if prev is None or r.year is None or prev.year == r.year:
            continue
        problems = five[(five["source"] == prev.source) & (five["kind"] == "problem")]["sentence"]
        improvements = list(five[(five["source"] == r.source) & (five["kind"] == "improvement")]["sentence"])
        for problem in problems:
            grams = _bigrams(_NUMBER.sub("#", problem))
            best, overlap = "", 0.0
            for sentence in improvements:
                share = len(grams & _bigrams(_NUMBER.sub("#", sentence))) / len(grams) if grams else 0.0
                if share > overlap:
                    best, overlap = sentence, share
            rows.append({"agency": r.agency, "year": r.year, "previous_year": prev.year, "problem": problem,
                         "improvement": best or None, "overlap": overlap, "answered": overlap >= threshold,
                         "source": by_source[r.source].source, "previous_source": prev.source})
    columns = ["agency", "year", "previous_year", "problem", "improvement", "overlap", "answered", "source", "previous_source"]
    return pd.DataFrame(rows, columns=columns)
