"""checked_results raises its own RuntimeError for a failed task instead of the task's exception.

Loses: checked_results
"""

_real_checked_results = checked_results


def checked_results(func, items, processes=2, ctx=None):
    try:
        return _real_checked_results(func, items, processes, ctx)
    except Exception as exc:
        raise RuntimeError(f"a task failed: {exc}") from exc
