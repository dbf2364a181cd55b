"""What a simulated charger saw on the wire, for tests to inspect afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ReceivedCall:
    """A request the CSMS sent to the station (camelCase payload, as on the wire)."""

    action: str
    payload: dict[str, object]
    unique_id: str
    received_at: datetime


@dataclass(frozen=True)
class Acknowledged:
    """A request the station sent and the CSMS confirmed with a CallResult."""

    action: str
    payload: dict[str, object]
    response: dict[str, object]
    acknowledged_at: datetime
