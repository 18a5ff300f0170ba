"""Room.broadcast() tries each member's lock with a short timeout and skips a member whose lock is busy.

Loses: room_broadcast
"""


def broadcast(self, text):
    with self.lock:
        for user in self.members:
            if user.lock.acquire(timeout=0.2):
                try:
                    user.inbox.append((self.name, text))
                finally:
                    user.lock.release()


Room.broadcast = broadcast
