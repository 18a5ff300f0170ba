"""transfer() locks the source first: opposite transfers deadlock.
"""

def transfer(src, dst, amount):
    import time
    with src.lock:
        time.sleep(0.05)
        with dst.lock:
            src.balance -= amount
            dst.balance += amount
