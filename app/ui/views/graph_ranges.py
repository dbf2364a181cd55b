"""The graphs view's ranges, light enough to import at start (the view itself loads numpy)."""

from __future__ import annotations

from datetime import timedelta

RANGES: dict[str, timedelta] = {
    "1h": timedelta(hours=1),
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}
# Days of energy bars shown with each range: a week at least, so the bars compare.
ENERGY_DAYS = {"1h": 7, "24h": 7, "7d": 7, "30d": 30}
DEFAULT_RANGE = "24h"
