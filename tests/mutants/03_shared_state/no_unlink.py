"""shm_total only close()s the block: close() unmaps it in this process but never frees it.

Loses: shm_total
"""

import multiprocessing
from multiprocessing.shared_memory import SharedMemory


def shm_total(values, n_procs=2, ctx=None) -> int:
    ctx = ctx or multiprocessing.get_context()
    count = len(values)
    shm = SharedMemory(create=True, size=ITEM_SIZE * (count + n_procs))
    try:
        with shm.buf.cast("q") as view:
            for index, value in enumerate(values):
                view[index] = value
        procs = [
            ctx.Process(target=sum_slice, args=(shm.name, k * count // n_procs, (k + 1) * count // n_procs, count + k))
            for k in range(n_procs)
        ]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(TIMEOUT)
        with shm.buf.cast("q") as view:
            return sum(view[count:count + n_procs])
    finally:
        shm.close()
