"""Correct and thread-hungry: must pass under the sandbox's limits.
"""

def count_with_threads(n_threads, per_thread):
    from concurrent.futures import ThreadPoolExecutor
    lock = threading.Lock()
    barrier = threading.Barrier(n_threads)
    total = [0]

    def work():
        scratch = bytearray(1 << 20)
        barrier.wait()
        for _ in range(per_thread):
            with lock:
                total[0] += 1
        return len(scratch)

    threads = [threading.Thread(target=work) for _ in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with ThreadPoolExecutor(16) as pool:
        assert all(n == 1 << 20 for n in pool.map(lambda _: len(bytearray(1 << 20)), range(64)))
    return total[0]
