"""Where the report is on a saved page: its title, and the article container that holds its tables.

Government sites wrap a report in navigation, sidebars and footers; the report's own container is
the nearest article-like ancestor (``<div class="TRS_Editor">``) of the tables that carry report
words (:mod:`govdisclose.template.markers`).
"""

from __future__ import annotations

import re

from lxml import etree

from govdisclose.readers.html.clean import clean_text, source_line
from govdisclose.template.markers import REPORT_TITLE, is_report_text
from govdisclose.template.normalize import to_simplified

__all__ = ["find_title", "find_container", "is_report_table", "describe"]

_ARTICLE_LIKE = re.compile(
    r"trs_?editor|article|content|zoom|detail|main[_-]?text|ucap|news_?con|text_?con|con_?text|bt_?con|wzy|xxgk_?con|view",
    re.I,
)


_ARTICLE_TAGS = frozenset({"article", "main", "ucapcontent"})


_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|\s[-–—]\s|(?<!\d)-|-(?!\d)|——)\s*")



def _at(line: int | None) -> str:
    return f" (line {line})" if line else ""


def describe(el: etree._Element) -> str:
    attrs = "".join(f' {k}="{el.get(k)}"' for k in ("id", "class") if el.get(k))
    return f"<{el.tag}{attrs}>{_at(source_line(el))}"


def is_report_table(table: etree._Element) -> bool:
    """A table carrying report labels (Simplified or Traditional)."""
    return is_report_text(etree.tostring(table, method="text", encoding=str, with_tail=False))


def _prose_length(el: etree._Element, enough: int = 100) -> int:
    """Visible characters of an element outside its tables, counted up to ``enough``.

    Tells an article (prose around the tables) from a wrapper that holds only a table.
    """
    total = 0
    walker = etree.iterwalk(el, events=("start", "end"))
    for event, node in walker:
        if event == "start":
            if node.tag == "table":
                walker.skip_subtree()
                continue
            text = node.text
        else:
            text = node.tail if node is not el else None
        if text:
            total += len(text.strip())
            if total >= enough:
                break
    return total


def find_title(root: etree._Element) -> tuple[str, str, int | None] | None:
    """The page's report title: (text, where it was found, source line), from the meta
    ArticleTitle, the first report-like ``<h1>``, or the report part of ``<title>``.

    Looked for before scripts, ``<head>`` and the like are stripped from the tree.
    """
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() == "articletitle":
            text = clean_text(meta.get("content") or "")
            if REPORT_TITLE.search(to_simplified(text)):
                return (text, "<meta name=ArticleTitle>", source_line(meta))
    for tag in ("h1", "title"):
        for el in root.iter(tag):
            text = clean_text("".join(map(str, el.itertext())))
            if tag == "title":
                parts = [p for p in _TITLE_SPLIT.split(text) if REPORT_TITLE.search(to_simplified(p))]
                text = parts[0] if parts else ""
            if text and REPORT_TITLE.search(to_simplified(text)):
                return (text, f"<{tag}>", source_line(el))
    return None


def find_container(root: etree._Element, body: etree._Element, leaves: list[etree._Element], notes: list[str]) -> etree._Element:
    """The report's own container: the article-like ancestor of the report tables, else ``body``."""
    report = [t for t in leaves if is_report_table(t)][:64]  # a report has three or four
    if not report:
        return body
    common: list[etree._Element] = list(report[0].iterancestors())[::-1]
    for table in report[1:]:
        chain = list(table.iterancestors())[::-1]
        n = 0
        while n < len(common) and n < len(chain) and common[n] is chain[n]:
            n += 1
        del common[n:]
    tried = 0
    for el in reversed(common):
        if el is body or el is root or tried >= 3:
            break
        if el.tag not in _ARTICLE_TAGS and not _ARTICLE_LIKE.search(f"{el.get('class', '')} {el.get('id', '')}"):
            continue
        tried += 1
        if _prose_length(el) >= 100:
            notes.append(f"read the article container {describe(el)}; the page around it is skipped")
            return el
    return body
