"""deadlock_cause reads the LAST program frame of each thread as where it is stuck (forgetting that the dump lists the most recent call first).

Loses: deadlock_cause
"""


def deadlock_cause(dump, program):
    found = []
    thread_id, frames = None, []

    def close():
        mine = [f for f in frames if os.path.abspath(f[0]) == os.path.abspath(program)]
        if thread_id is not None and mine:
            source = linecache.getline(mine[-1][0], mine[-1][1])
            lock = re.match(r"^\s*(?:with\s+(?P<with>.+?)\s*:|.*?(?P<call>[\w.]+)\.acquire\()", source)
            if lock:
                found.append((thread_id, lock.group("with") or lock.group("call")))

    for line in dump.splitlines():
        match = re.match(r"^(?:Current thread|Thread) (0x[0-9a-fA-F]+)", line)
        if match:
            close()
            thread_id, frames = int(match.group(1), 16), []
            continue
        match = re.match(r'^\s+File "(.*)", line (\d+) in ', line)
        if match:
            frames.append((match.group(1), int(match.group(2))))
    close()
    return found
