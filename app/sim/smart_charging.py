"""Installed charging profiles and the limits they impose (OCPP 1.6 Smart Charging).

Pure logic: profiles are parsed from the snake_case dicts the ocpp library hands
to request handlers, and every query takes the moment to evaluate explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from app.sim.ev import NOMINAL_VOLTAGE
from app.sim.timeutil import parse_timestamp

CHARGE_POINT_MAX = "ChargePointMaxProfile"
TX_DEFAULT = "TxDefaultProfile"
TX_PROFILE = "TxProfile"
PURPOSES = (CHARGE_POINT_MAX, TX_DEFAULT, TX_PROFILE)
KINDS = ("Absolute", "Recurring", "Relative")
RATE_UNITS = ("W", "A")
DEFAULT_PHASES = 3
_RECURRENCE = {"Daily": timedelta(days=1), "Weekly": timedelta(days=7)}


class ProfileError(ValueError):
    """A charging profile the station cannot accept."""


@dataclass(frozen=True)
class SchedulePeriod:
    start_period: int
    limit: float
    number_phases: int | None = None

    def watts(self, unit: str) -> float:
        if unit == "W":
            return self.limit
        return self.limit * NOMINAL_VOLTAGE * (self.number_phases or DEFAULT_PHASES)


@dataclass(frozen=True)
class ChargingProfile:
    profile_id: int
    connector_id: int
    stack_level: int
    purpose: str
    kind: str
    rate_unit: str
    periods: tuple[SchedulePeriod, ...]
    installed_at: datetime
    duration: int | None = None
    start_schedule: datetime | None = None
    recurrency: str | None = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    transaction_id: int | None = None

    def schedule_start(self, at: datetime, relative_start: datetime) -> datetime | None:
        """Start of the schedule occurrence that covers `at`, if any."""
        if self.kind == "Relative":
            return relative_start
        anchor = self.start_schedule or self.valid_from or self.installed_at
        if self.kind == "Recurring" and self.recurrency in _RECURRENCE:
            step = _RECURRENCE[self.recurrency]
            if at < anchor:
                return None
            return anchor + step * ((at - anchor) // step)
        return anchor

    def limit_w(self, at: datetime, relative_start: datetime) -> float | None:
        """The limit in W this profile imposes at `at`, or None if it does not apply."""
        if self.valid_from is not None and at < self.valid_from:
            return None
        if self.valid_to is not None and at >= self.valid_to:
            return None
        start = self.schedule_start(at, relative_start)
        if start is None or at < start:
            return None
        offset = (at - start).total_seconds()
        if self.duration is not None and offset >= self.duration:
            return None
        active = [p for p in self.periods if p.start_period <= offset]
        if not active:
            return None
        return active[-1].watts(self.rate_unit)

    def breakpoints(
        self, window_start: datetime, window_end: datetime, relative_start: datetime
    ) -> set[datetime]:
        """Moments inside the window where this profile's limit may change."""
        points: set[datetime] = set()
        for moment in (self.valid_from, self.valid_to):
            if moment is not None:
                points.add(moment)
        starts: list[datetime] = []
        first = self.schedule_start(window_start, relative_start)
        if self.kind == "Recurring" and self.recurrency in _RECURRENCE:
            step = _RECURRENCE[self.recurrency]
            occurrence = first or self.start_schedule or self.installed_at
            while occurrence < window_end and len(starts) < 400:
                starts.append(occurrence)
                occurrence += step
        elif first is not None:
            starts.append(first)
        for start in starts:
            points.add(start)
            points.update(start + timedelta(seconds=p.start_period) for p in self.periods)
            if self.duration is not None:
                points.add(start + timedelta(seconds=self.duration))
        return {p for p in points if window_start <= p < window_end}


def _optional_time(data: Mapping[str, object], key: str) -> datetime | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ProfileError(f"{key} must be a timestamp")
    return parse_timestamp(value)


