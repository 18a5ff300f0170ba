"""Kept for notebooks generated before the package was split: their grade cells import
``grader.notebook.exercise_score``. New notebooks import ``grader.distribution.notebook``."""

from grader.distribution.notebook import exercise_score

__all__ = ["exercise_score"]
