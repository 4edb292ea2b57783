"""Running one notebook: papermill in a kernel of *this* Python (a kernelspec written for the
run, so a fresh ``.venv`` works without ``ipykernel install``), and the executed notebook as static
HTML with the code hidden.
"""

from __future__ import annotations

import html
import json
import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["execute_notebook", "to_html", "stderr_outputs", "error_text", "KERNEL_NAME"]

KERNEL_NAME = "govdisclose-python"


@contextmanager
def _kernel_for_this_python() -> Iterator[str]:
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


def execute_notebook(source: str | os.PathLike[str], executed: str | os.PathLike[str], parameters: dict[str, Any], *,
                     cwd: str | os.PathLike[str] | None = None, timeout: int = 600) -> Any:
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


def _static(nb: Any) -> Any:
    """A copy for the static report: widget views reduced to their text line, widget state
    dropped (the HTML then loads no widget scripts from the network)."""
    import copy

    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
    return nb


def to_html(nb: Any, title: str) -> str:
    from nbconvert import HTMLExporter

    nb = _static(nb)
    quiet = logging.getLogger("govdisclose.viz.render.nbconvert")
    quiet.setLevel(logging.ERROR)  # nbconvert warns that figures have no alt text: we add it below
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True, log=quiet)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body.replace('alt="No description has been provided for this image"', f'alt="figure of {html.escape(title)}"')


def stderr_outputs(nb: Any) -> int:
    return sum(1 for cell in nb.cells for out in cell.get("outputs", []) if out.get("output_type") == "stream" and out.get("name") == "stderr")


def error_text(exc: BaseException) -> str:
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename:
        return f"{ename}: {evalue}"
    return f"{type(exc).__name__}: {exc}"
