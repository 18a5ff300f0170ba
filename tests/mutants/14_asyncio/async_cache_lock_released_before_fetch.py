"""AsyncCache locks the check and the store, each on its own, and fetches between the two: every
caller still sees the key missing and fetches it (check-then-act split by the await).

Loses: async_cache
"""

import asyncio


class AsyncCache:
    def __init__(self, fetch):
        self.fetch = fetch
        self.values = {}
        self.lock = asyncio.Lock()

    async def get(self, key):
        async with self.lock:
            if key in self.values:
                return self.values[key]
        value = await self.fetch(key)
        async with self.lock:
            self.values[key] = value
        return value
