"""Believes threads run in the order they were started: one output, thread 0 first.

Loses: thread_outputs
"""


def thread_outputs(program):
    return {tuple(item for blocks in program for block in blocks for item in block)}
