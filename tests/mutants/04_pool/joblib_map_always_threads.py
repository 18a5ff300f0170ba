"""joblib_map believes the tutorial's "joblib is multithreading" and always uses the threading backend.

Loses: joblib_map
"""


def joblib_map(func, items, n_jobs=2, prefer="processes"):
    from joblib import Parallel, delayed

    return Parallel(n_jobs=n_jobs, backend="threading")(delayed(func)(x) for x in items)
