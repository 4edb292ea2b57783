"""Shared fixtures: where the bundled sample and the shared corpus are, and truth comparison."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest
from hypothesis import settings

# Property tests explore the same examples on every run, so CI is repeatable; run a wider search
# with HYPOTHESIS_PROFILE=explore.
settings.register_profile("repeatable", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", derandomize=False, deadline=None, max_examples=300, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
SHARED = Path(os.environ.get("GOVDISCLOSE_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The bundled sample reports (always present in a checkout)."""
    return DATA


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared corpus beside the checkout; tests using it skip cleanly where it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS


def _absent(what: str) -> NoReturn:
    """Skip only where the shared corpus (outside the repository) is not on this machine; a file
    missing from a corpus that is there, or from the bundled data, is a failure."""
    if not CORPUS.is_dir():
        pytest.skip(f"{what} is not bundled and the shared corpus is not at {CORPUS}")
    pytest.fail(f"{what} is neither bundled in {DATA} nor in the shared corpus at {CORPUS}")


def corpus_file(name: str) -> Path:
    """A corpus file for parametrised tests: bundled copy first, else the shared corpus."""
    for candidate in (DATA / name, CORPUS / name):
        if candidate.exists():
            return candidate
    _absent(name)


def truth_file(stem: str) -> Path:
    """The truth CSV of a report: bundled first, else the shared corpus."""
    for candidate in (DATA / "truth" / f"{stem}.csv", CORPUS / "truth" / f"{stem}.csv"):
        if candidate.exists():
            return candidate
    _absent(f"truth/{stem}.csv")


class WorkCounter:
    """How many printed pieces the digit-run decoder tried (each a parse of one candidate value).

    A lattice over a run tries at most ``MAX_PIECE`` ends from each position, so honest work is
    linear in the characters decoded: tests assert that bound instead of timing the decoder.
    """

    def __init__(self) -> None:
        self.pieces = 0


@pytest.fixture
def decode_work(monkeypatch: pytest.MonkeyPatch) -> WorkCounter:
    from govdisclose.mapping import cuts, decode

    counter = WorkCounter()
    real = cuts.piece

    def counted(text: str, signed: bool):
        counter.pieces += 1
        return real(text, signed)

    monkeypatch.setattr(cuts, "piece", counted)
    monkeypatch.setattr(decode, "piece", counted)
    return counter
