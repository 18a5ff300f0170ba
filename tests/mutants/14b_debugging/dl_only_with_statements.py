"""deadlock_cause only recognises `with <lock>:` lines: a thread stuck in `<lock>.acquire()` is not reported.

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
        if os.path.abspath(match.group(1)) != os.path.abspath(program):
            continue
        lock = re.match(r"^\s*with\s+(.+?)\s*:", linecache.getline(match.group(1), int(match.group(2))))
        if lock:
            found.append((thread_id, lock.group(1)))
    return found
