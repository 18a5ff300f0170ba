"""tally_batch reads counts and seen_in before taking the lock, and holds it only for the writes.

Loses: tally_by_key
"""


def tally_batch(index, batch, counts, seen_in, lock):
    for key in batch:
        count = counts.get(key, 0) + 1
        seen = seen_in.get(key, [])
        with lock:
            counts[key] = count
            if index not in seen:
                seen_in[key] = seen + [index]
