"""parallel_word_count gives the workers a plain dict: each child fills its own copy, the parent's stays empty.

Loses: parallel_word_count
"""

import multiprocessing


def parallel_word_count(chunks, ctx=None) -> dict[str, int]:
    ctx = ctx or multiprocessing.get_context()
    counts = {}
    lock = ctx.Lock()
    procs = [ctx.Process(target=count_words, args=(chunk, counts, lock)) for chunk in chunks]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(TIMEOUT)
    return counts
