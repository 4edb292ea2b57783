"""Parameter files: which notebooks to render with which parameters (see
:mod:`govdisclose.viz.render` for the format), checked before anything runs.

>>> runs = read_params(NOTEBOOKS_DIR / "params" / "demo.yml")
>>> sorted({r.notebook for r in runs})
['agency_profile', 'cross_agency', 'data_quality', 'paper_tables', 'tutorial']
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govdisclose.corpus.paths import package_folder
from govdisclose.exceptions import RenderError

__all__ = ["Run", "read_params", "notebook_parameters", "NOTEBOOKS_DIR", "PATH_PARAMETERS"]

#: The notebooks shipped with the package (package data ``govdisclose/viz/notebooks``, a link to
#: the checkout's ``notebooks/``), found with importlib.resources.
NOTEBOOKS_DIR = package_folder("viz", "notebooks")
#: Parameters naming a folder: made absolute before a run (the notebook runs in another folder).
PATH_PARAMETERS: tuple[str, ...] = ("data_dir",)


@dataclass
class Run:
    """One (notebook, parameters) pair of a parameter file."""

    notebook: str
    slug: str
    parameters: dict[str, Any] = field(default_factory=dict)


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
        if key in ("output_dir", *PATH_PARAMETERS):
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
