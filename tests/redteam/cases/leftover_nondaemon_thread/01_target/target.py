"""Leaves a non-daemon thread waiting forever.
"""

def add(a, b):
    threading.Thread(target=threading.Event().wait, name="stuck-forever").start()
    return a + b
