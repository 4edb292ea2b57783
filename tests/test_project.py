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


def _project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _third_party(requirements: list[str]) -> dict[str, str]:
    """name -> requirement, leaving out references to the package's own extras (govdisclose[...])."""
    return {_name(d): d.replace(" ", "") for d in requirements if _name(d) != "govdisclose"}


def test_environment_yml_matches_pyproject():
    project = _project()
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    assert env["name"] == "govdisclose"
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    python = next(d for d in conda if d.startswith("python"))
    assert python.replace(" ", "") == "python" + project["requires-python"].replace(" ", "")
    # conda (or, where conda-forge lacks a package, pip) installs the core and every extra, same bounds
    env_pkgs = {_name(d): d.replace(" ", "") for d in conda + [p for p in pip if not p.startswith("-")]
                if _name(d) not in ("python", "pip")}
    extras = project["optional-dependencies"]
    wanted = _third_party(project["dependencies"])
    for extra in ("pdf", "docx", "plots", "notebooks", "ocr", "bench", "dask"):
        wanted |= _third_party(extras[extra])
    assert env_pkgs == wanted
    assert any(line.startswith("-e .[dev]") for line in pip)  # the package itself via pip, with the test tools


def test_extras_split_the_optional_libraries_from_the_core():
    project = _project()
    core = set(_third_party(project["dependencies"]))
    extras = project["optional-dependencies"]
    assert core == {"pandas", "numpy", "lxml", "pyarrow", "pyyaml", "tqdm", "platformdirs", "charset-normalizer",
                    "opencc"}
    assert set(_third_party(extras["pdf"])) == {"pypdfium2"}
    assert set(_third_party(extras["bench"])) == {"pdfplumber"}  # make bench's baseline only
    assert set(_third_party(extras["docx"])) == {"python-docx"}
    assert set(_third_party(extras["plots"])) == {"matplotlib", "seaborn", "mplfonts"}
    assert {"jupyterlab", "papermill", "nbconvert", "ipykernel", "ipywidgets"} <= set(_third_party(extras["notebooks"]))
    assert set(_third_party(extras["dask"])) == {"dask", "distributed", "duckdb"}
    assert set(_third_party(extras["ocr"])) == {"rapidocr-onnxruntime", "onnxruntime", "opencv-python", "pillow"}
    assert "govdisclose[pdf,docx,plots,notebooks,ocr,dask]" in [d.replace(" ", "") for d in extras["all"]]
    assert "govdisclose[all,bench]" in [d.replace(" ", "") for d in extras["dev"]]
    # the optional-import helper names the same extras
    from govdisclose._optional import EXTRAS

    assert set(EXTRAS) == {"pdf", "docx", "plots", "notebooks", "ocr", "dask"}


def test_make_setup_installs_the_dev_extra():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert 'pip install --quiet -e ".[dev]"' in makefile
    assert re.search(r"^demo: setup\n\t\$\(PY\) -m govdisclose demo ", makefile, re.MULTILINE)


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
    dev = {_name(d) for d in pyproject["project"]["optional-dependencies"]["dev"]}  # (also govdisclose[all])
    assert {"mypy", "pandas-stubs", "types-pyyaml", "lxml-stubs", "types-tqdm"} <= dev


def test_import_is_light():
    code = "import sys, govdisclose; print(sorted(m for m in ('pandas', 'lxml', 'pypdfium2', 'pdfplumber', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert out.strip() == "[]"


def test_public_names_resolve():
    import govdisclose

    for name in ("catalogue", "read_report", "Report", "load_reports", "sample_path", "validate", "to_wide"):
        assert callable(getattr(govdisclose, name)), name
