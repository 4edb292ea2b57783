"""Indicators, year-over-year and cross-agency comparisons, compositions, one agency's tables over
the years, agency names; who each agency is (``identity/``), its peers (``peers``) and its unusual
changes (``anomalies``)."""
