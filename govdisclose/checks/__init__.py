"""Validation: the template's arithmetic and the prose checked against the tables. Findings only; never repairs."""
