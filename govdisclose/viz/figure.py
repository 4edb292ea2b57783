"""The figure type every plot of :mod:`govdisclose.viz.plots` returns, and :func:`save_figure`.

A :class:`ReportFigure` is a plain :class:`matplotlib.figure.Figure` that is not managed by pyplot
(nothing is shown twice, nothing leaks), which

* displays itself in Jupyter without ``%matplotlib inline`` (it has a ``_repr_png_``, so a fresh
  notebook shows the picture, not ``<Figure size 700x315 with 1 Axes>``);
* has a :meth:`ReportFigure.show` that works everywhere: in IPython it displays the figure, in
  plain Python it opens a window when matplotlib has an interactive backend, and otherwise warns
  (it never raises) and points to :func:`save_figure`.

>>> fig = new_figure(3, 2)
>>> fig._repr_png_()[:4]
b'\\x89PNG'
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from govdisclose.exceptions import GovDiscloseError
from govdisclose.viz.fonts import use_cjk_font

__all__ = ["ReportFigure", "new_figure", "save_figure", "FIGURE_FORMATS"]

#: File suffixes :func:`save_figure` writes.
FIGURE_FORMATS: tuple[str, ...] = (".png", ".pdf", ".svg")
#: Matplotlib settings while saving: TrueType fonts embedded in PDF/PS, SVG text as outlines.
_EMBED: dict[str, Any] = {"pdf.fonttype": 42, "ps.fonttype": 42, "svg.fonttype": "path"}


def _in_ipython() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


class ReportFigure(Figure):
    """A figure that shows itself in notebooks and never fails on :meth:`show`."""

    def _repr_png_(self) -> bytes:
        """PNG bytes for IPython's display (what a notebook shows for ``fig`` or ``display(fig)``)."""
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        return buffer.getvalue()

    def show(self, warn: bool = True) -> None:  # type: ignore[override]
        """Display the figure: inline in IPython/Jupyter, in a window with an interactive
        matplotlib backend, else a warning saying to save it (:func:`save_figure`)."""
        if _in_ipython():
            from IPython.display import display

            display(self)
            return
        import matplotlib
        from matplotlib.backends import BackendFilter, backend_registry

        backend = matplotlib.get_backend()
        if backend.lower() in backend_registry.list_builtin(BackendFilter.NON_INTERACTIVE):
            if warn:
                warnings.warn(f"matplotlib's backend {backend!r} cannot open a window; write the figure to a file "
                              "instead: govdisclose.viz.plots.save_figure(fig, 'figure.png')", UserWarning, stacklevel=2)
            return
        manager = backend_registry.load_backend_module(backend).FigureCanvas.new_manager(self, 1)
        manager.show()
        type(manager).start_main_loop()


def new_figure(width: float = 7.0, height: float = 4.0) -> ReportFigure:
    """An empty :class:`ReportFigure` with the CJK font set and a constrained layout."""
    use_cjk_font()
    return ReportFigure(figsize=(width, height), layout="constrained")


def save_figure(fig: Figure, path: str | os.PathLike[str], *, dpi: int = 150) -> Path:
    """Write a figure as PNG, PDF or SVG (by the suffix), creating the folder; return the path.

    The CJK font travels with the file: PDF embeds it (TrueType, ``pdf.fonttype`` 42), SVG draws
    text as outlines, so the figure looks the same on a machine without Chinese fonts. Another
    suffix raises :class:`~govdisclose.exceptions.GovDiscloseError`.

    >>> import tempfile, govdisclose
    >>> from govdisclose.analysis.composition import applicant_mix
    >>> from govdisclose.viz.plots import applicant_mix_plot
    >>> path = save_figure(applicant_mix_plot(applicant_mix(govdisclose.load_sample())), tempfile.mkdtemp() + "/mix.svg")
    >>> path.suffix, path.stat().st_size > 1000
    ('.svg', True)
    """
    import matplotlib

    path = Path(path)
    if path.suffix.lower() not in FIGURE_FORMATS:
        raise GovDiscloseError(f"save_figure: {path.name!r} — use one of {', '.join(FIGURE_FORMATS)} as the file suffix")
    path.parent.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context(_EMBED):  # type: ignore[arg-type]  # keys checked by matplotlib at run time
        fig.savefig(path, dpi=dpi, bbox_inches="tight")
    return path
