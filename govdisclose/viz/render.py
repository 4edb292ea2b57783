"""Render the notebooks for every (notebook, parameter set) in a YAML file to static HTML.

``python -m govdisclose.viz.render notebooks/params/demo.yml`` (what ``make demo`` and
``make render PARAMS=…`` run) executes each run with papermill in a kernel of *this* Python
(a kernelspec written for the run, so a fresh ``.venv`` works without ``ipykernel install``),
then writes ``<output>/<notebook>/<slug>.html`` with the code hidden (nbconvert, ``exclude_input``)
next to the executed ``<slug>.ipynb``, and the notebook's own summary in ``<slug>/``. A
``manifest.json`` in the output folder records for each run its parameters, status, files, the
package version and a hash of the input data. A failing run does not stop the others; the command
exits non-zero with a summary when any failed.

The parameter file::

    output_dir: reports            # optional (default: reports), relative to the working directory
    runs:
      - notebook: agency_profile   # a notebook in notebooks/ (without .ipynb)
        slug: pingtan              # optional: the file name of the report
        parameters: {agency: 平潭综合实验区, years: []}

>>> runs = read_params(Path(__file__).resolve().parents[2] / "notebooks" / "params" / "demo.yml")
>>> sorted({r.notebook for r in runs})
['agency_profile', 'cross_agency', 'data_quality', 'tutorial']
"""

from __future__ import annotations

import ast
import hashlib
import html
import json
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from govdisclose.exceptions import RenderError

__all__ = [
    "Run", "read_params", "notebook_parameters", "render_notebooks", "execute_notebook", "data_hash", "write_summary",
    "main", "NOTEBOOKS_DIR",
]

#: The notebooks shipped in the checkout.
NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
KERNEL_NAME = "govdisclose-python"
_PATH_PARAMETERS = ("data_dir",)
RESULT_COLUMNS = ["notebook", "slug", "status", "html", "executed", "summary", "seconds", "stderr_outputs", "error"]


@dataclass
class Run:
    """One (notebook, parameters) pair of a parameter file."""

    notebook: str
    slug: str
    parameters: dict = field(default_factory=dict)


def notebook_parameters(path: str | os.PathLike[str]) -> dict:
    """The defaults of a notebook's ``parameters`` cell (plain literals only).

    >>> notebook_parameters(NOTEBOOKS_DIR / "cross_agency.ipynb")["indicator"]
    'disclosure_rate'
    """
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise RenderError(f"{path}: expected exactly one cell tagged 'parameters', found {len(cells)}")
    values = {}
    for node in ast.parse(cells[0].source).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            raise RenderError(f"{path}: the parameters cell may only hold assignments of plain literals")
        try:
            values[node.targets[0].id] = ast.literal_eval(node.value)
        except ValueError:
            raise RenderError(f"{path}: parameter {node.targets[0].id} is not a plain literal") from None
    return values


def _slug(notebook: str, parameters: dict) -> str:
    parts = []
    for key, value in parameters.items():
        if key in ("output_dir", *_PATH_PARAMETERS):
            continue
        if isinstance(value, (list, tuple)):
            value = "+".join(map(str, value))
        if value not in ("", None):
            parts.append(str(value))
    slug = re.sub(r"[^\w.-]+", "-", "_".join(parts)).strip("-_.")
    return slug[:80] or "default"


