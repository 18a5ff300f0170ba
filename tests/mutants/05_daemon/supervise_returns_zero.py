"""supervise joins the child but returns 0 whatever happened (is_alive instead of exitcode).

Loses: supervise
"""


def supervise(job, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    proc = ctx.Process(target=job, daemon=False)
    proc.start()
    proc.join()
    return 0 if not proc.is_alive() else 1
