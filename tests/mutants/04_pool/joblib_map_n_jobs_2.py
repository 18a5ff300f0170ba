"""joblib_map copies the tutorial's Parallel(n_jobs=2) and ignores the n_jobs it was given.

Loses: joblib_map
"""


def joblib_map(func, items, n_jobs=2, prefer="processes"):
    from joblib import Parallel, delayed

    return Parallel(n_jobs=2, prefer=prefer)(delayed(func)(x) for x in items)
