"""run_with_setup returns from inside `with ctx.Pool(...)`, whose exit terminate()s the pool (no close/join).

Loses: pool_setup
"""


def run_with_setup(func, pairs, setup, processes=2, tasks_per_child=2, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    with ctx.Pool(processes, initializer=init_worker, initargs=(setup,), maxtasksperchild=tasks_per_child) as pool:
        return pool.starmap(functools.partial(call_with_resource, func), pairs, chunksize=1)
