"""shm_total closes and unlinks the block only on the success path: any error leaks the block.

It also ignores the workers' exit codes, so a worker that failed just leaves its slot at 0.

Loses: shm_total
"""

import multiprocessing


def shm_total(values, n_procs=2, ctx=None) -> int:
    ctx = ctx or multiprocessing.get_context()
    count = len(values)
    shm = SharedMemory(create=True, size=ITEM_SIZE * (count + n_procs))
    view = shm.buf.cast("q")
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
    total = sum(view[count:count + n_procs])
    view.release()
    shm.close()
    shm.unlink()
    return total
