"""Indicators, year-over-year and cross-agency comparisons, agency names."""
