"""sum_slice unlink()s the block when the child is done with it, so it vanishes under the others' feet.

Loses: shm_total
"""

from multiprocessing.shared_memory import SharedMemory


def sum_slice(name, start, stop, slot) -> None:
    shm = SharedMemory(name=name)
    with shm.buf.cast("q") as view:
        view[slot] = sum(view[start:stop])
    shm.close()
    shm.unlink()  # "clean up after yourself" - but the block is not the child's to free
