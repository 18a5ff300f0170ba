"""joblib_map skips joblib: a ThreadPoolExecutor or a ProcessPoolExecutor chosen by prefer, any other prefer meaning processes.

Loses: joblib_map
"""


def joblib_map(func, items, n_jobs=2, prefer="processes"):
    import concurrent.futures

    kind = concurrent.futures.ThreadPoolExecutor if prefer == "threads" else concurrent.futures.ProcessPoolExecutor
    with kind(max_workers=n_jobs) as executor:
        return list(executor.map(func, items))
