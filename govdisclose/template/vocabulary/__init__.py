"""The template's printed words → catalogue codes: every label, header and heading the mapping
stage recognises, as named patterns and matcher functions. All matching is on
:func:`~govdisclose.template.normalize.norm` text.

One module per part of the template: :mod:`.active` (table active_disclosure), :mod:`.requests`
(table requests), :mod:`.review` (table review_litigation), :mod:`.headings` (the six sections
and the title), :mod:`.flat` (the same words as structure-lost text is searched for them).

Labels vary (``（一）``/``(一) ``, ``1.``/``1、``/``1．``, typos such as ``其他法律行政止公开``,
Traditional characters), so each row is recognised by the words that only it has, most specific
first.

>>> requests_item("(三) 不予公开\\t1. 属于国家秘密")
'denied.state_secret'
>>> requests_item("2.其他法律行政止公开")
'denied.prohibited_by_law'
>>> requests_item("3. 其他")
'other_handling.other'
>>> requests_item("（六）其他处理")
'other_handling'
>>> active_row("行政规范性文件"), active_row("第二十条第（五）项")
('normative_documents', None)
>>> active_fields(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
('issued', 'repealed', 'in_force')
"""

from __future__ import annotations

from govdisclose.template.vocabulary.active import (
    ACTIVE_DEFAULT_FIELDS,
    TEMPLATE_FIELDS,
    active_fields,
    active_row,
    template_votes,
)
from govdisclose.template.vocabulary.headline import HEADLINE_ITEMS, appendix_item
from govdisclose.template.vocabulary.prose import restated_figures, split_sentences
from govdisclose.template.vocabulary.requests import (
    LEGAL_PERSON_HEADER,
    SHORT_LABELS,
    is_requests_header,
    mentions_new_requests,
    mentions_other_handling_rows,
    requests_group,
    requests_item,
    requests_items,
)
from govdisclose.template.vocabulary.review import REVIEW_WORDS, is_review_header, is_review_word, mentions_review

__all__ = [
    "requests_item",
    "requests_items",
    "requests_group",
    "is_requests_header",
    "mentions_new_requests",
    "mentions_other_handling_rows",
    "SHORT_LABELS",
    "LEGAL_PERSON_HEADER",
    "active_row",
    "active_fields",
    "template_votes",
    "ACTIVE_DEFAULT_FIELDS",
    "TEMPLATE_FIELDS",
    "is_review_header",
    "is_review_word",
    "mentions_review",
    "REVIEW_WORDS",
    "HEADLINE_ITEMS",
    "appendix_item",
    "restated_figures",
    "split_sentences",
]
