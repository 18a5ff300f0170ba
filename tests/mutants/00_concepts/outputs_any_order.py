"""Believes anything goes with threads: every permutation of all the items.

Loses: thread_outputs
"""

import itertools


def thread_outputs(program):
    items = [item for blocks in program for block in blocks for item in block]
    return set(itertools.permutations(items))
