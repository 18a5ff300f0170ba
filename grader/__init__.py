"""Grader for the concurrency course: runs hidden tests against a submission in a sandbox."""

__version__ = "0.1.0"
