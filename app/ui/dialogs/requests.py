"""What the station dialogs ask for, and the commands built from the answers.

Pure functions over plain values, so the exact command a dialog leads to is
tested without opening any window (the "prepare" half of an action).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from app.domain import commands as c

# Profiles set from the control room use their own ids, so "set again" replaces
# the previous limit and nothing else (a station keeps one profile per id).
STATION_LIMIT_PROFILE_ID = 9000
SESSION_DEFAULT_PROFILE_ID = 9100
CONTROL_ROOM_STACK_LEVEL = 0


@dataclass(frozen=True, slots=True)
class RemoteStartRequest:
    connector_id: int
    id_tag: str

    def command(self) -> c.RemoteStartTransaction:
        return c.RemoteStartTransaction(id_tag=self.id_tag, connector_id=self.connector_id)


class LimitUnit(StrEnum):
    KILOWATT = "kW"
    AMPERE = "A"


@dataclass(frozen=True, slots=True)
class LimitScope:
    """Where a limit applies: the whole station, or new sessions (on one connector or all)."""

    purpose: c.ProfilePurpose
    connector_id: int

    @property
    def profile_id(self) -> int:
        if self.purpose is c.ProfilePurpose.CHARGE_POINT_MAX:
            return STATION_LIMIT_PROFILE_ID
        return SESSION_DEFAULT_PROFILE_ID + self.connector_id


WHOLE_STATION = LimitScope(c.ProfilePurpose.CHARGE_POINT_MAX, 0)
EVERY_NEW_SESSION = LimitScope(c.ProfilePurpose.TX_DEFAULT, 0)


def sessions_on(connector_id: int) -> LimitScope:
    return LimitScope(c.ProfilePurpose.TX_DEFAULT, connector_id)


@dataclass(frozen=True, slots=True)
class PowerLimit:
    scope: LimitScope
    value: float
    unit: LimitUnit

    def command(self, now: datetime | None = None) -> c.SetChargingProfile:
        start = (now or datetime.now(UTC)).replace(microsecond=0)
        # Whole watts, amps to one decimal (OCPP 1.6 §7.13); whole numbers go on the
        # wire without a fraction, which every charger parses.
        if self.unit is LimitUnit.KILOWATT:
            rate, limit = c.ChargingRateUnit.WATT, float(round(self.value * 1000.0))
        else:
            rate, limit = c.ChargingRateUnit.AMPERE, round(self.value, 1)
        limit = int(limit) if limit.is_integer() else limit
        profile = c.ChargingProfile(
            charging_profile_id=self.scope.profile_id,
            stack_level=CONTROL_ROOM_STACK_LEVEL,
            charging_profile_purpose=self.scope.purpose,
            charging_profile_kind=c.ProfileKind.ABSOLUTE,
            charging_schedule=c.ChargingSchedule(
                charging_rate_unit=rate,
                charging_schedule_period=(c.SchedulePeriod(start_period=0, limit=limit),),
                start_schedule=start,
            ),
        )
        return c.SetChargingProfile(
            connector_id=self.scope.connector_id, cs_charging_profiles=profile
        )


def clear_limit_command(scope: LimitScope) -> c.ClearChargingProfile:
    return c.ClearChargingProfile(
        connector_id=scope.connector_id, charging_profile_purpose=scope.purpose
    )


@dataclass(frozen=True, slots=True)
class TriggerRequest:
    message: c.TriggerableMessage
    connector_id: int | None = None

    def command(self) -> c.TriggerMessage:
        return c.TriggerMessage(requested_message=self.message, connector_id=self.connector_id)


# Messages about one connector; the others are about the station as a whole.
CONNECTOR_MESSAGES = frozenset(
    {c.TriggerableMessage.STATUS_NOTIFICATION, c.TriggerableMessage.METER_VALUES}
)


@dataclass(frozen=True, slots=True)
class FirmwareRequest:
    location: str
    retrieve_at: datetime

    def command(self) -> c.UpdateFirmware:
        return c.UpdateFirmware(location=self.location, retrieve_date=self.retrieve_at)


def diagnostics_command(location: str) -> c.GetDiagnostics:
    return c.GetDiagnostics(location=location)
