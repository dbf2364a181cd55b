"""Where UI tests save what they draw, for a person to look at.

A temporary folder by default; `CHARGEDESK_SHOTS=docs/screenshots pytest tests/ui`
refreshes the pictures the documentation shows.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

SHOTS = Path(os.environ.get("CHARGEDESK_SHOTS") or Path(tempfile.gettempdir()) / "chargedesk-shots")
