"""The runner keeps pending jobs in a list guarded by the condition, and a free worker takes
``pending.pop()``: the NEWEST job, so jobs do not start in submission order.

Loses: submit_and_collect
"""


def _list_worker(runner):
    while True:
        with runner._cond:
            while not runner._pending and not runner._closed:
                runner._cond.wait()
            if not runner._pending:
                return
            job = runner._pending.pop()
            if job.status != PENDING:
                continue
            job.status = RUNNING
        _execute(runner, job)


class JobRunner(JobRunner):
    def __init__(self, max_workers=2):
        if max_workers < 1:
            raise ValueError(f"max_workers must be at least 1, not {max_workers!r}")
        self._cond = threading.Condition()
        self._pending = []
        self._jobs = {}
        self._ids = itertools.count(1)
        self._closed = False
        self._job_threads = []
        self._workers = [
            threading.Thread(target=_list_worker, args=(self,), name=f"job-runner-worker-{i}", daemon=True)
            for i in range(max_workers)
        ]
        for worker in self._workers:
            worker.start()

    def submit(self, fn, *args, timeout=None):
        with self._cond:
            if self._closed:
                raise RuntimeError("cannot submit jobs after shutdown()")
            job = _Job(next(self._ids), fn, args, timeout)
            self._jobs[job.id] = job
            self._pending.append(job)
            self._cond.notify_all()
        return job.id

    def shutdown(self, wait=True, cancel_pending=False):
        with self._cond:
            if cancel_pending:
                for job in self._jobs.values():
                    if job.status == PENDING:
                        job.status, job.outcome = CANCELLED, Outcome(CANCELLED)
            self._closed = True
            self._cond.notify_all()
        if not wait:
            return
        for worker in self._workers:
            worker.join()
        with self._cond:
            job_threads = list(self._job_threads)
        for thread in job_threads:
            thread.join()
