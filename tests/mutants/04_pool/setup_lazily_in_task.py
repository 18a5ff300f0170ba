"""The first task of each worker calls setup() and keeps it; no initializer (workers without a task never set up).

Loses: pool_setup
"""


def call_with_resource(func, a, b):
    global _resource
    if _resource is None:
        _resource = _setup_fn()
    return func(_resource, a, b)


_setup_fn = None


def remember_setup(setup):
    global _setup_fn
    _setup_fn = setup


def run_with_setup(func, pairs, setup, processes=2, tasks_per_child=2, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    # the initializer only remembers setup; the expensive call happens in the first task
    pool = ctx.Pool(processes, initializer=remember_setup, initargs=(setup,), maxtasksperchild=tasks_per_child)
    try:
        return pool.starmap(functools.partial(call_with_resource, func), pairs, chunksize=1)
    finally:
        pool.close()
        pool.join()
