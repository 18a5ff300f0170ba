"""Ignores the lock: other threads' items may come between the items of one block.

Loses: thread_outputs
"""


def thread_outputs(program):
    items = [[item for block in blocks for item in block] for blocks in program]
    results = set()

    def merge(positions, so_far):
        done = True
        for i, seq in enumerate(items):
            if positions[i] < len(seq):
                done = False
                merge(positions[:i] + (positions[i] + 1,) + positions[i + 1:], so_far + (seq[positions[i]],))
        if done:
            results.add(so_far)

    merge((0,) * len(items), ())
    return results
