"""Asks for 8 GiB at once.
"""

def count_with_threads(n_threads, per_thread):
    return len(bytearray(8 << 30))
