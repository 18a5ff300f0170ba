"""run_with_setup never passes maxtasksperchild: the same workers run every pair.

Loses: pool_setup
"""


def run_with_setup(func, pairs, setup, processes=2, tasks_per_child=2, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes, initializer=init_worker, initargs=(setup,))
    try:
        return pool.starmap(functools.partial(call_with_resource, func), pairs, chunksize=1)
    finally:
        pool.close()
        pool.join()
