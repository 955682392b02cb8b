"""Quote history and drift: every calcul, price and rent answer kept in a SQL store
(SQLite by default, PostgreSQL for a team), and what changed between two dates.

>>> from smsp_analytics.history import QuoteHistory, drift, key_hash
>>> QuoteHistory.open(False) is None
True
"""

from smsp_analytics.history._drift import DRIFT_COLUMNS, drift
from smsp_analytics.history._errors import HistoryError, HistoryUnavailableWarning, NotRecorded
from smsp_analytics.history._fields import key_hash
from smsp_analytics.history._schema import SCHEMA_VERSION, SchemaVersionError
from smsp_analytics.history._store import FRAME_COLUMNS, QuoteHistory, default_history_path
from smsp_analytics.history._url import redact_url
from smsp_analytics.history._writer import HistoryWriter
from smsp_analytics.vocab import TARGETING_COLUMNS

__all__ = [
    "QuoteHistory",
    "drift",
    "key_hash",
    "HistoryUnavailableWarning",
    "HistoryError",
    "SchemaVersionError",
    "SCHEMA_VERSION",
    "FRAME_COLUMNS",
    "DRIFT_COLUMNS",
    "TARGETING_COLUMNS",
    "redact_url",
    "default_history_path",
    "NotRecorded",
    "HistoryWriter",
]
