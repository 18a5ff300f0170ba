"""shm_total sizes the block by a rule of thumb (one slot per value, at least one per worker) and
puts worker k's result at slot count | k: fine for the sizes the student tried, wrong for one value
and three workers, or for three values on two workers.

Loses: shm_total
"""

import multiprocessing


def shm_total(values, n_procs=2, ctx=None) -> int:
    ctx = ctx or multiprocessing.get_context()
    count = len(values)
    shm = SharedMemory(create=True, size=ITEM_SIZE * max(count * n_procs, count + 1))
    try:
        with shm.buf.cast("q") as view:
            for index, value in enumerate(values):
                view[index] = value
        procs = [
            ctx.Process(target=sum_slice, args=(shm.name, k * count // n_procs, (k + 1) * count // n_procs, count | k))
            for k in range(n_procs)
        ]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(TIMEOUT)
        if any(proc.exitcode != 0 for proc in procs):
            raise RuntimeError("a worker failed")
        with shm.buf.cast("q") as view:
            return sum(view[count:count * n_procs])
    finally:
        shm.close()
        shm.unlink()
