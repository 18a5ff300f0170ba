"""joblib_map catches each call's exception in the worker and puts None in its place.

Loses: joblib_map
"""


def _call_or_none(func, x):
    try:
        return func(x)
    except Exception:
        return None


def joblib_map(func, items, n_jobs=2, prefer="processes"):
    from joblib import Parallel, delayed

    return Parallel(n_jobs=n_jobs, prefer=prefer)(delayed(_call_or_none)(func, x) for x in items)
