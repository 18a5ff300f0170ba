"""joblib_map makes one Parallel call per item, so each call waits for the one before it.

Loses: joblib_map
"""


def joblib_map(func, items, n_jobs=2, prefer="processes"):
    from joblib import Parallel, delayed

    return [Parallel(n_jobs=n_jobs, prefer=prefer)([delayed(func)(x)])[0] for x in items]
