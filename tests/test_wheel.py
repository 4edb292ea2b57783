"""The package as a pip user gets it: a wheel built from a copy of the checkout, installed with
``--no-deps`` into a folder of its own, run from an empty working folder with no checkout on the
path (the dependencies come from this venv's site-packages). ``load_sample`` finds the bundled
reports, ``govdisclose demo`` renders the five notebooks, and every docstring example passes.

Slow (it builds a wheel and renders five notebooks): ``make test-fast`` leaves it out."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow

#: What the demo parameter file renders, as <notebook>/<slug>.html.
DEMO_REPORTS = ["agency_profile/pingtan.html", "cross_agency/2023.html", "data_quality/sample.html", "tutorial/mfa_2023.html",
                "paper_tables/sample.html"]
#: setuptools' complaints about the project's configuration (license format, data folders that are
#: not packages, …) and pip's about the build.
_BUILD_WARNING = re.compile(r"(Warning|deprecated|is absent from the `packages`|please list it)", re.IGNORECASE)
_HARMLESS = re.compile(r"WARNING: Location '.*' is ignored|byte-compiling is disabled|warn_redundant_casts")


def _run(args: list[str], *, cwd: Path, env: dict[str, str], timeout: int = 900) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed ({done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict[str, str], Path]:
    """(the install folder, the environment to run in, a fresh working folder)."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    # a copy of the checkout (symbolic links kept), so the build leaves nothing in the work tree
    shutil.copytree(REPO, source, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "*.egg-info", "build", "dist", "reports", ".pytest_cache", ".hypothesis",
        ".ruff_cache", ".mypy_cache", ".cache", "tests", "scripts", ".ipynb_checkpoints"))
    wheels = root / "wheels"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVDISCLOSE_", "PYTHON", "PYTEST", "COV_"))}
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(wheels), str(source)], cwd=root, env=env)
    warnings = [line for line in (built.stdout + built.stderr).splitlines()
                if _BUILD_WARNING.search(line) and not _HARMLESS.search(line)]
    assert warnings == [], "the build warned:\n" + "\n".join(warnings)
    (wheel,) = wheels.glob("govdisclose-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"govdisclose/samples/mfa_2023.txt", "govdisclose/samples/truth/mfa_2023.csv", "govdisclose/samples/README.md",
            "govdisclose/viz/notebooks/tutorial.ipynb", "govdisclose/viz/notebooks/params/demo.yml",
            "govdisclose/data/catalogue.csv", "govdisclose/analysis/identity/data/divisions.csv",
            "govdisclose/analysis/identity/data/zones.csv", "govdisclose/analysis/identity/data/SOURCE.md"} <= names
    target = root / "site"
    _run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile", "--target", str(target), str(wheel)], cwd=root, env=env)
    shutil.rmtree(source)  # nothing of the copy can be found any more
    work = root / "work"
    work.mkdir()
    env = {**env, "PYTHONPATH": str(target), "GOVDISCLOSE_CACHE_DIR": str(root / "cache"), "MPLBACKEND": "Agg"}
    return target, env, work


def test_the_installed_package_loads_its_sample(installed):
    target, env, work = installed
    code = ("import govdisclose, sys\nfrom pathlib import Path\n"
            "m = govdisclose.load_sample()\n"
            "print(govdisclose.__file__)\n"
            "print(m.attrs['agency_years'], m['source'].nunique(), len(m.attrs['duplicates']), m.attrs['failures'].empty)\n"
            "print(govdisclose.sample_path('pingtan_zrz_2024.txt'))\n"
            f"repo, env = Path({str(REPO.resolve())!r}), Path(sys.prefix).resolve()\n"
            "print(any(p and Path(p).resolve().is_relative_to(repo) and not Path(p).resolve().is_relative_to(env) for p in sys.path))\n")
    out = _run([sys.executable, "-c", code], cwd=work, env=env).stdout.splitlines()
    assert Path(out[0]).is_relative_to(target), out[0]  # the wheel's copy, not the checkout
    assert out[1] == "16 16 2 True"  # 18 files, the two 平潭 web pages preferred to their text copies
    assert Path(out[2]).is_relative_to(target) and Path(out[2]).stat().st_size > 0
    assert out[3] == "False"
    assert str(REPO) not in "\n".join(out)


def test_demo_renders_the_five_reports(installed):
    target, env, work = installed
    out = work / "demo"
    done = _run([sys.executable, "-m", "govdisclose", "demo", "--output", str(out)], cwd=work, env=env)
    assert "5 of 5 rendered" in done.stdout, done.stdout + done.stderr
    for name in DEMO_REPORTS:
        html = (out / name).read_text(encoding="utf-8")
        assert "<html" in html.lower() and len(html) > 10_000, name
        assert str(REPO) not in html, f"{name} refers to the checkout"
    again = subprocess.run([sys.executable, "-m", "govdisclose", "demo", "--output", str(out)], cwd=work, env=env,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 2 and "pass --force" in again.stderr  # an earlier render is not replaced unasked
    assert (target / "bin" / "govdisclose").exists()  # the console script was installed too


def _pytest_settings() -> list[str]:
    """The project's doctest settings (option flags, warning filters) for a run outside the checkout."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    args = ["-o", "doctest_optionflags=" + " ".join(config.get("doctest_optionflags", []))]
    for spec in config.get("filterwarnings", []):
        args += ["-W", spec]
    return args


def test_the_docstring_examples_pass_from_the_wheel(installed):
    target, env, work = installed
    ini = work / "pytest.ini"
    ini.write_text("[pytest]\n", encoding="utf-8")  # not the checkout's configuration: only its doctest settings
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", str(ini), "--doctest-modules",
                           *_pytest_settings(), str(target / "govdisclose")],
                          cwd=work, env=env, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    passed = int(re.search(r"(\d+) passed", done.stdout).group(1))
    assert passed >= 100 and " failed" not in done.stdout and "error" not in done.stdout.splitlines()[-1]
