"""run_with_setup calls setup() inside every task instead of once per worker through the initializer.

Loses: pool_setup
"""


def call_with_setup(setup, func, a, b):
    return func(setup(), a, b)


def run_with_setup(func, pairs, setup, processes=2, tasks_per_child=2, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes, maxtasksperchild=tasks_per_child)
    try:
        return pool.starmap(functools.partial(call_with_setup, setup, func), pairs, chunksize=1)
    finally:
        pool.close()
        pool.join()
