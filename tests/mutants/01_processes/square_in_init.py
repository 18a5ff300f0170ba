"""SquareWorker computes x * x in __init__, i.e. in the parent; run() only sends the ready result.

Loses: square_worker
"""

import multiprocessing
import os


class SquareWorker(multiprocessing.Process):
    def __init__(self, x, out_q) -> None:
        super().__init__()
        self.x = x
        self.square = x * x
        self.out_q = out_q

    def run(self) -> None:
        self.out_q.put((self.x, self.square, os.getpid()))
