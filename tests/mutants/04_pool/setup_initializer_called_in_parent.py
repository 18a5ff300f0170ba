"""run_with_setup passes initializer=init_worker(setup): that calls it in the parent and gives the pool None.

Loses: pool_setup
"""


def run_with_setup(func, pairs, setup, processes=2, tasks_per_child=2, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes, initializer=init_worker(setup), maxtasksperchild=tasks_per_child)
    try:
        return pool.starmap(functools.partial(call_with_resource, func), pairs, chunksize=1)
    finally:
        pool.close()
        pool.join()
