"""SquareWorker overrides start() instead of run(), so the square is computed in the parent.

Loses: square_worker
"""

import multiprocessing
import os


class SquareWorker(multiprocessing.Process):

    def __init__(self, x, out_q) -> None:
        super().__init__()
        self.x = x
        self.out_q = out_q

    def start(self) -> None:
        self.out_q.put((self.x, self.x * self.x, os.getpid()))
