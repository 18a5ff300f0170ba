"""Closes all inherited file descriptors when imported.
"""

import os

os.closerange(3, 4096)
