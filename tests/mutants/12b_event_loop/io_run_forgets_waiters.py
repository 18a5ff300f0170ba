"""run() stops when no task is ready and nobody sleeps, although tasks still wait for their sockets.

Loses: io_waits
"""

import heapq


def run(self):
    while self._ready or self._sleepers:
        if self._waiting or not self._ready:
            self._wait(0.0 if self._ready else None)
        now = time.monotonic()
        while self._sleepers and self._sleepers[0][0] <= now:
            self._ready.append(heapq.heappop(self._sleepers)[2])
        for _ in range(len(self._ready)):
            self._step(self._ready.popleft())


EventLoop.run = run
