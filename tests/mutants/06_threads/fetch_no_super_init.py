"""FetchThread.__init__ never calls super().__init__(), so the thread cannot be started.

Loses: fetch_thread
"""

import threading


class FetchThread(threading.Thread):
    def __init__(self, fetch, url):
        self.fetch = fetch
        self.url = url
        self.result = None
        self.error = None

    def run(self):
        try:
            self.result = self.fetch(self.url)
        except Exception as exc:
            self.error = exc
