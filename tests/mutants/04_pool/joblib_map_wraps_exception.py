"""joblib_map raises its own RuntimeError for a failed call instead of the call's exception.

Loses: joblib_map
"""


def joblib_map(func, items, n_jobs=2, prefer="processes"):
    from joblib import Parallel, delayed

    try:
        return Parallel(n_jobs=n_jobs, prefer=prefer)(delayed(func)(x) for x in items)
    except Exception as exc:
        raise RuntimeError(f"a job failed: {exc}") from exc
