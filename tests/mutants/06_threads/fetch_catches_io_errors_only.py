"""FetchThread.run() only catches network-like errors (OSError, ValueError); any other exception escapes the thread and self.error stays None.

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

    def run(self):
        try:
            self.result = self.fetch(self.url)
        except (OSError, ValueError) as exc:
            self.error = exc
