"""Raises KeyboardInterrupt when imported.
"""

raise KeyboardInterrupt