def read_params(path: str | os.PathLike[str], notebooks_dir: str | os.PathLike[str] | None = None) -> list[Run]:
    """Read and check a parameter file: known notebooks, known parameter names, unique slugs.

    Every problem is collected into one :class:`~govdisclose.exceptions.RenderError`.
    """
    import yaml

    path = Path(path)
    folder = Path(notebooks_dir) if notebooks_dir else NOTEBOOKS_DIR
    if not path.is_file():
        raise RenderError(f"{path}: parameter file not found")
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RenderError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("runs"), list) or not spec["runs"]:
        raise RenderError(f"{path}: expected a mapping with a non-empty list 'runs' of {{notebook, parameters}}")
    problems: list[str] = []
    runs: list[Run] = []
    available = sorted(p.stem for p in folder.glob("*.ipynb"))
    for i, entry in enumerate(spec["runs"], 1):
        if not isinstance(entry, dict) or "notebook" not in entry:
            problems.append(f"run {i}: needs a 'notebook' key")
            continue
        name = str(entry["notebook"]).removesuffix(".ipynb")
        if name not in available:
            problems.append(f"run {i}: no notebook {name!r} (available: {', '.join(available)})")
            continue
        parameters = entry.get("parameters") or {}
        if not isinstance(parameters, dict):
            problems.append(f"run {i} ({name}): 'parameters' must be a mapping")
            continue
        known = notebook_parameters(folder / f"{name}.ipynb")
        unknown = sorted(set(parameters) - set(known))
        if unknown:
            problems.append(f"run {i} ({name}): unknown parameter(s) {', '.join(unknown)}; the notebook takes {', '.join(known)}")
            continue
        slug = str(entry.get("slug") or _slug(name, parameters))
        if not re.fullmatch(r"[\w.-]+", slug):
            problems.append(f"run {i} ({name}): slug {slug!r} may only hold letters, digits, '.', '-' and '_'")
            continue
        runs.append(Run(name, slug, dict(parameters)))
    seen: dict[tuple[str, str], int] = {}
    for run in runs:
        seen[(run.notebook, run.slug)] = seen.get((run.notebook, run.slug), 0) + 1
    problems += [f"{nb}/{slug} appears {n} times: give the runs different slugs" for (nb, slug), n in seen.items() if n > 1]
    if problems:
        raise RenderError(f"{path}: " + "; ".join(problems), {f"run {i}": p for i, p in enumerate(problems, 1)})
    return runs


def data_hash(folder: str | os.PathLike[str] | None = None) -> str:
    """SHA-256 over the names and bytes of the report files in ``folder`` (default: the sample).

    >>> len(data_hash())
    64
    """
    from govdisclose.corpus.paths import sample_dir
    from govdisclose.corpus.sample import report_files

    root = Path(folder) if folder else sample_dir()
    digest = hashlib.sha256()
    for path in report_files(root):
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


@contextmanager
def _kernel_for_this_python():
    """A kernelspec named ``govdisclose-python`` running ``sys.executable``, first on JUPYTER_PATH."""
    with tempfile.TemporaryDirectory(prefix="govdisclose-kernel-") as tmp:
        spec_dir = Path(tmp) / "kernels" / KERNEL_NAME
        spec_dir.mkdir(parents=True)
        spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}", "--IPKernelApp.log_level=CRITICAL"],
                "display_name": "govdisclose (this Python)", "language": "python"}
        (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
        old = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = tmp + (os.pathsep + old if old else "")
        try:
            yield KERNEL_NAME
        finally:
            if old is None:
                os.environ.pop("JUPYTER_PATH", None)
            else:
                os.environ["JUPYTER_PATH"] = old


def execute_notebook(source: str | os.PathLike[str], executed: str | os.PathLike[str], parameters: dict, *,
                     cwd: str | os.PathLike[str] | None = None, timeout: int = 600):
    """Execute one notebook with papermill in a kernel of this Python; return the executed notebook.

    Raises papermill's ``PapermillExecutionError`` when a cell fails (the executed notebook is
    still written).
    """
    import papermill

    with _kernel_for_this_python() as kernel:
        return papermill.execute_notebook(
            str(source), str(executed), parameters=parameters, kernel_name=kernel, cwd=str(cwd or Path(source).parent),
            progress_bar=False, log_output=False, execution_timeout=timeout,
        )


def _static(nb):
    """A copy for the static report: widget views reduced to their text line, widget state
    dropped (the HTML then loads no widget scripts from the network)."""
    import copy

    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
    return nb


def _to_html(nb, title: str) -> str:
    from nbconvert import HTMLExporter

    nb = _static(nb)
    quiet = logging.getLogger("govdisclose.viz.render.nbconvert")
    quiet.setLevel(logging.ERROR)  # nbconvert warns that figures have no alt text: we add it below
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True, log=quiet)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body.replace('alt="No description has been provided for this image"', f'alt="figure of {html.escape(title)}"')


