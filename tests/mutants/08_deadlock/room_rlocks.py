"""Room and User use RLocks, and broadcast still calls user.deliver while holding the room's lock.

Loses: room_broadcast
"""

import threading


def user_init(self, name):
    self.name = name
    self.lock = threading.RLock()
    self.rooms = []
    self.inbox = []


def room_init(self, name):
    self.name = name
    self.lock = threading.RLock()
    self.members = []


def broadcast(self, text):
    with self.lock:
        for user in self.members:
            user.deliver(self, text)


User.__init__ = user_init
Room.__init__ = room_init
Room.broadcast = broadcast
