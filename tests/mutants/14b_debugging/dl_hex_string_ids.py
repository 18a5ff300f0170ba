"""deadlock_cause returns the thread ids as the hex strings of the dump ("0x00007f..."), not as ints.

Loses: deadlock_cause
"""

_solution_deadlock_cause = deadlock_cause


def deadlock_cause(dump, program):
    return [(f"0x{thread_id:016x}", lock) for thread_id, lock in _solution_deadlock_cause(dump, program)]
