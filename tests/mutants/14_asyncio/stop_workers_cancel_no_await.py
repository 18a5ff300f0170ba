"""shutdown cancels every task and returns at once, without waiting: the tasks have not even
started their clean-up, and a failure in a clean-up is never reported.

Loses: stop_workers
"""


async def shutdown(tasks, timeout):
    for task in tasks:
        task.cancel()
    return [task.exception() for task in tasks
            if task.done() and not task.cancelled() and task.exception() is not None]
