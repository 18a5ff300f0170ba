"""beat opens the file once and writes dots without flushing: nothing reaches the disk in time.

Loses: start_heartbeat
"""


def beat(path, interval):
    fh = open(path, "a")
    while True:
        fh.write(".")
        time.sleep(interval)
