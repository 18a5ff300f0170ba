"""The worker threads are not daemon threads: a program that forgets shutdown() never exits
(the workers wait on the queue for ever).

Loses: graceful_shutdown
"""


class JobRunner(JobRunner):
    def __init__(self, max_workers=2):
        if max_workers < 1:
            raise ValueError(f"max_workers must be at least 1, not {max_workers!r}")
        self._cond = threading.Condition()
        self._queue = queue.Queue()
        self._jobs = {}
        self._ids = itertools.count(1)
        self._closed = False
        self._job_threads = []
        self._workers = [
            threading.Thread(target=_worker, args=(self,), name=f"job-runner-worker-{i}")
            for i in range(max_workers)
        ]
        for worker in self._workers:
            worker.start()
