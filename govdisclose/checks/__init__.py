"""Validation: the template's arithmetic and the prose checked against the tables. Findings only; never repairs."""

from govdisclose.checks.rules import RULES, validate

__all__ = ["validate", "RULES"]
