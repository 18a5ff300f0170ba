"""joblib_map writes delayed(func(x)): func runs at once, in the caller's thread, and delayed wraps its result.

Loses: joblib_map
"""


def joblib_map(func, items, n_jobs=2, prefer="processes"):
    from joblib import Parallel, delayed

    return Parallel(n_jobs=n_jobs, prefer=prefer)(delayed(func(x)) for x in items)
