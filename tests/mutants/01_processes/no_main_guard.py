"""Calls main() at module level with no `if __name__ == "__main__":` guard.

Loses: main_guard
"""

import sys


main(sys.argv[1:])
