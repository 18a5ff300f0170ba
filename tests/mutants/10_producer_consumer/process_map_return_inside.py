"""process_map collects with as_completed and sorts by input index, but calls on_done itself after result().

Loses: process_map
"""


def process_map(func, items, on_done, max_workers=2, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    ex = ProcessPoolExecutor(max_workers=max_workers, mp_context=ctx)
    futures = [ex.submit(func, x) for x in items]
    results = []
    for f in futures:
        results.append(f.result())
        on_done(f)
    ex.shutdown(wait=False)
    return results
