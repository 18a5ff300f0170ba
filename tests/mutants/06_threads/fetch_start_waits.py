"""FetchThread overrides start() to start the thread and then join it, so start() blocks until fetch has finished and FetchThreads never run at the same time.

Loses: fetch_thread
"""

import threading


class FetchThread(threading.Thread):
    def __init__(self, fetch, url):
        super().__init__()
        self.fetch = fetch
        self.url = url
        self.result = None
        self.error = None

    def start(self):
        super().start()
        self.join()  # so that result is ready when start() returns

    def run(self):
        try:
            self.result = self.fetch(self.url)
        except Exception as exc:
            self.error = exc
