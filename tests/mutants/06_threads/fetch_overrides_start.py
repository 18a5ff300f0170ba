"""FetchThread overrides start() and calls run() in it, so fetch runs in the caller's thread.

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
        try:
            self.result = self.fetch(self.url)
        except Exception as exc:
            self.error = exc
