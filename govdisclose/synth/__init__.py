"""SYNTHETIC reports for scale tests and teaching: realistic layout, consistent arithmetic, known truth.

Everything this module makes is marked as made up, wherever it appears:

* agencies are named ``示例…县…`` (示例 = "example"), e.g. ``示例东山县交通运输局``;
* every document opens with the line ``【合成示例数据 SYNTHETIC】…`` and says so again in its
  last section;
* file names start with ``SYNTHETIC_``, and the folder gets a ``SYNTHETIC_MANIFEST.csv``;
* the frames returned here have a ``synthetic`` column (always True) and ``attrs["synthetic"]``.

A corpus follows agencies over the years: 2019–2020 reports use the 2019 template, later ones the
2021 template; ``carried_over`` of a year is the ``carried_forward`` of the year before and the
stock of documents in force carries forward, so the cross-year checks hold too. Every printed
table satisfies the template's arithmetic (spec §4) unless an error is injected on purpose:
``generate_corpus(..., errors=5)`` breaks five reports, one rule each, and returns exactly which
cell was changed and which rule of :func:`govdisclose.validate` must now fail.

Formats: ``text`` (tab-separated cells, like ``data/mfa_2023.txt``), ``markdown`` (pipe tables),
``html`` (real ``rowspan``/``colspan``, site navigation around the article), ``docx``
(``gridSpan``/``vMerge``, built with python-docx from scratch) and ``pdf`` (the DOCX converted by
LibreOffice; skipped, and listed in ``skipped``, where LibreOffice is not installed).

>>> import tempfile, govdisclose
>>> corpus = generate_corpus(tempfile.mkdtemp(), 4, formats=("text", "markdown"), seed=1, errors=1)
>>> corpus.files[["format", "year", "template", "injected"]].values.tolist()
[['text', 2019, '2019', ''], ['markdown', 2020, '2019', ''], ['text', 2021, '2021', 'requests.row_total'], ['markdown', 2022, '2021', '']]
>>> m = govdisclose.load_reports(corpus.folder)
>>> bool(m["agency"].str.startswith("示例").all()), len(m) == 2 * 198 + 2 * 200
(True, True)
>>> found = govdisclose.validate(m).query("severity == 'error'")
>>> sorted(set(found["source"])) == sorted(corpus.injected["source"].unique())
True
"""

from __future__ import annotations

from govdisclose.synth.corpus import MANIFEST as MANIFEST  # not in __all__, as before
from govdisclose.synth.corpus import SynthCorpus, generate_corpus
from govdisclose.synth.corpus import agency_name as agency_name
from govdisclose.synth.errors import ERROR_KINDS, inject_error
from govdisclose.synth.figures import make_report
from govdisclose.synth.office import libreoffice
from govdisclose.synth.render import FORMATS, SUFFIXES, render
from govdisclose.synth.report import MARK, SynthReport

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "ERROR_KINDS",
    "MARK",
    "SynthReport",
    "SynthCorpus",
    "make_report",
    "inject_error",
    "render",
    "generate_corpus",
    "libreoffice",
]

