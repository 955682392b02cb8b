"""``python -m smsp_analytics.report`` = ``smsp report`` (the same click command)."""

import sys

from smsp_analytics.report.command import main

sys.exit(main())
