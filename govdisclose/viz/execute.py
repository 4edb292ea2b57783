"""Running one notebook: papermill in a kernel of *this* Python (a kernelspec written for the
run, so a fresh ``.venv`` works without ``ipykernel install``), and the executed notebook as one
static, offline HTML page (code hidden unless the notebook asks to show it).
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

__all__ = ["execute_notebook", "to_html", "show_code", "stderr_outputs", "error_text", "KERNEL_NAME", "HIDE_INPUT_TAG"]

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


#: The lab template without anything fetched from the network (require.js, MathJax, mermaid and
#: the widget manager come from a CDN in nbconvert's template): the report works offline.
_OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""
#: A cell tagged so keeps its output but not its code in a report that shows code.
HIDE_INPUT_TAG = "remove-input"
_TEXT_OUTPUTS = ("text/plain", "text/html", "text/markdown")


def show_code(nb: Any) -> bool:
    """Whether a notebook asks for its code in the report (``metadata.govdisclose.show_code``)."""
    return bool(nb.metadata.get("govdisclose", {}).get("show_code", False))


def _parameters_source(parameters: dict[str, Any]) -> str:
    lines = [f"{name} = {value!r}" for name, value in parameters.items()]
    return "# Parameters of this run (the others keep the notebook's defaults)\n" + "\n".join(lines) if lines else "# This run uses the notebook's default parameters"


def _relative_text(text: str, prefixes: list[tuple[str, str]]) -> str:
    for prefix, replacement in prefixes:
        text = text.replace(prefix, replacement)
    return text


def _static(nb: Any, *, parameters: dict[str, Any] | None = None, folder: str | os.PathLike[str] | None = None) -> Any:
    """A copy for the static report: widget views reduced to their text line, widget state
    dropped (the HTML then loads no widget scripts); the papermill-injected parameters shown as
    given (``parameters``: no machine paths) in place of the notebook's defaults; absolute paths
    under ``folder`` (the report's folder) and the working directory made relative."""
    import copy

    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    injected = [c for c in nb.cells if "injected-parameters" in c.get("metadata", {}).get("tags", [])]
    if injected:
        nb.cells = [c for c in nb.cells if "parameters" not in c.get("metadata", {}).get("tags", [])]
        if parameters is not None:
            injected[0].source = _parameters_source(parameters)
    prefixes = []
    for base, replacement in ((folder, ""), (Path.cwd(), ""), (Path.home(), "~/")):
        if base:
            prefixes.append((str(Path(base).resolve()) + os.sep, replacement))
    for cell in nb.cells:
        cell.source = _relative_text(cell.source, prefixes)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            data.pop("application/vnd.jupyter.widget-view+json", None)
            for mime in _TEXT_OUTPUTS:
                if isinstance(data.get(mime), str):
                    data[mime] = _relative_text(data[mime], prefixes)
            if isinstance(output.get("text"), str):
                output["text"] = _relative_text(output["text"], prefixes)
    return nb


def to_html(nb: Any, title: str, *, parameters: dict[str, Any] | None = None, folder: str | os.PathLike[str] | None = None) -> str:
    """The executed notebook as one self-contained HTML page (figures inline, no network asset).

    Code is hidden unless the notebook's metadata asks for it (:func:`show_code`, the tutorial);
    then cells tagged ``remove-input`` still show only their output. ``parameters`` are shown
    in place of papermill's injected cell, ``folder`` is where the page is written (absolute
    paths under it are printed relative to it).
    """
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    visible = show_code(nb)
    nb = _static(nb, parameters=parameters, folder=folder)
    quiet = logging.getLogger("govdisclose.viz.render.nbconvert")
    quiet.setLevel(logging.ERROR)  # nbconvert warns that figures have no alt text: we add it below
    exporter = HTMLExporter(exclude_input=not visible, exclude_input_prompt=True, exclude_output_prompt=True, log=quiet,
                            extra_loaders=[DictLoader({"govdisclose_offline.html.j2": _OFFLINE_TEMPLATE})],
                            template_file="govdisclose_offline.html.j2")
    exporter.register_preprocessor(TagRemovePreprocessor(remove_input_tags={HIDE_INPUT_TAG}), enabled=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body.replace('alt="No description has been provided for this image"', f'alt="figure of {html.escape(title)}"')


def stderr_outputs(nb: Any) -> int:
    return sum(1 for cell in nb.cells for out in cell.get("outputs", []) if out.get("output_type") == "stream" and out.get("name") == "stderr")


def error_text(exc: BaseException) -> str:
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename:
        return f"{ename}: {evalue}"
    return f"{type(exc).__name__}: {exc}"
