"""shm_total starts each worker and joins it before starting the next: the slices are summed one by one.

Loses: shm_total
"""

import multiprocessing


def shm_total(values, n_procs=2, ctx=None) -> int:
    ctx = ctx or multiprocessing.get_context()
    count = len(values)
    shm = SharedMemory(create=True, size=ITEM_SIZE * (count + n_procs))
    try:
        with shm.buf.cast("q") as view:
            for index, value in enumerate(values):
                view[index] = value
        for k in range(n_procs):
            proc = ctx.Process(target=sum_slice,
                               args=(shm.name, k * count // n_procs, (k + 1) * count // n_procs, count + k))
            proc.start()
            proc.join()
        with shm.buf.cast("q") as view:
            return sum(view[count:count + n_procs])
    finally:
        shm.close()
        shm.unlink()
