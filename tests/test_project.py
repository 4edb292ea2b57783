"""The project's own files: conda and pip agree, the README's commands exist, CI runs make test."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml

from conftest import REPO


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    assert env["name"] == "govdisclose"
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    python = next(d for d in conda if d.startswith("python"))
    assert python.replace(" ", "") == "python" + project["requires-python"].replace(" ", "")
    conda_pkgs = {_name(d): d.replace(" ", "") for d in conda if _name(d) not in ("python", "pip")}
    pip_pkgs = {_name(d): d.replace(" ", "") for d in project["dependencies"]}
    assert conda_pkgs == pip_pkgs
    assert any(line.startswith("-e .") for line in pip)  # the package itself via pip


def test_readme_shows_the_two_commands_and_the_contract():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    assert "catalogue" in readme and "spec/README.md" in readme


def test_makefile_targets():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("setup", "test", "demo", "lint", "render", "bench", "typecheck"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target
    lint = re.search(r"^lint:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    assert "ruff check" in lint and "mypy" in lint


def test_ci_calls_make_test():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
    assert ci.index("make test") < ci.index("make typecheck")  # the tests first, then mypy


def test_mypy_is_configured_for_the_package():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    mypy = pyproject["tool"]["mypy"]
    assert mypy["python_version"] == "3.11" and mypy["packages"] == ["govdisclose"]
    assert "ignore_missing_imports" not in mypy  # only per library without type information
    for override in mypy.get("overrides", []):
        assert all(not m.startswith("govdisclose") for m in override["module"]), override
    dev = {_name(d) for d in pyproject["project"]["optional-dependencies"]["dev"]}
    assert {"mypy", "pandas-stubs", "types-pyyaml", "lxml-stubs", "types-tqdm"} <= dev


def test_import_is_light():
    code = "import sys, govdisclose; print(sorted(m for m in ('pandas', 'lxml', 'pdfplumber', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert out.strip() == "[]"


def test_public_names_resolve():
    import govdisclose

    for name in ("catalogue", "read_report", "Report", "load_reports", "sample_path", "validate", "to_wide"):
        assert callable(getattr(govdisclose, name)), name
