"""Presentation: the CJK font, figures, ipywidgets shells, and rendering notebooks (parameter files,
running a notebook, the manifest)."""
