"""run_with_setup calls setup() once in the parent and hands its result to every worker.

Loses: pool_setup
"""


def keep_resource(resource):
    global _resource
    _resource = resource


def run_with_setup(func, pairs, setup, processes=2, tasks_per_child=2, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes, initializer=keep_resource, initargs=(setup(),), maxtasksperchild=tasks_per_child)
    try:
        return pool.starmap(functools.partial(call_with_resource, func), pairs, chunksize=1)
    finally:
        pool.close()
        pool.join()
