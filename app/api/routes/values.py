"""Values more than one resource takes: row ids and moments in time."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from fastapi import Path
from pydantic import BeforeValidator

# The store's row ids are signed 64-bit; a larger number names nothing and
# would overflow the database driver (a 500) instead of being refused.
ROW_ID_MAX = 2**63 - 1
RowId = Annotated[int, Path(ge=1, le=ROW_ID_MAX)]

_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


def _not_a_number(value: object) -> object:
    # pydantic reads a bare number as Unix time; the document promises ISO 8601,
    # and a client sending seconds by mistake should hear so, not get 1970.
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("give an ISO 8601 date-time with a time zone, e.g. 2026-11-25T08:00:00Z")
    return value


Moment = Annotated[datetime, BeforeValidator(_not_a_number)]
