"""apply_async gets args=(x) instead of the tuple (x,), so every task fails in the worker.

Loses: parallel_apply, apply_with_callbacks
"""

import functools
import multiprocessing


def parallel_apply(func, items, processes=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes)
    try:
        pending = [pool.apply_async(func, (x)) for x in items]
    finally:
        pool.close()  # no more tasks: workers exit once the queue is empty
        pool.join()   # wait for them; every AsyncResult is ready after this
    return [result.get() for result in pending]


def apply_with_callbacks(func, items, processes=2, ctx=None) -> tuple[dict, dict]:
    ctx = ctx or multiprocessing.get_context()
    results: dict = {}
    errors: dict = {}
    pool = ctx.Pool(processes)
    try:
        for x in items:
            pool.apply_async(
                func,
                (x),
                callback=functools.partial(results.__setitem__, x),
                error_callback=functools.partial(errors.__setitem__, x),
            )
    finally:
        pool.close()
        pool.join()  # after join() the result-handler thread has delivered every callback
    return results, errors
