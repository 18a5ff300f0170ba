"""joblib_map uses n_jobs=-1 ("all the CPUs, the more the faster") instead of the n_jobs it was given.

Loses: joblib_map
"""


def joblib_map(func, items, n_jobs=2, prefer="processes"):
    from joblib import Parallel, delayed

    return Parallel(n_jobs=-1, prefer=prefer)(delayed(func)(x) for x in items)
