"""Scores only if the environment holds no secret.
"""

import os


def _secrets():
    return [k for k, v in os.environ.items()
            if any(w in k.upper() for w in ("TOKEN", "SECRET", "PASSWORD", "KEY")) or "fake-d19" in v]


def add(a, b):
    return -1 if _secrets() else a + b
