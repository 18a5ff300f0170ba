"""Raises SystemExit(0) when imported.
"""

import sys

sys.exit(0)
