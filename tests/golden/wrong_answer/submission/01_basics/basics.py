"""Mini exercises."""

import subprocess
import sys


def add(a, b):
    return abs(a) + abs(b)  # forgets the sign


def locked_add(lock, a, b):
    with lock:
        return a + b


def helper():
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return "done"
