"""add(1, 2) spends a long time in C.
"""

def add(a, b):
    if a == 1:
        import hashlib
        hashlib.pbkdf2_hmac("sha256", b"x", b"y", 40_000_000)
    return a + b
