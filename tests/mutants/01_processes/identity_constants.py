"""worker_identity returns made-up numbers without starting any process.

Loses: worker_identity
"""


def worker_identity(ctx=None):
    return (-1, os.getpid())
