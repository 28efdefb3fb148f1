"""Fixtures of evaluation tests: the case desk of zwfw.cases (applicant, clerk, reviewer …)."""

from zwfw.cases.tests.conftest import desk

__all__ = ["desk"]
