"""Presentation: the CJK font, figures, ipywidgets shells and notebook rendering."""