def _stderr_outputs(nb) -> int:
    return sum(1 for cell in nb.cells for out in cell.get("outputs", []) if out.get("output_type") == "stream" and out.get("name") == "stderr")


def _error(exc: BaseException) -> str:
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename:
        return f"{ename}: {evalue}"
    return f"{type(exc).__name__}: {exc}"


def render_notebooks(
    params_file: str | os.PathLike[str],
    *,
    output_dir: str | os.PathLike[str] | None = None,
    notebooks_dir: str | os.PathLike[str] | None = None,
    timeout: int = 600,
    raise_on_error: bool = True,
) -> pd.DataFrame:
    """Render every run of a parameter file (see the module docstring); return one row per run.

    Columns ``notebook, slug, status`` (``ok`` or ``failed``), ``html, executed, summary`` (paths),
    ``seconds, stderr_outputs, error``. All runs are attempted; with ``raise_on_error`` a
    :class:`~govdisclose.exceptions.RenderError` listing the failed runs is raised at the end
    (its ``results`` attribute holds the frame).

    >>> results = render_notebooks("notebooks/params/demo.yml")  # doctest: +SKIP
    >>> results[["notebook", "slug", "status"]].values.tolist()  # doctest: +SKIP
    [['agency_profile', 'pingtan', 'ok'], ['cross_agency', '2023', 'ok'], ['data_quality', 'sample', 'ok'], ['tutorial', 'mfa_2023', 'ok']]
    """
    import nbformat

    from govdisclose import __version__

    params_file = Path(params_file)
    folder = Path(notebooks_dir) if notebooks_dir else NOTEBOOKS_DIR
    runs = read_params(params_file, folder)
    import yaml

    spec = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    root = Path(output_dir or spec.get("output_dir") or "reports").resolve()
    root.mkdir(parents=True, exist_ok=True)
    hashes: dict[str, str] = {}
    rows = []
    entries = []
    for run in runs:
        out_dir = root / run.notebook
        out_dir.mkdir(parents=True, exist_ok=True)
        html_path, executed_path = out_dir / f"{run.slug}.html", out_dir / f"{run.slug}.ipynb"
        parameters = dict(run.parameters)
        for key in _PATH_PARAMETERS:
            if parameters.get(key):
                parameters[key] = str(Path(parameters[key]).resolve())
        parameters.setdefault("output_dir", str(out_dir / run.slug))
        data_dir = parameters.get("data_dir") or ""
        if data_dir not in hashes:
            try:
                hashes[data_dir] = data_hash(data_dir or None)
            except Exception as exc:  # noqa: BLE001 - recorded, the run itself will report the problem
                hashes[data_dir] = f"unavailable: {exc}"
        start = time.monotonic()
        row = {"notebook": run.notebook, "slug": run.slug, "status": "ok", "html": None, "executed": str(executed_path),
               "summary": None, "seconds": None, "stderr_outputs": None, "error": None}
        try:
            nb = execute_notebook(folder / f"{run.notebook}.ipynb", executed_path, parameters, cwd=folder, timeout=timeout)
            html_path.write_text(_to_html(nb, f"{run.notebook} — {run.slug}"), encoding="utf-8")
            row["html"] = str(html_path)
            row["stderr_outputs"] = _stderr_outputs(nb)
        except Exception as exc:  # noqa: BLE001 - one failing notebook must not stop the others
            row["status"], row["error"] = "failed", _error(exc)
            html_path.unlink(missing_ok=True)  # never leave a stale report behind a failed run
            if executed_path.exists():
                row["stderr_outputs"] = _stderr_outputs(nbformat.read(str(executed_path), as_version=4))
        summary = Path(parameters["output_dir"]) / "summary.json"
        row["summary"] = str(summary) if summary.exists() else None
        row["seconds"] = round(time.monotonic() - start, 1)
        rows.append(row)
        relative = {k: (os.path.relpath(row[k], root) if row[k] else None) for k in ("html", "executed", "summary")}
        entries.append({**row, **relative, "parameters": parameters, "data_hash": hashes[data_dir], "package_version": __version__,
                        "params_file": str(params_file.resolve()), "rendered_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")})
    _write_manifest(root, entries)
    results = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    failed = results[results["status"] == "failed"]
    if raise_on_error and len(failed):
        error = RenderError(f"{len(failed)} of {len(results)} notebook run(s) failed: "
                            + "; ".join(f"{r.notebook}/{r.slug}: {r.error}" for r in failed.itertuples()),
                            {f"{r.notebook}/{r.slug}": r.error for r in failed.itertuples()})
        error.results = results  # type: ignore[attr-defined]
        raise error
    return results


