"""FetchThread.run stores the exception in result too (result is not None after an error).

Loses: fetch_thread
"""


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
        except Exception as exc:
            self.error = exc
            self.result = exc
