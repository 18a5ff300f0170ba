"""Mini exercises."""

import subprocess
import sys
import time


def add(a, b):
    return a + b


def locked_add(lock, a, b):
    with lock:
        return a + b


def helper():
    time.sleep(3600)  # far past the test's timeout
    return "done"
