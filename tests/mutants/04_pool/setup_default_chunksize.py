"""run_with_setup calls starmap without chunksize=1: a chunk of pairs is one task, so workers run too many pairs.

Loses: pool_setup
"""


def run_with_setup(func, pairs, setup, processes=2, tasks_per_child=2, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes, initializer=init_worker, initargs=(setup,), maxtasksperchild=tasks_per_child)
    try:
        return pool.starmap(functools.partial(call_with_resource, func), pairs)
    finally:
        pool.close()
        pool.join()
