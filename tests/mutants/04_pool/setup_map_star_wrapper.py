"""run_with_setup unpacks each pair in a wrapper and calls map (in order) instead of starmap.

Loses: pool_setup
"""


def call_with_pair(func, pair):
    return call_with_resource(func, *pair)


def run_with_setup(func, pairs, setup, processes=2, tasks_per_child=2, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes, initializer=init_worker, initargs=(setup,), maxtasksperchild=tasks_per_child)
    try:
        return pool.map(functools.partial(call_with_pair, func), pairs, chunksize=1)
    finally:
        pool.close()
        pool.join()
