"""Believes a thread runs to its end before another one starts (the GIL as a thread lock).

Loses: thread_outputs
"""

import itertools


def thread_outputs(program):
    flat = [tuple(item for block in blocks for item in block) for blocks in program]
    return {sum(order, ()) for order in itertools.permutations(flat)}
