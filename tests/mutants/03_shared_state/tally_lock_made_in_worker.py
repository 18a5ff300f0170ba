"""tally_batch ignores the lock it is given and makes its own multiprocessing.Lock() in the worker.

Loses: tally_by_key
"""

_real_tally_batch = tally_batch


def tally_batch(index, batch, counts, seen_in, lock):
    _real_tally_batch(index, batch, counts, seen_in, multiprocessing.Lock())
