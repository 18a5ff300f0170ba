"""tally_batch locks the whole update but still appends to the list seen_in[key] returned: a copy.

Loses: tally_by_key
"""


def tally_batch(index, batch, counts, seen_in, lock):
    for key in batch:
        with lock:
            counts[key] = counts.get(key, 0) + 1
            seen = seen_in.setdefault(key, [])
            if index not in seen:
                seen.append(index)