def _optional_int(data: Mapping[str, object], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ProfileError(f"{key} must be an integer")
    return value


def _require_int(data: Mapping[str, object], key: str) -> int:
    value = _optional_int(data, key)
    if value is None:
        raise ProfileError(f"{key} is required")
    return value


def parse_profile(connector_id: int, data: Mapping[str, object], now: datetime) -> ChargingProfile:
    """Build a profile from the snake_case dict of SetChargingProfile / RemoteStart."""
    purpose = data.get("charging_profile_purpose")
    kind = data.get("charging_profile_kind")
    schedule = data.get("charging_schedule")
    if purpose not in PURPOSES or kind not in KINDS or not isinstance(schedule, Mapping):
        raise ProfileError("unknown purpose or kind, or no schedule")
    unit = schedule.get("charging_rate_unit")
    raw_periods = schedule.get("charging_schedule_period")
    if unit not in RATE_UNITS or not isinstance(raw_periods, list) or not raw_periods:
        raise ProfileError("schedule needs a rate unit and at least one period")
    periods: list[SchedulePeriod] = []
    for raw in raw_periods:
        if not isinstance(raw, Mapping):
            raise ProfileError("malformed schedule period")
        limit = raw.get("limit")
        # The ocpp library parses decimals in profiles as Decimal (schemas use multipleOf 0.1).
        if not isinstance(limit, int | float | Decimal) or isinstance(limit, bool) or limit < 0:
            raise ProfileError("period limit must be a non-negative number")
        periods.append(
            SchedulePeriod(
                start_period=_require_int(raw, "start_period"),
                limit=float(limit),
                number_phases=_optional_int(raw, "number_phases"),
            )
        )
    periods.sort(key=lambda p: p.start_period)
    recurrency = data.get("recurrency_kind")
    if kind == "Recurring" and recurrency not in _RECURRENCE:
        raise ProfileError("a recurring profile needs recurrencyKind Daily or Weekly")
    return ChargingProfile(
        profile_id=_require_int(data, "charging_profile_id"),
        connector_id=connector_id,
        stack_level=_require_int(data, "stack_level"),
        purpose=str(purpose),
        kind=str(kind),
        rate_unit=str(unit),
        periods=tuple(periods),
        installed_at=now,
        duration=_optional_int(schedule, "duration"),
        start_schedule=_optional_time(schedule, "start_schedule"),
        recurrency=str(recurrency) if isinstance(recurrency, str) else None,
        valid_from=_optional_time(data, "valid_from"),
        valid_to=_optional_time(data, "valid_to"),
        transaction_id=_optional_int(data, "transaction_id"),
    )


@dataclass(frozen=True)
class ActiveTransaction:
    """What the limit calculation needs to know about a running transaction."""

    transaction_id: int | None
    started_at: datetime


@dataclass(frozen=True)
class CompositeSchedule:
    start: datetime
    duration: int
    rate_unit: str
    periods: tuple[SchedulePeriod, ...]


@dataclass
class ProfileStore:
    """Profiles installed on one station, with the OCPP replacement and stacking rules."""

    profiles: list[ChargingProfile] = field(default_factory=list)

    def install(self, profile: ChargingProfile) -> None:
        """Replace a profile with the same id, or the same connector/purpose/stack level."""
        self.profiles = [
            p
            for p in self.profiles
            if p.profile_id != profile.profile_id
            and not (
                p.connector_id == profile.connector_id
                and p.purpose == profile.purpose
                and p.stack_level == profile.stack_level
            )
        ]
        self.profiles.append(profile)

    def clear(
        self,
        profile_id: int | None = None,
        connector_id: int | None = None,
        purpose: str | None = None,
        stack_level: int | None = None,
    ) -> bool:
        """Remove matching profiles (all when no criterion is given); True if any matched."""

        def matches(p: ChargingProfile) -> bool:
            if profile_id is not None:
                return p.profile_id == profile_id
            return (
                (connector_id is None or p.connector_id == connector_id)
                and (purpose is None or p.purpose == purpose)
                and (stack_level is None or p.stack_level == stack_level)
            )

        kept = [p for p in self.profiles if not matches(p)]
        removed = len(kept) != len(self.profiles)
        self.profiles = kept
        return removed

    def end_transaction(self, connector_id: int) -> None:
        """TxProfiles live only as long as their transaction."""
        self.profiles = [
            p
            for p in self.profiles
            if not (p.purpose == TX_PROFILE and p.connector_id == connector_id)
        ]

    def _select(self, purpose: str, connector_id: int) -> list[ChargingProfile]:
        chosen = [
            p for p in self.profiles if p.purpose == purpose and p.connector_id == connector_id
        ]
        return sorted(chosen, key=lambda p: p.stack_level, reverse=True)

    @staticmethod
    def _first_limit(
        profiles: Iterable[ChargingProfile], at: datetime, relative_start: datetime
    ) -> float | None:
        for profile in profiles:
            limit = profile.limit_w(at, relative_start)
            if limit is not None:
                return limit
        return None

    def limit_w(
        self,
        connector_id: int,
        at: datetime,
        transaction: ActiveTransaction | None = None,
        *,
        sharing_connectors: int = 1,
    ) -> float | None:
        """Effective limit in W for a connector (or connector 0, the whole station).

        A TxProfile beats the TxDefaultProfiles; a connector's own default beats the
        station-wide one; the ChargePointMaxProfile caps everything, split evenly
        between the connectors currently drawing power.
        """
        relative_start = transaction.started_at if transaction else at
        limit: float | None = None
        if connector_id > 0 and transaction is not None:
            tx_profiles = [
                p
                for p in self._select(TX_PROFILE, connector_id)
                if p.transaction_id in (None, transaction.transaction_id)
            ]
            limit = self._first_limit(tx_profiles, at, relative_start)
        if limit is None and connector_id > 0:
            limit = self._first_limit(self._select(TX_DEFAULT, connector_id), at, relative_start)
        if limit is None:
            limit = self._first_limit(self._select(TX_DEFAULT, 0), at, relative_start)
        station_cap = self._first_limit(self._select(CHARGE_POINT_MAX, 0), at, relative_start)
        if station_cap is not None:
            share = station_cap / max(1, sharing_connectors) if connector_id > 0 else station_cap
            limit = share if limit is None else min(limit, share)
        return limit

    def composite_schedule(
        self,
        connector_id: int,
        start: datetime,
        duration: int,
        rate_unit: str,
        *,
        unlimited_w: float,
        transaction: ActiveTransaction | None = None,
    ) -> CompositeSchedule:
        """Merge all applicable profiles into one schedule for the next `duration` seconds."""
        end = start + timedelta(seconds=duration)
        relative_start = transaction.started_at if transaction else start
        points = {start}
        for profile in self.profiles:
            if profile.connector_id in (0, connector_id):
                points |= profile.breakpoints(start, end, relative_start)
        periods: list[SchedulePeriod] = []
        for moment in sorted(points):
            watts = self.limit_w(connector_id, moment, transaction)
            watts = unlimited_w if watts is None else min(watts, unlimited_w)
            limit = watts if rate_unit == "W" else watts / (NOMINAL_VOLTAGE * DEFAULT_PHASES)
            limit = round(limit, 1)
            if periods and periods[-1].limit == limit:
                continue
            offset = int((moment - start).total_seconds())
            periods.append(SchedulePeriod(start_period=offset, limit=limit))
        return CompositeSchedule(
            start=start, duration=duration, rate_unit=rate_unit, periods=tuple(periods)
        )
