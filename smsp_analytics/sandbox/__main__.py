"""``python -m smsp_analytics.sandbox``: the same as ``smsp sandbox``."""

import sys

from smsp_analytics.sandbox.cli import main

if __name__ == "__main__":
    sys.exit(main())
