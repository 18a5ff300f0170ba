"""AsyncCache acquires the key's lock and releases it after the store, not in a finally: a fetch
that raises leaves the key locked, and every later caller of that key waits for ever.

Loses: async_cache
"""

import asyncio


class AsyncCache:
    def __init__(self, fetch):
        self.fetch = fetch
        self.values = {}
        self.locks = {}

    async def get(self, key):
        lock = self.locks.setdefault(key, asyncio.Lock())
        await lock.acquire()
        if key not in self.values:
            self.values[key] = await self.fetch(key)
        lock.release()
        return self.values[key]
