"""run_squares uses ctx.Pool() (sized by os.cpu_count()) instead of one process per item.

Loses: run_squares
"""

import multiprocessing


def _square(x):
    return x * x


def run_squares(xs, ctx=None) -> list[int]:
    ctx = ctx or multiprocessing.get_context()
    with ctx.Pool() as pool:
        return sorted(pool.map(_square, xs))
