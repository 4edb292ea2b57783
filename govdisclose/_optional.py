"""Optional dependencies: each one belongs to an extra of the package, and a missing one is a
:class:`~govdisclose.exceptions.MissingDependencyError` naming the ``pip install`` that brings it.

====================  =====================================================================
extra                 what it brings
====================  =====================================================================
``pdf``               pypdfium2 (the PDF reader, on PDFium)
``docx``              python-docx (``govdisclose synth`` writing DOCX)
``plots``             matplotlib, seaborn, mplfonts (:mod:`govdisclose.viz.plots`)
``notebooks``         jupyterlab, papermill, nbconvert, ipykernel, ipywidgets (``govdisclose demo``)
``dask``              dask[dataframe], distributed, duckdb (``build_corpus`` on a cluster, out-of-core corpus queries)
``ocr``               rapidocr-onnxruntime (PP-OCR models in the wheel), onnxruntime, OpenCV, Pillow (scans)
``all``               all of the above
====================  =====================================================================

>>> import_optional("json", extra="pdf").__name__
'json'
>>> import_optional("no_such_module_here", extra="pdf", purpose="reading PDF reports")
Traceback (most recent call last):
...
govdisclose.MissingDependencyError: reading PDF reports needs no_such_module_here, which is not installed: pip install 'govdisclose[pdf]'
"""

from __future__ import annotations

import importlib
from types import ModuleType

from govdisclose.exceptions import MissingDependencyError

__all__ = ["EXTRAS", "import_optional"]

#: Each extra and the modules (import names) it provides.
EXTRAS: dict[str, tuple[str, ...]] = {
    "pdf": ("pypdfium2",),
    "docx": ("docx",),
    "plots": ("matplotlib", "seaborn", "mplfonts"),
    "notebooks": ("papermill", "nbconvert", "nbformat", "ipykernel", "ipywidgets", "jupyterlab"),
    "dask": ("dask", "distributed", "duckdb"),
    "ocr": ("rapidocr_onnxruntime", "onnxruntime", "cv2", "PIL"),
}


def import_optional(name: str, *, extra: str, purpose: str | None = None) -> ModuleType:
    """Import module ``name`` (e.g. ``"pypdfium2"`` or ``"docx.shared"``), which the extra
    ``extra`` installs; if it is missing, raise :class:`MissingDependencyError` saying
    ``pip install 'govdisclose[extra]'``. An import that fails for another reason (a broken
    installation) is not hidden: its own error is raised.
    """
    if extra not in EXTRAS and extra != "all":
        raise ValueError(f"unknown extra {extra!r}; known: {', '.join(EXTRAS)}")
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        missing = exc.name or name
        if not (name == missing or name.startswith(missing + ".")):
            raise  # the module exists but one of its own imports is missing: a broken install, not an extra
        what = purpose or f"this feature (govdisclose[{extra}])"
        raise MissingDependencyError(
            f"{what} needs {missing}, which is not installed: pip install 'govdisclose[{extra}]'", name=missing, extra=extra
        ) from None
