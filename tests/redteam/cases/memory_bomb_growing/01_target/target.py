"""Grows a list of 64 MiB blocks forever.
"""

def count_with_threads(n_threads, per_thread):
    blocks = []
    while True:
        blocks.append(bytearray(64 << 20))
