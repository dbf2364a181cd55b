"""Rules a command must meet before it is sent, beyond what a schema can say."""

from __future__ import annotations

from collections.abc import Mapping

from app.domain import commands as c
from app.domain.errors import InvalidInput

# The security profile 1/2 password (1.6 security whitepaper): 16–20 bytes,
# usually written as up to 40 hex characters.
AUTHORIZATION_KEY = "AuthorizationKey"
AUTHORIZATION_KEY_LENGTH = (16, 40)


def check_profile(profile: c.ChargingProfile, *, connector_id: int | None) -> None:
    """OCPP 1.6 §5.16 and errata 3.45/3.53/3.56 (checklist X16-15)."""
    periods = profile.charging_schedule.charging_schedule_period
    if not periods:
        raise InvalidInput("a charging schedule needs at least one period")
    if periods[0].start_period != 0:
        raise InvalidInput("the first schedule period must start at 0")
    starts = [p.start_period for p in periods]
    if starts != sorted(set(starts)):
        raise InvalidInput("schedule periods must start at strictly increasing offsets")
    if any(p.limit < 0 for p in periods):
        raise InvalidInput("a schedule limit cannot be negative")
    if profile.stack_level < 0:
        raise InvalidInput("the stack level cannot be negative")
    kind = profile.charging_profile_kind
    if profile.recurrency_kind is not None and kind is not c.ProfileKind.RECURRING:
        raise InvalidInput("recurrencyKind is only allowed for Recurring profiles")
    if kind is c.ProfileKind.RECURRING and profile.recurrency_kind is None:
        raise InvalidInput("a Recurring profile needs a recurrencyKind")
    if kind is c.ProfileKind.RELATIVE and profile.charging_schedule.start_schedule is not None:
        raise InvalidInput("a Relative profile must not have a startSchedule")
    purpose = profile.charging_profile_purpose
    if profile.transaction_id is not None and purpose is not c.ProfilePurpose.TX:
        raise InvalidInput("only a TxProfile may name a transaction")
    if purpose is c.ProfilePurpose.CHARGE_POINT_MAX and connector_id not in (None, 0):
        raise InvalidInput("a ChargePointMaxProfile applies to connector 0 only")
    if purpose is c.ProfilePurpose.TX and connector_id == 0:
        raise InvalidInput("a TxProfile applies to a connector, not to connector 0")
    if profile.valid_from and profile.valid_to and profile.valid_from >= profile.valid_to:
        raise InvalidInput("validFrom must be before validTo")


def check_command(command: c.StationCommand) -> None:
    if isinstance(command, c.RemoteStartTransaction):
        if command.connector_id is not None and command.connector_id <= 0:
            raise InvalidInput("a remote start names a connector above 0, or none")
        if command.charging_profile is not None:
            profile = command.charging_profile
            if profile.charging_profile_purpose is not c.ProfilePurpose.TX:
                raise InvalidInput("a remote start may only carry a TxProfile")
            if profile.transaction_id is not None:
                raise InvalidInput("a remote start's profile must not name a transaction")
            check_profile(profile, connector_id=command.connector_id)
    elif isinstance(command, c.SetChargingProfile):
        check_profile(command.cs_charging_profiles, connector_id=command.connector_id)
        if command.connector_id < 0:
            raise InvalidInput("connector ids are 0 or above")
    elif isinstance(command, c.SendLocalList):
        if command.list_version <= 0:
            raise InvalidInput("a local list version is a positive number (never 0 or -1)")
        seen: set[str] = set()
        for entry in command.local_authorization_list:
            if entry.id_tag in seen:
                raise InvalidInput(f"id tag {entry.id_tag} appears twice in the list")
            seen.add(entry.id_tag)
            if command.update_type is c.UpdateType.FULL and entry.status is None:
                raise InvalidInput("every entry of a full list needs a status")
    elif isinstance(command, c.UnlockConnector | c.ReserveNow):
        if command.connector_id < 0 or (
            isinstance(command, c.UnlockConnector) and command.connector_id == 0
        ):
            raise InvalidInput("unlock a connector above 0")
    elif isinstance(command, c.ChangeConfiguration) and command.key == AUTHORIZATION_KEY:
        low, high = AUTHORIZATION_KEY_LENGTH
        if not low <= len(command.value) <= high:
            raise InvalidInput(f"an AuthorizationKey has {low} to {high} characters")
    elif isinstance(command, c.ChangeAvailability | c.GetCompositeSchedule) and (
        command.connector_id < 0
    ):
        raise InvalidInput("connector ids are 0 or above")


