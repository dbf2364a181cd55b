"""Rules a command must meet before it is sent, beyond what a schema can say."""

from __future__ import annotations

from app.domain import commands as c
from app.domain.errors import InvalidInput


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
    elif isinstance(command, c.ChangeAvailability | c.GetCompositeSchedule) and (
        command.connector_id < 0
    ):
        raise InvalidInput("connector ids are 0 or above")
