"""joblib_map returns Parallel's generator (return_as="generator") instead of a list.

Loses: joblib_map
"""


def joblib_map(func, items, n_jobs=2, prefer="processes"):
    from joblib import Parallel, delayed

    return Parallel(n_jobs=n_jobs, prefer=prefer, return_as="generator")(delayed(func)(x) for x in items)
