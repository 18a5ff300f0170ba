"""joblib_map maps prefer to a backend with an if/else, so an unknown prefer silently runs in processes.

Loses: joblib_map
"""


def joblib_map(func, items, n_jobs=2, prefer="processes"):
    from joblib import Parallel, delayed

    backend = "threading" if prefer == "threads" else "loky"
    return Parallel(n_jobs=n_jobs, backend=backend)(delayed(func)(x) for x in items)
