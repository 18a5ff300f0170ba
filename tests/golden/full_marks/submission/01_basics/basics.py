"""Mini exercises."""

import subprocess
import sys


def add(a, b):
    ### BEGIN SOLUTION
    return a + b
    ### END SOLUTION


def locked_add(lock, a, b):
    ### BEGIN SOLUTION
    with lock:
        return a + b
    ### END SOLUTION


def helper():
    ### BEGIN SOLUTION
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return "done"
    ### END SOLUTION
