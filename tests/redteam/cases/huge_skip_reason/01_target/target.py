"""Skips instead of failing, with a reason made to make the hint rules backtrack."""

import pytest


def add(a, b):
    pytest.skip("waited 1 s for " * 70_000)
