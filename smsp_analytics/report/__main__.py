"""``python -m smsp_analytics.report`` = ``smsp report``."""

import sys

from smsp_analytics.report import main

sys.exit(main())
