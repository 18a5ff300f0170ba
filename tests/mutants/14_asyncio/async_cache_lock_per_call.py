"""AsyncCache.get makes a new asyncio.Lock on every call: each caller holds its own lock, which
protects nothing.

Loses: async_cache
"""

import asyncio


class AsyncCache:
    def __init__(self, fetch):
        self.fetch = fetch
        self.values = {}

    async def get(self, key):
        async with asyncio.Lock():
            if key not in self.values:
                self.values[key] = await self.fetch(key)
            return self.values[key]
