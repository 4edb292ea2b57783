"""Shared fixtures of the corpus-dataset tests: a mixed-format synthetic corpus and its clean build."""

from __future__ import annotations

import pytest

import govdisclose

#: Reports in the synthetic corpus (a few hundred, in the four formats written without LibreOffice).
N_REPORTS = 240
FORMATS = ("text", "markdown", "html", "docx")


@pytest.fixture(scope="session")
def synth_folder(tmp_path_factory):
    from govdisclose.synth import generate_corpus

    folder = tmp_path_factory.mktemp("synth") / "reports"
    generate_corpus(folder, N_REPORTS, formats=FORMATS, seed=13, errors=6)
    (folder / "broken.txt").write_text("", encoding="utf-8")  # empty: a failure
    (folder / "old_format.doc").write_bytes(b"\xd0\xcf\x11\xe0 not read")  # a format not read: a failure
    (folder / "README.md").write_text("notes, not a report", encoding="utf-8")  # skipped
    return folder


@pytest.fixture(scope="session")
def clean_build(synth_folder, tmp_path_factory):
    """The dataset built in one go, in this process."""
    out = tmp_path_factory.mktemp("clean") / "dataset"
    result = govdisclose.build_corpus(synth_folder, out, jobs=1, batch_size=32)
    return out, result
