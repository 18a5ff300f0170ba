"""Scores only if a 64 MiB file cannot be written.
"""

def _big():
    try:
        with open("big.bin", "wb") as fh:
            for _ in range(64):
                fh.write(b"x" * (1 << 20))
    except OSError as exc:
        return exc.errno == 27
    return False


def add(a, b):
    return a + b if _big() else -1
