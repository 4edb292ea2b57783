"""Shared fixtures: where the bundled sample and the shared corpus are, and truth comparison."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

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


def corpus_file(name: str) -> Path:
    """A corpus file for parametrised tests: bundled copy first, else the shared corpus, else skip."""
    for candidate in (DATA / name, CORPUS / name):
        if candidate.exists():
            return candidate
    pytest.skip(f"{name} is neither bundled nor in {CORPUS}")


def truth_file(stem: str) -> Path:
    for candidate in (DATA / "truth" / f"{stem}.csv", CORPUS / "truth" / f"{stem}.csv"):
        if candidate.exists():
            return candidate
    pytest.skip(f"no truth for {stem}")


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    """Like FastF1: an unexpected warning (pandas, matplotlib glyphs, ...) fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="(jupyter_client|nbformat|zmq|traitlets|ipykernel|papermill|nbclient|dateutil|pdfminer).*")
        yield
