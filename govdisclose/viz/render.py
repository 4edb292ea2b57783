"""Render the notebooks for every (notebook, parameter set) in a YAML file to static HTML.

``python -m govdisclose.viz.render notebooks/params/demo.yml`` (what ``make demo`` and
``make render PARAMS=…`` run) executes each run with papermill in a kernel of *this* Python
(a kernelspec written for the run, so a fresh ``.venv`` works without ``ipykernel install``),
then writes ``<output>/<notebook>/<slug>.html`` (one self-contained page that needs no network;
code hidden except in the tutorial, see :func:`govdisclose.viz.execute.to_html`) next to the
executed ``<slug>.ipynb``, and the notebook's own summary in ``<slug>/``. A ``manifest.json`` in
the output folder records for each run its parameters, status, files, the package version and a
hash of the input data. A failing run does not stop the others; the command exits non-zero with a
summary when any failed. Reports of an earlier render are never overwritten without ``force``
(``--force``): the render stops before running anything and names them.

The parameter file::

    output_dir: reports            # optional (default: reports), relative to the working directory
    runs:
      - notebook: agency_profile   # a notebook in notebooks/ (without .ipynb)
        slug: pingtan              # optional: the file name of the report
        parameters: {agency: 平潭综合实验区, years: []}

The parameter file is read by :mod:`govdisclose.viz.params`, each notebook run by
:mod:`govdisclose.viz.execute`, the manifest and summaries written by :mod:`govdisclose.viz.manifest`.

>>> main(["no_such_file.yml"])
2
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from govdisclose.exceptions import RenderError
from govdisclose.viz.execute import error_text, execute_notebook, stderr_outputs, to_html
from govdisclose.viz.manifest import data_hash, write_manifest
from govdisclose.viz.params import NOTEBOOKS_DIR, PATH_PARAMETERS, read_params

__all__ = ["render_notebooks", "main", "RESULT_COLUMNS"]

RESULT_COLUMNS = ["notebook", "slug", "status", "html", "executed", "summary", "seconds", "stderr_outputs", "error"]


def render_notebooks(
    params_file: str | os.PathLike[str],
    *,
    output_dir: str | os.PathLike[str] | None = None,
    notebooks_dir: str | os.PathLike[str] | None = None,
    timeout: int = 600,
    raise_on_error: bool = True,
    force: bool = False,
) -> pd.DataFrame:
    """Render every run of a parameter file (see the module docstring); return one row per run.

    Columns ``notebook, slug, status`` (``ok`` or ``failed``), ``html, executed, summary`` (paths),
    ``seconds, stderr_outputs, error``. All runs are attempted; with ``raise_on_error`` a
    :class:`~govdisclose.exceptions.RenderError` listing the failed runs is raised at the end
    (its ``results`` attribute holds the frame). Without ``force``, a run whose report, executed
    notebook or summary folder already exists raises :class:`~govdisclose.exceptions.RenderError`
    before any notebook runs.

    >>> results = render_notebooks("notebooks/params/demo.yml")  # doctest: +SKIP
    >>> results[["notebook", "slug", "status"]].values.tolist()  # doctest: +SKIP
    [['agency_profile', 'pingtan', 'ok'], ['cross_agency', '2023', 'ok'], ['data_quality', 'sample', 'ok'], ['tutorial', 'mfa_2023', 'ok'], ['paper_tables', 'sample', 'ok']]
    """
    import nbformat

    from govdisclose import __version__

    params_file = Path(params_file)
    folder = Path(notebooks_dir) if notebooks_dir else NOTEBOOKS_DIR
    runs = read_params(params_file, folder)
    import yaml

    spec = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    root = Path(output_dir or spec.get("output_dir") or "reports").resolve()
    if not force:
        _refuse_to_overwrite(root, runs)
    root.mkdir(parents=True, exist_ok=True)
    hashes: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    for run in runs:
        out_dir = root / run.notebook
        out_dir.mkdir(parents=True, exist_ok=True)
        html_path, executed_path = out_dir / f"{run.slug}.html", out_dir / f"{run.slug}.ipynb"
        given = dict(run.parameters)
        parameters = dict(run.parameters)
        for key in PATH_PARAMETERS:
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
        row: dict[str, Any] = {"notebook": run.notebook, "slug": run.slug, "status": "ok", "html": None, "executed": str(executed_path),
               "summary": None, "seconds": None, "stderr_outputs": None, "error": None}
        try:
            nb = execute_notebook(folder / f"{run.notebook}.ipynb", executed_path, parameters, cwd=folder, timeout=timeout)
            html_path.write_text(to_html(nb, f"{run.notebook} — {run.slug}", parameters=given, folder=out_dir), encoding="utf-8")
            row["html"] = str(html_path)
            row["stderr_outputs"] = stderr_outputs(nb)
        except Exception as exc:  # noqa: BLE001 - one failing notebook must not stop the others
            row["status"], row["error"] = "failed", error_text(exc)
            html_path.unlink(missing_ok=True)  # never leave a stale report behind a failed run
            if executed_path.exists():
                row["stderr_outputs"] = stderr_outputs(nbformat.read(str(executed_path), as_version=4))
        summary = Path(parameters["output_dir"]) / "summary.json"
        row["summary"] = str(summary) if summary.exists() else None
        row["seconds"] = round(time.monotonic() - start, 1)
        rows.append(row)
        relative = {k: (os.path.relpath(row[k], root) if row[k] else None) for k in ("html", "executed", "summary")}
        recorded = {**given, "output_dir": os.path.relpath(parameters["output_dir"], root)}
        entries.append({**row, **relative, "parameters": recorded, "data_hash": hashes[data_dir], "package_version": __version__,
                        "params_file": _shown_path(params_file), "rendered_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")})
    write_manifest(root, entries)
    results = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    failed = results[results["status"] == "failed"]
    if raise_on_error and len(failed):
        error = RenderError(f"{len(failed)} of {len(results)} notebook run(s) failed: "
                            + "; ".join(f"{r.notebook}/{r.slug}: {r.error}" for r in failed.itertuples()),
                            {f"{r.notebook}/{r.slug}": str(r.error) for r in failed.itertuples()})
        error.results = results  # type: ignore[attr-defined]
        raise error
    return results


def _shown_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    resolved = path.resolve()
    return str(resolved.relative_to(Path.cwd())) if resolved.is_relative_to(Path.cwd()) else str(resolved)


def _refuse_to_overwrite(root: Path, runs: Sequence[Any]) -> None:
    """Raise when a run's report, executed notebook or summary folder is already in ``root``."""
    existing = [f"{run.notebook}/{run.slug}" for run in runs
                if any(p.exists() for p in (root / run.notebook / f"{run.slug}.html", root / run.notebook / f"{run.slug}.ipynb",
                                            root / run.notebook / run.slug))]
    if existing:
        raise RenderError(f"{_shown_path(root)} already holds reports of an earlier render ({', '.join(existing)}): pass --force "
                          "(force=True) to overwrite them, or render into another folder with --output DIR")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m govdisclose.viz.render PARAMS.yml [--output DIR] [--force]``; exit 1
    if a run failed, 2 if the parameter file is wrong or earlier reports would be overwritten
    (errors printed as ``govdisclose: error: …``).

    >>> main(["no_such_file.yml"])
    2
    """
    import argparse

    parser = argparse.ArgumentParser(prog="python -m govdisclose.viz.render", description="Render the govdisclose notebooks to HTML.")
    parser.add_argument("params", nargs="?", default=str(NOTEBOOKS_DIR / "params" / "demo.yml"), help="YAML parameter file")
    parser.add_argument("--output", default=None, help="output folder (default: output_dir of the file, else reports)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    parser.add_argument("-f", "--force", action="store_true", help="overwrite the reports of an earlier render in the output folder")
    args = parser.parse_args(argv)
    try:
        results = render_notebooks(args.params, output_dir=args.output, timeout=args.timeout, raise_on_error=False, force=args.force)
    except RenderError as exc:
        print(f"govdisclose: error: {exc}", file=sys.stderr)
        return 2
    for r in results.to_dict("records"):
        where = _shown_path(Path(r["html"])) if r["status"] == "ok" else r["error"]
        print(f"{r['status']:6} {r['notebook']}/{r['slug']}  {where}  ({r['seconds']} s)")
    failed = int((results["status"] == "failed").sum())
    print(f"{len(results) - failed} of {len(results)} rendered" + (f"; {failed} FAILED" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
