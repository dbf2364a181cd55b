"""Operations the central system can ask a station to perform, version-neutral.

Each request is a frozen dataclass; the protocol adapter maps it to the wire
format of the station's OCPP version and the answer back to a result type.
`success` lists the answers that mean "the station will do it"; any other
answer is raised as CommandRejected by the command service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import ClassVar


class ResetType(StrEnum):
    SOFT = "Soft"
    HARD = "Hard"


class AvailabilityType(StrEnum):
    OPERATIVE = "Operative"
    INOPERATIVE = "Inoperative"


class ChargingRateUnit(StrEnum):
    AMPERE = "A"
    WATT = "W"


class ProfilePurpose(StrEnum):
    CHARGE_POINT_MAX = "ChargePointMaxProfile"
    TX_DEFAULT = "TxDefaultProfile"
    TX = "TxProfile"


class ProfileKind(StrEnum):
    ABSOLUTE = "Absolute"
    RECURRING = "Recurring"
    RELATIVE = "Relative"


class RecurrencyKind(StrEnum):
    DAILY = "Daily"
    WEEKLY = "Weekly"


class UpdateType(StrEnum):
    FULL = "Full"
    DIFFERENTIAL = "Differential"


class TriggerableMessage(StrEnum):
    BOOT_NOTIFICATION = "BootNotification"
    DIAGNOSTICS_STATUS_NOTIFICATION = "DiagnosticsStatusNotification"
    FIRMWARE_STATUS_NOTIFICATION = "FirmwareStatusNotification"
    HEARTBEAT = "Heartbeat"
    METER_VALUES = "MeterValues"
    STATUS_NOTIFICATION = "StatusNotification"


@dataclass(frozen=True, slots=True)
class SchedulePeriod:
    start_period: int
    limit: float
    number_phases: int | None = None


@dataclass(frozen=True, slots=True)
class ChargingSchedule:
    charging_rate_unit: ChargingRateUnit
    charging_schedule_period: tuple[SchedulePeriod, ...]
    duration: int | None = None
    start_schedule: datetime | None = None
    min_charging_rate: float | None = None


@dataclass(frozen=True, slots=True)
class ChargingProfile:
    charging_profile_id: int
    stack_level: int
    charging_profile_purpose: ProfilePurpose
    charging_profile_kind: ProfileKind
    charging_schedule: ChargingSchedule
    transaction_id: int | None = None
    recurrency_kind: RecurrencyKind | None = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuthorizationEntry:
    id_tag: str
    status: str | None = None  # None in a differential update = remove the tag
    expiry_date: datetime | None = None
    parent_id_tag: str | None = None


class StationCommand:
    """Base of every CSMS-initiated operation."""

    success: ClassVar[frozenset[str]] = frozenset({"Accepted"})
    # Operations a station in Pending admission may still receive (OCPP 1.6 §4.2).
    allowed_while_pending: ClassVar[bool] = False


@dataclass(frozen=True, slots=True)
class Reset(StationCommand):
    type: ResetType


@dataclass(frozen=True, slots=True)
class RemoteStartTransaction(StationCommand):
    id_tag: str
    connector_id: int | None = None
    charging_profile: ChargingProfile | None = None


@dataclass(frozen=True, slots=True)
class RemoteStopTransaction(StationCommand):
    transaction_id: int


@dataclass(frozen=True, slots=True)
class UnlockConnector(StationCommand):
    success: ClassVar[frozenset[str]] = frozenset({"Unlocked"})
    connector_id: int


@dataclass(frozen=True, slots=True)
class ChangeAvailability(StationCommand):
    success: ClassVar[frozenset[str]] = frozenset({"Accepted", "Scheduled"})
    connector_id: int
    type: AvailabilityType


@dataclass(frozen=True, slots=True)
class GetConfiguration(StationCommand):
    allowed_while_pending: ClassVar[bool] = True
    key: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ChangeConfiguration(StationCommand):
    success: ClassVar[frozenset[str]] = frozenset({"Accepted", "RebootRequired"})
    allowed_while_pending: ClassVar[bool] = True
    key: str
    value: str


@dataclass(frozen=True, slots=True)
class ClearCache(StationCommand):
    pass


@dataclass(frozen=True, slots=True)
class TriggerMessage(StationCommand):
    allowed_while_pending: ClassVar[bool] = True
    requested_message: TriggerableMessage
    connector_id: int | None = None


@dataclass(frozen=True, slots=True)
class DataTransfer(StationCommand):
    allowed_while_pending: ClassVar[bool] = True
    vendor_id: str
    message_id: str | None = None
    data: str | None = None


@dataclass(frozen=True, slots=True)
class GetDiagnostics(StationCommand):
    location: str
    retries: int | None = None
    retry_interval: int | None = None
    start_time: datetime | None = None
    stop_time: datetime | None = None


@dataclass(frozen=True, slots=True)
class UpdateFirmware(StationCommand):
    location: str
    retrieve_date: datetime
    retries: int | None = None
    retry_interval: int | None = None


@dataclass(frozen=True, slots=True)
class ReserveNow(StationCommand):
    connector_id: int
    expiry_date: datetime
    id_tag: str
    reservation_id: int
    parent_id_tag: str | None = None


@dataclass(frozen=True, slots=True)
class CancelReservation(StationCommand):
    reservation_id: int


@dataclass(frozen=True, slots=True)
class SendLocalList(StationCommand):
    list_version: int
    update_type: UpdateType
    local_authorization_list: tuple[AuthorizationEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class GetLocalListVersion(StationCommand):
    pass


@dataclass(frozen=True, slots=True)
class SetChargingProfile(StationCommand):
    connector_id: int
    cs_charging_profiles: ChargingProfile


@dataclass(frozen=True, slots=True)
class ClearChargingProfile(StationCommand):
    id: int | None = None
    connector_id: int | None = None
    charging_profile_purpose: ProfilePurpose | None = None
    stack_level: int | None = None


@dataclass(frozen=True, slots=True)
class GetCompositeSchedule(StationCommand):
    connector_id: int
    duration: int
    charging_rate_unit: ChargingRateUnit | None = None


# ---- results ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusResult:
    """The answer of operations whose reply is only a status."""

    status: str


@dataclass(frozen=True, slots=True)
class ConfigurationResult:
    configuration_key: tuple[ConfigurationEntry, ...] = ()
    unknown_key: tuple[str, ...] = ()
    status: str = "Accepted"


@dataclass(frozen=True, slots=True)
class ConfigurationEntry:
    key: str
    readonly: bool
    value: str | None = None


@dataclass(frozen=True, slots=True)
class DataTransferResult:
    status: str
    data: str | None = None


@dataclass(frozen=True, slots=True)
class DiagnosticsResult:
    file_name: str | None = None
    status: str = "Accepted"


@dataclass(frozen=True, slots=True)
class FirmwareResult:
    status: str = "Accepted"


@dataclass(frozen=True, slots=True)
class LocalListVersionResult:
    list_version: int
    status: str = "Accepted"

    @property
    def supported(self) -> bool:
        return self.list_version != -1


@dataclass(frozen=True, slots=True)
class CompositeScheduleResult:
    status: str
    connector_id: int | None = None
    schedule_start: datetime | None = None
    charging_schedule: ChargingSchedule | None = None


CommandResult = (
    StatusResult
    | ConfigurationResult
    | DataTransferResult
    | DiagnosticsResult
    | FirmwareResult
    | LocalListVersionResult
    | CompositeScheduleResult
)

# Every CSMS-initiated operation of OCPP 1.6 (without the security extension).
ALL_COMMANDS: tuple[type[StationCommand], ...] = (
    RemoteStartTransaction,
    RemoteStopTransaction,
    Reset,
    UnlockConnector,
    ChangeAvailability,
    GetConfiguration,
    ChangeConfiguration,
    ClearCache,
    TriggerMessage,
    DataTransfer,
    GetDiagnostics,
    UpdateFirmware,
    ReserveNow,
    CancelReservation,
    SendLocalList,
    GetLocalListVersion,
    SetChargingProfile,
    ClearChargingProfile,
    GetCompositeSchedule,
)


def command_name(command: StationCommand | type[StationCommand]) -> str:
    cls = command if isinstance(command, type) else type(command)
    return cls.__name__
