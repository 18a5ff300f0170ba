"""AsyncCache takes the key's lock but does not check again once it holds it: the callers that
waited fetch the key again, one after the other.

Loses: async_cache
"""

import asyncio


class AsyncCache:
    def __init__(self, fetch):
        self.fetch = fetch
        self.values = {}
        self.locks = {}

    async def get(self, key):
        if key in self.values:
            return self.values[key]
        async with self.locks.setdefault(key, asyncio.Lock()):
            value = await self.fetch(key)
            self.values[key] = value
            return value
