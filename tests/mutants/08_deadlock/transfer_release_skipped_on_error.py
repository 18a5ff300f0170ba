"""transfer uses acquire()/release() without try/finally, so a transfer that raises (a bad amount) leaves both locks held.

Loses: transfer
"""


def transfer(src, dst, amount):
    first, second = (src, dst) if src.id < dst.id else (dst, src)
    first.lock.acquire()
    second.lock.acquire()
    src.balance -= amount
    dst.balance += amount
    second.lock.release()
    first.lock.release()
