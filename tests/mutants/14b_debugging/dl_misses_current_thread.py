"""deadlock_cause only reads blocks whose header starts with "Thread 0x": the "Current thread 0x..." block (the thread that wrote the dump, e.g. the main thread on a signal) is skipped.

Loses: deadlock_cause
"""


def deadlock_cause(dump, program):
    found = []
    for block in dump.split("\nThread ")[0:]:
        block = block if block.startswith("Thread ") else "Thread " + block
        header = re.match(r"^Thread (0x[0-9a-fA-F]+)", block)
        frames = re.findall(r'File "(.*)", line (\d+) in ', block)
        if not header or not frames:
            continue
        path, lineno = frames[0]
        if os.path.abspath(path) != os.path.abspath(program):
            continue
        source = linecache.getline(path, int(lineno))
        lock = re.match(r"^\s*(?:with\s+(?P<with>.+?)\s*:|.*?(?P<call>[\w.]+)\.acquire\()", source)
        if lock:
            found.append((int(header.group(1), 16), lock.group("with") or lock.group("call")))
    return found
