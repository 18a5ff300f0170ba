"""run_with_setup unpacks each pair in a wrapper and uses imap_unordered: results come in completion order.

Loses: pool_setup
"""


def call_with_pair(func, pair):
    return call_with_resource(func, *pair)


def run_with_setup(func, pairs, setup, processes=2, tasks_per_child=2, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes, initializer=init_worker, initargs=(setup,), maxtasksperchild=tasks_per_child)
    try:
        return list(pool.imap_unordered(functools.partial(call_with_pair, func), pairs))
    finally:
        pool.close()
        pool.join()
