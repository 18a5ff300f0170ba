"""joblib_map ignores prefer: Parallel(n_jobs) as in the tutorial, so I/O-bound work runs in processes too.

Loses: joblib_map
"""


def joblib_map(func, items, n_jobs=2, prefer="processes"):
    from joblib import Parallel, delayed

    return Parallel(n_jobs=n_jobs)(delayed(func)(x) for x in items)
