"""A stub; the start-up hooks next to it would set PYTEST_ADDOPTS=--collect-only.
"""
