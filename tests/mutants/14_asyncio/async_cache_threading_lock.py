"""AsyncCache holds a threading.Lock per key across the await: the second caller of a key blocks
the whole event loop in acquire(), so the fetch it waits for can never finish.

Loses: async_cache
"""

import threading


class AsyncCache:
    def __init__(self, fetch):
        self.fetch = fetch
        self.values = {}
        self.locks = {}

    async def get(self, key):
        if key in self.values:
            return self.values[key]
        with self.locks.setdefault(key, threading.Lock()):
            if key not in self.values:
                self.values[key] = await self.fetch(key)
            return self.values[key]
