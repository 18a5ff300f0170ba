"""shm_total raises when a worker failed, but before close()/unlink(): the error path leaks the block.

Loses: shm_total
"""

import multiprocessing


def shm_total(values, n_procs=2, ctx=None) -> int:
    ctx = ctx or multiprocessing.get_context()
    count = len(values)
    shm = SharedMemory(create=True, size=ITEM_SIZE * (count + n_procs))
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
        proc.join()
    if any(proc.exitcode != 0 for proc in procs):
        raise RuntimeError("a worker failed")
    with shm.buf.cast("q") as view:
        total = sum(view[count:count + n_procs])
    shm.close()
    shm.unlink()
    return total
