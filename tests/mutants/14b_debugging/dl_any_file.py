"""deadlock_cause looks at every thread's innermost frame, wherever it is: a join() or queue.get() inside threading.py (`lock.acquire(...)`, `waiter.acquire()`) is reported as a stuck lock too.

Loses: deadlock_cause
"""


def deadlock_cause(dump, program):
    found = []
    thread_id, seen = None, True
    for line in dump.splitlines():
        match = re.match(r"^(?:Current thread|Thread) (0x[0-9a-fA-F]+)", line)
        if match:
            thread_id, seen = int(match.group(1), 16), False
            continue
        match = re.match(r'^\s+File "(.*)", line (\d+) in ', line)
        if match is None or seen or thread_id is None:
            continue
        seen = True
        source = linecache.getline(match.group(1), int(match.group(2)))
        lock = re.match(r"^\s*(?:with\s+(?P<with>.+?)\s*:|.*?(?P<call>[\w.]+)\.acquire\()", source)
        if lock:
            found.append((thread_id, lock.group("with") or lock.group("call")))
    return found
