"""Keep the tracked notebooks free of outputs: a git "clean" filter and a command that cleans files.

"Run All" in JupyterLab autosaves every output (figures, tables, widget state, execution counts)
into the notebook file. ``make setup`` (its ``notebook-filters`` step) registers this module as the
git filter ``govdisclose-nbstrip`` that ``.gitattributes`` applies to ``notebooks/*.ipynb``, so git
only ever sees — and commits — the notebook without outputs, whatever is on disk::

    git config filter.govdisclose-nbstrip.clean "<python> -m govdisclose.viz.nbstrip"
    git config filter.govdisclose-nbstrip.smudge cat

``python -m govdisclose.viz.nbstrip`` with no argument filters stdin to stdout (what git runs);
with file arguments it cleans those files in place (``--check`` only reports, exit 1 if dirty).
Standard library only, so the filter runs in any Python.

>>> dirty = '{"cells": [{"cell_type": "code", "execution_count": 3, "id": "a", "metadata": {}, "outputs": [{"output_type": "stream", "name": "stdout", "text": "hi"}], "source": "print(1)"}], "metadata": {"widgets": {}}, "nbformat": 4, "nbformat_minor": 5}'
>>> clean = strip_notebook(dirty)
>>> json.loads(clean)["cells"][0]["outputs"], json.loads(clean)["metadata"]
([], {})
>>> strip_notebook(clean) == clean
True
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["strip_notebook", "is_clean", "FILTER_NAME", "main"]

#: The git filter name used by ``.gitattributes`` and the Makefile's ``notebook-filters`` target.
FILTER_NAME = "govdisclose-nbstrip"
#: Cell metadata an interactive session adds that says nothing about the notebook itself.
_SESSION_CELL_KEYS = ("execution", "collapsed", "scrolled", "jupyter", "papermill")
_SESSION_NB_KEYS = ("widgets", "papermill")


def _strip(nb: dict[str, Any]) -> dict[str, Any]:
    for key in _SESSION_NB_KEYS:
        nb.get("metadata", {}).pop(key, None)
    info = nb.get("metadata", {}).get("language_info")
    if isinstance(info, dict) and "name" in info:  # the kernel's version details, rewritten by every save
        nb["metadata"]["language_info"] = {"name": info["name"]}
    for cell in nb.get("cells", []):
        metadata = cell.get("metadata", {})
        for key in _SESSION_CELL_KEYS:
            metadata.pop(key, None)
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def _dumps(nb: dict[str, Any]) -> str:
    """The layout nbformat writes (indent 1, sorted keys, UTF-8 kept, final newline), so a clean
    notebook passes through unchanged byte for byte."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def strip_notebook(text: str) -> str:
    """The notebook ``text`` without outputs, execution counts, widget state or session metadata
    (``language_info`` is cut to the language's name: the kernel rewrites its version on every save)."""
    return _dumps(_strip(json.loads(text)))


def is_clean(text: str) -> bool:
    """Whether the notebook ``text`` holds no outputs, execution counts or widget state."""
    nb = json.loads(text)
    if any(key in nb.get("metadata", {}) for key in _SESSION_NB_KEYS):
        return False
    return all(not c.get("outputs") and c.get("execution_count") is None for c in nb.get("cells", []) if c.get("cell_type") == "code")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    files = [a for a in args if a != "--check"]
    if not files:
        sys.stdout.write(strip_notebook(sys.stdin.read()))
        return 0
    dirty = []
    for name in files:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        if is_clean(text) and strip_notebook(text) == text:
            continue
        dirty.append(name)
        if not check:
            path.write_text(strip_notebook(text), encoding="utf-8")
    for name in dirty:
        print(f"{name}: {'has outputs' if check else 'outputs removed'}", file=sys.stderr)
    return 1 if check and dirty else 0


if __name__ == "__main__":
    sys.exit(main())
