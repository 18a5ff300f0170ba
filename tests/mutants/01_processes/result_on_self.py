"""SquareWorker.run() stores its result on self; the parent never sees it.

Loses: square_worker
"""

import multiprocessing
import os


class SquareWorker(multiprocessing.Process):

    def __init__(self, x, out_q) -> None:
        super().__init__()
        self.x = x
        self.out_q = out_q

    def run(self) -> None:
        self.result = (self.x, self.x * self.x, os.getpid())
