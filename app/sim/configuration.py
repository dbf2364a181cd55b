"""The station's configuration keys (GetConfiguration / ChangeConfiguration)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

SUPPORTED_MEASURANDS = (
    "Energy.Active.Import.Register",
    "Power.Active.Import",
    "Current.Import",
    "SoC",
)
DEFAULT_MEASURANDS = ",".join(SUPPORTED_MEASURANDS)
FEATURE_PROFILES = (
    "Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger"
)


def _is_int(value: str) -> bool:
    try:
        return int(value) >= 0
    except ValueError:
        return False


def _is_bool(value: str) -> bool:
    return value.lower() in ("true", "false")


def _is_measurand_list(value: str) -> bool:
    items = [v.strip() for v in value.split(",") if v.strip()]
    return all(item in SUPPORTED_MEASURANDS for item in items)


def _is_password(value: str) -> bool:
    return 0 < len(value) <= 40


def _is_rate_units(value: str) -> bool:
    return all(v.strip() in ("Current", "Power") for v in value.split(","))


Validator = Callable[[str], bool]


@dataclass(frozen=True)
class KeySpec:
    name: str
    default: str
    validator: Validator | None = None
    readonly: bool = False
    write_only: bool = False
    reboot_required: bool = False


@dataclass(frozen=True)
class KeyValue:
    key: str
    readonly: bool
    value: str


def _key_specs(connectors: int) -> tuple[KeySpec, ...]:
    return (
        KeySpec("AllowOfflineTxForUnknownId", "true", _is_bool),
        KeySpec("AuthorizationCacheEnabled", "true", _is_bool),
        KeySpec("AuthorizationKey", "", _is_password, write_only=True),
        KeySpec("AuthorizeRemoteTxRequests", "false", _is_bool),
        KeySpec("ChargeProfileMaxStackLevel", "10", readonly=True),
        KeySpec("ChargingScheduleAllowedChargingRateUnit", "Current,Power", _is_rate_units),
        KeySpec("ChargingScheduleMaxPeriods", "24", readonly=True),
        KeySpec("ClockAlignedDataInterval", "0", _is_int),
        KeySpec("ConnectionTimeOut", "60", _is_int),
        KeySpec("ConnectorPhaseRotation", "0.RST", lambda v: bool(v), reboot_required=True),
        KeySpec("GetConfigurationMaxKeys", "50", readonly=True),
        KeySpec("HeartbeatInterval", "300", _is_int),
        KeySpec("LocalAuthListEnabled", "true", _is_bool),
        KeySpec("LocalAuthListMaxLength", "100", readonly=True),
        KeySpec("LocalAuthorizeOffline", "true", _is_bool),
        KeySpec("LocalPreAuthorize", "false", _is_bool),
        KeySpec("MaxChargingProfilesInstalled", "20", readonly=True),
        KeySpec("MeterValueSampleInterval", "0", _is_int),
        KeySpec("MeterValuesAlignedData", "Energy.Active.Import.Register", _is_measurand_list),
        KeySpec("MeterValuesSampledData", DEFAULT_MEASURANDS, _is_measurand_list),
        KeySpec("NumberOfConnectors", str(connectors), readonly=True),
        KeySpec("ReserveConnectorZeroSupported", "false", readonly=True),
        KeySpec("ResetRetries", "1", _is_int),
        KeySpec("SendLocalListMaxLength", "100", readonly=True),
        KeySpec("StopTransactionOnEVSideDisconnect", "true", _is_bool),
        KeySpec("StopTransactionOnInvalidId", "true", _is_bool),
        KeySpec("StopTxnAlignedData", "", _is_measurand_list),
        KeySpec("StopTxnSampledData", "Energy.Active.Import.Register", _is_measurand_list),
        KeySpec("StopTxOnEVSideDisconnect", "true", _is_bool),
        KeySpec("SupportedFeatureProfiles", FEATURE_PROFILES, readonly=True),
        KeySpec("TransactionMessageAttempts", "3", _is_int),
        KeySpec("TransactionMessageRetryInterval", "10", _is_int),
        KeySpec("UnlockConnectorOnEVSideDisconnect", "true", _is_bool),
        KeySpec("WebSocketPingInterval", "0", _is_int, reboot_required=True),
    )


class Configuration(Mapping[str, str]):
    """Key/value store with OCPP rules; keys are case-insensitive, as CiString requires.

    Reading it as a mapping never yields the write-only AuthorizationKey.
    """

    def __init__(self, connectors: int, overrides: Mapping[str, str] | None = None) -> None:
        self._specs = {spec.name.lower(): spec for spec in _key_specs(connectors)}
        self._values = {spec.name: spec.default for spec in self._specs.values()}
        for key, value in (overrides or {}).items():
            self._values[self._spec(key).name] = value
        self.listeners: list[Callable[[str, str], None]] = []

    def _spec(self, key: str) -> KeySpec:
        spec = self._specs.get(key.lower())
        if spec is None:
            raise KeyError(key)
        return spec

    def __getitem__(self, key: str) -> str:
        spec = self._spec(key)
        if spec.write_only:
            raise KeyError(key)
        return self._values[spec.name]

    def __iter__(self) -> Iterator[str]:
        return (spec.name for spec in self._specs.values() if not spec.write_only)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def integer(self, key: str) -> int:
        return int(self[key])

    def flag(self, key: str) -> bool:
        return self[key].lower() == "true"

    def secret(self, key: str) -> str:
        """Read a write-only key; only the station itself may do this."""
        return self._values[self._spec(key).name]

    def report(self, keys: Sequence[str] | None) -> tuple[list[KeyValue], list[str]]:
        """Known keys with values, and the requested keys the station does not know."""
        wanted = list(self) if not keys else list(keys)
        known: list[KeyValue] = []
        unknown: list[str] = []
        for key in wanted:
            spec = self._specs.get(key.lower())
            if spec is None or spec.write_only:
                unknown.append(key)
            else:
                known.append(KeyValue(spec.name, spec.readonly, self._values[spec.name]))
        return known, unknown

    def change(self, key: str, value: str) -> str:
        """Apply ChangeConfiguration; returns the ConfigurationStatus for the reply."""
        spec = self._specs.get(key.lower())
        if spec is None:
            return "NotSupported"
        if spec.readonly or spec.validator is None or not spec.validator(value):
            return "Rejected"
        self._values[spec.name] = value
        for listener in list(self.listeners):
            listener(spec.name, value)
        return "RebootRequired" if spec.reboot_required else "Accepted"

    def set_internal(self, key: str, value: str) -> None:
        """Station-side update that bypasses the CSMS rules (e.g. boot interval)."""
        spec = self._spec(key)
        self._values[spec.name] = value
        for listener in list(self.listeners):
            listener(spec.name, value)
