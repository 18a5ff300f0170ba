"""SquareWorker.__init__ forgets super().__init__(), so the Process is never set up.

Loses: square_worker
"""

import multiprocessing
import os


class SquareWorker(multiprocessing.Process):

    def __init__(self, x, out_q) -> None:
        self.x = x
        self.out_q = out_q

    def run(self) -> None:
        self.out_q.put((self.x, self.x * self.x, os.getpid()))
