"""Calls multiprocessing.set_start_method() at import time instead of using get_context().

Loses: square_worker, main_guard
"""

import multiprocessing


multiprocessing.set_start_method("spawn")
