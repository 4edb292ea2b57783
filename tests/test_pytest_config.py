"""The test settings themselves: warnings are errors in tests *and* doctests, markers are
registered, and ``-m "not slow"`` (``make test-fast``) really leaves the slow tests out."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import REPO

SETTINGS = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]

PROBE = '''
import warnings


def noisy():
    """
    >>> noisy()
    1
    """
    warnings.warn("left unhandled", UserWarning)
    return 1


def test_noisy():
    assert noisy() == 1


def test_quiet():
    assert True
'''


def _run_probe(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    probe = tmp_path / "probe_warns.py"
    probe.write_text(PROBE, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(REPO / "pyproject.toml"), "--rootdir", str(tmp_path),
         "-p", "no:cacheprovider", "-p", "no:randomly", "-q", str(probe), *args],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )


def test_warnings_are_errors_first_and_every_ignore_is_narrow():
    filters = SETTINGS["filterwarnings"]
    assert filters[0] == "error"
    for entry in filters[1:]:  # an ignore names a category and a module or message, never all warnings
        action, message, category, module = (entry.split(":") + ["", "", "", ""])[:4]
        assert action == "ignore" and category and (module or message), entry


def test_a_warning_fails_a_test_and_a_doctest(tmp_path):
    done = _run_probe(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "2 failed, 1 passed" in done.stdout, done.stdout
    assert "probe_warns.noisy" in done.stdout and "UserWarning: left unhandled" in done.stdout


def test_slow_is_registered_and_unknown_marks_are_refused():
    assert "--strict-markers" in SETTINGS["addopts"].split()
    assert any(m.split(":")[0].strip() == "slow" for m in SETTINGS["markers"])


def test_not_slow_deselects_the_slow_tests(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--collect-only", "-m", "slow", "tests/test_robustness.py"],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )
    slow = [line for line in done.stdout.splitlines() if "::" in line]
    assert any("test_html_tag_damage" in line for line in slow) and not any("test_text_cut_short" in line for line in slow), done.stdout
    fast = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--collect-only", "-m", "not slow", "tests/test_robustness.py"],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )
    assert "test_html_tag_damage" not in fast.stdout and "test_text_cut_short" in fast.stdout, fast.stdout
