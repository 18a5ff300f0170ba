"""FetchThread.run() does not catch fetch's exception: it is printed by the thread and lost.

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
        self.result = self.fetch(self.url)
