"""run_squares uses a Pool with one worker per item instead of one Process per item (and a queue).

Loses: run_squares
"""

import multiprocessing


def _square(x):
    return x * x


def run_squares(xs, ctx=None) -> list[int]:
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(len(xs))
    try:
        return sorted(pool.map(_square, xs))
    finally:
        pool.close()
        pool.join()
