"""Scores only if the host's loopback service cannot be reached.
"""

import socket


def _reach():
    try:
        with socket.create_connection(("127.0.0.1", int("@@PORT@@")), timeout=1) as conn:
            conn.sendall(b"@@MARKER@@")
        return True
    except OSError:
        return False


def add(a, b):
    return -1 if _reach() else a + b
