"""``python -m symconv``: the same command as ``symconv``."""

import sys

from symconv.cli import main

if __name__ == "__main__":
    sys.exit(main())
