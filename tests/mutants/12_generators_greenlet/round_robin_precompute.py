"""round_robin turns every task into a list first, then interleaves the lists: the output looks
right, but each task runs to its end before the next one starts.

Loses: round_robin
"""

from itertools import zip_longest

_MISSING = object()


def round_robin(*tasks) -> list:
    columns = zip_longest(*[list(task) for task in tasks], fillvalue=_MISSING)
    return [value for row in columns for value in row if value is not _MISSING]