def _int(configuration: Mapping[str, str], key: str) -> int | None:
    try:
        return int(configuration[key])
    except (KeyError, ValueError):
        return None


def _check_profile_limits(profile: c.ChargingProfile, configuration: Mapping[str, str]) -> None:
    """The station's own limits, where we know them (X16-15)."""
    max_level = _int(configuration, "ChargeProfileMaxStackLevel")
    if max_level is not None and profile.stack_level > max_level:
        raise InvalidInput(
            f"stack level {profile.stack_level} is above the station's maximum {max_level}"
        )
    max_periods = _int(configuration, "ChargingScheduleMaxPeriods")
    periods = len(profile.charging_schedule.charging_schedule_period)
    if max_periods is not None and periods > max_periods:
        raise InvalidInput(
            f"the schedule has {periods} periods; the station takes at most {max_periods}"
        )
    allowed = configuration.get("ChargingScheduleAllowedChargingRateUnit")
    if allowed:
        units = {u.strip() for u in allowed.split(",")}
        unit = profile.charging_schedule.charging_rate_unit
        needed = "Current" if unit is c.ChargingRateUnit.AMPERE else "Power"
        if needed not in units:
            raise InvalidInput(f"the station takes schedules in {allowed} only, not {unit.value}")


def check_against_configuration(
    command: c.StationCommand,
    configuration: Mapping[str, str],
    local_list_version: int,
    running: Mapping[int, int],
) -> None:
    """Rules that need what the station told us: its configuration keys, its local
    list version and the transactions running on its connectors (connector → id)."""
    if isinstance(command, c.RemoteStartTransaction) and command.charging_profile is not None:
        _check_profile_limits(command.charging_profile, configuration)
    elif isinstance(command, c.SetChargingProfile):
        profile = command.cs_charging_profiles
        _check_profile_limits(profile, configuration)
        if profile.charging_profile_purpose is c.ProfilePurpose.TX:
            # A TxProfile is for a running transaction only (§5.16.4, X16-15).
            on_connector = running.get(command.connector_id)
            if profile.transaction_id is None and on_connector is None:
                raise InvalidInput(f"no transaction is running on connector {command.connector_id}")
            if profile.transaction_id is not None and on_connector != profile.transaction_id:
                raise InvalidInput(
                    f"transaction {profile.transaction_id} is not running on connector "
                    f"{command.connector_id}"
                )
    elif isinstance(command, c.SendLocalList):
        limit = _int(configuration, "SendLocalListMaxLength")
        size = len(command.local_authorization_list)
        if limit is not None and size > limit:
            raise InvalidInput(
                f"the station takes at most {limit} entries per SendLocalList, got {size}"
            )
        if (
            command.update_type is c.UpdateType.DIFFERENTIAL
            and local_list_version > 0
            and command.list_version <= local_list_version
        ):
            raise InvalidInput(
                f"a differential update needs a version above the station's "
                f"{local_list_version}, got {command.list_version}"
            )
    elif (
        isinstance(command, c.ReserveNow)
        and command.connector_id == 0
        and configuration.get("ReserveConnectorZeroSupported", "").strip().lower() == "false"
    ):
        raise InvalidInput("the station does not take reservations for connector 0")
