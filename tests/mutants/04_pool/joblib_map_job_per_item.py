"""joblib_map starts one worker per item (n_jobs=len(items)), so more than n_jobs calls run at once.

Loses: joblib_map
"""


def joblib_map(func, items, n_jobs=2, prefer="processes"):
    from joblib import Parallel, delayed

    items = list(items)
    return Parallel(n_jobs=max(n_jobs, len(items)), prefer=prefer)(delayed(func)(x) for x in items)
