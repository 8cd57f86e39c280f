"""Summary cache shared by the service and batch jobs.

The key is a hash of the normalized article text, the model and the options (``keys``), so the
same article asked for by a thousand readers is summarized once. Two backends behind one
interface (``base.Cache``): an SQLite file (``sqlite``: the default, survives restarts, safe
with several worker processes) and Redis (``redis_backend``: shared by several replicas), chosen
by URL (``urls.open_cache``: ``sqlite:///path/cache.sqlite3`` or ``redis://host:port/db``). The
``Summarizer`` runs every cache behind ``safe.SafeCache``: a fault is a miss, never an error.

The names below are the package's public face (``from summarizer.cache import open_cache``).
"""

from summarizer.cache.base import Cache, DisabledCache
from summarizer.cache.redis_backend import RedisCache
from summarizer.cache.safe import SafeCache
from summarizer.cache.sqlite import SQLiteCache
from summarizer.cache.urls import open_cache, redact_url

__all__ = [
    "Cache",
    "DisabledCache",
    "RedisCache",
    "SQLiteCache",
    "SafeCache",
    "open_cache",
    "redact_url",
]