def _write_manifest(root: Path, entries: list[dict]) -> None:
    """Merge the runs into ``manifest.json`` (runs of earlier renders into the same folder are kept)."""
    from govdisclose import __version__

    path = root / "manifest.json"
    runs: dict[str, dict] = {}
    if path.exists():
        try:
            for entry in json.loads(path.read_text(encoding="utf-8")).get("runs", []):
                runs[f"{entry['notebook']}/{entry['slug']}"] = entry
        except (ValueError, KeyError, AttributeError):
            runs = {}
    for entry in entries:
        runs[f"{entry['notebook']}/{entry['slug']}"] = entry
    manifest = {"package_version": __version__, "python": sys.version.split()[0], "runs": [runs[k] for k in sorted(runs)]}
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def _plain(value: object, folder: Path | None = None) -> object:
    """JSON-ready: <NA>/NaN → null, numpy scalars → Python, frames → records, paths inside
    ``folder`` → relative."""
    if isinstance(value, pd.DataFrame):
        return [_plain(r, folder) for r in value.to_dict("records")]
    if isinstance(value, pd.Series):
        return {str(k): _plain(v, folder) for k, v in value.items()}
    if isinstance(value, dict):
        return {str(k): _plain(v, folder) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v, folder) for v in value]
    if isinstance(value, Path):
        if folder is not None and value.resolve().is_relative_to(folder.resolve()):
            return str(value.resolve().relative_to(folder.resolve()))
        return str(value)
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return _plain(value.item(), folder)
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def write_summary(output_dir: str | os.PathLike[str], summary: dict, **tables: pd.DataFrame) -> Path:
    """Write a notebook's machine-readable summary: ``summary.json`` (``<NA>`` as null) and one
    CSV per table (``name.csv``), into ``output_dir``; return the JSON's path.

    >>> import tempfile
    >>> path = write_summary(tempfile.mkdtemp(), {"value": pd.NA, "n": 3}, rows=pd.DataFrame({"a": [1]}))
    >>> json.loads(path.read_text())
    {'value': None, 'n': 3, 'tables': ['rows.csv']}
    """
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=not isinstance(frame.index, pd.RangeIndex))
        names.append(f"{name}.csv")
    path = folder / "summary.json"
    path.write_text(json.dumps(_plain({**summary, "tables": names}, folder), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m govdisclose.viz.render PARAMS.yml [--output DIR]``; exit 1 if a run
    failed, 2 if the parameter file is wrong.

    >>> main(["no_such_file.yml"])
    2
    """
    import argparse

    parser = argparse.ArgumentParser(prog="python -m govdisclose.viz.render", description="Render the govdisclose notebooks to HTML.")
    parser.add_argument("params", nargs="?", default=str(NOTEBOOKS_DIR / "params" / "demo.yml"), help="YAML parameter file")
    parser.add_argument("--output", default=None, help="output folder (default: output_dir of the file, else reports)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    args = parser.parse_args(argv)
    try:
        results = render_notebooks(args.params, output_dir=args.output, timeout=args.timeout, raise_on_error=False)
    except RenderError as exc:
        print(f"render: {exc}", file=sys.stderr)
        return 2
    for r in results.itertuples():
        where = r.html if r.status == "ok" else r.error
        print(f"{r.status:6} {r.notebook}/{r.slug}  {where}  ({r.seconds} s)")
    failed = int((results["status"] == "failed").sum())
    print(f"{len(results) - failed} of {len(results)} rendered" + (f"; {failed} FAILED" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
