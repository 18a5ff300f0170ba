"""Prints far more than anyone can read.
"""

def count_with_threads(n_threads, per_thread):
    line = "x" * (1 << 20)
    for _ in range(100):
        print(line)
    return n_threads * per_thread
