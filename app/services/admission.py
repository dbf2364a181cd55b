"""Who may open a websocket: station identity, passwords and throttling."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from collections import deque
from dataclasses import dataclass

from app.config import UnknownStationPolicy
from app.domain import credentials
from app.domain.model import Admission
from app.domain.ports import StationRepository

STATION_ID_MAX = 255
MAX_TRACKED_ADDRESSES = 10_000


@dataclass(frozen=True, slots=True)
class HandshakeDecision:
    allowed: bool
    http_status: int = 101
    reason: str = ""
    created: bool = False


class FailureThrottle:
    """Counts failed logins per remote address in a sliding window."""

    def __init__(self, limit: int, window: float) -> None:
        self._limit = limit
        self._window = window
        self._failures: dict[str, deque[float]] = {}

    def blocked(self, address: str) -> bool:
        times = self._failures.get(address)
        if not times:
            return False
        horizon = time.monotonic() - self._window
        while times and times[0] < horizon:
            times.popleft()
        if not times:
            del self._failures[address]
            return False
        return len(times) >= self._limit

    def fail(self, address: str) -> None:
        now = time.monotonic()
        if len(self._failures) > MAX_TRACKED_ADDRESSES:
            # Many addresses failing once each must not grow memory without end.
            horizon = now - self._window
            self._failures = {a: t for a, t in self._failures.items() if t and t[-1] >= horizon}
        self._failures.setdefault(address, deque(maxlen=self._limit * 4)).append(now)

    def succeed(self, address: str) -> None:
        self._failures.pop(address, None)


class AdmissionService:
    def __init__(
        self,
        stations: StationRepository,
        *,
        unknown_policy: UnknownStationPolicy,
        throttle: FailureThrottle,
    ) -> None:
        self._stations = stations
        self.unknown_policy = unknown_policy
        self._throttle = throttle
        self._verified: dict[str, bytes] = {}

    async def check(
        self,
        station_id: str,
        basic_auth: tuple[str, str] | None,
        remote_address: str,
    ) -> HandshakeDecision:
        """Decide at the HTTP upgrade whether this station may connect."""
        if not station_id or len(station_id) > STATION_ID_MAX or "/" in station_id:
            return HandshakeDecision(False, 404, "missing or malformed station id in the URL")
        if self._throttle.blocked(remote_address):
            return HandshakeDecision(False, 429, "too many failed logins from this address")
        station = await self._stations.get(station_id)
        if station is None:
            if self.unknown_policy is UnknownStationPolicy.REJECT:
                return HandshakeDecision(False, 404, "unknown station")
            return HandshakeDecision(True, created=True, reason="unknown station")
        if station.admission is Admission.REJECTED:
            return HandshakeDecision(False, 403, "station rejected by an operator")
        stored_hash = (
            await self._stations.password_hash(station_id) if station.has_password else None
        )
        if stored_hash is None:
            return HandshakeDecision(True)
        if basic_auth is None:
            self._throttle.fail(remote_address)
            return HandshakeDecision(False, 401, "password required")
        username, password = basic_auth
        if username != station_id or not await self._verify(station_id, password, stored_hash):
            self._throttle.fail(remote_address)
            return HandshakeDecision(False, 401, "wrong username or password")
        self._throttle.succeed(remote_address)
        return HandshakeDecision(True)

    async def _verify(self, station_id: str, password: str, stored_hash: str) -> bool:
        # scrypt is deliberately slow; remember a success (as a fast keyed digest,
        # never the password) so a reconnect storm does not cost seconds of CPU.
        fingerprint = hmac.new(stored_hash.encode(), password.encode(), hashlib.sha256).digest()
        if self._verified.get(station_id) == fingerprint:
            return True
        ok = await asyncio.to_thread(credentials.verify_password, password, stored_hash)
        if ok:
            self._verified[station_id] = fingerprint
        return ok
