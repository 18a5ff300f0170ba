"""joblib_map collects return_as="generator_unordered" into a list: completion order, not input order.

Loses: joblib_map
"""


def joblib_map(func, items, n_jobs=2, prefer="processes"):
    from joblib import Parallel, delayed

    parallel = Parallel(n_jobs=n_jobs, prefer=prefer, return_as="generator_unordered")
    return list(parallel(delayed(func)(x) for x in items))
