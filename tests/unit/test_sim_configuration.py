import pytest

from app.sim.configuration import Configuration

REQUIRED_KEYS = {
    "HeartbeatInterval",
    "MeterValueSampleInterval",
    "MeterValuesSampledData",
    "NumberOfConnectors",
    "SupportedFeatureProfiles",
    "AuthorizeRemoteTxRequests",
    "LocalAuthListEnabled",
    "LocalAuthListMaxLength",
    "SendLocalListMaxLength",
    "ChargeProfileMaxStackLevel",
    "ChargingScheduleAllowedChargingRateUnit",
    "ChargingScheduleMaxPeriods",
    "MaxChargingProfilesInstalled",
    "StopTxOnEVSideDisconnect",
    "ConnectionTimeOut",
}


def test_reports_a_realistic_key_set_without_the_authorization_key() -> None:
    config = Configuration(connectors=3, overrides={"AuthorizationKey": "secret"})
    known, unknown = config.report(None)
    keys = {kv.key: kv for kv in known}
    assert keys.keys() >= REQUIRED_KEYS
    assert "AuthorizationKey" not in keys
    assert unknown == []
    assert keys["NumberOfConnectors"].value == "3"
    assert keys["NumberOfConnectors"].readonly
    assert keys["SupportedFeatureProfiles"].readonly
    assert "AuthorizationKey" not in config
    assert config.secret("AuthorizationKey") == "secret"


def test_requested_keys_are_case_insensitive_and_unknown_ones_listed() -> None:
    config = Configuration(connectors=2)
    known, unknown = config.report(["heartbeatinterval", "NoSuchKey", "AuthorizationKey"])
    assert [kv.key for kv in known] == ["HeartbeatInterval"]
    assert unknown == ["NoSuchKey", "AuthorizationKey"]


@pytest.mark.parametrize(
    ("key", "value", "status"),
    [
        ("HeartbeatInterval", "60", "Accepted"),
        ("HeartbeatInterval", "soon", "Rejected"),
        ("HeartbeatInterval", "-5", "Rejected"),
        ("MeterValuesSampledData", "Energy.Active.Import.Register,SoC", "Accepted"),
        ("MeterValuesSampledData", "Voltage.Bogus", "Rejected"),
        ("AuthorizeRemoteTxRequests", "TRUE", "Accepted"),
        ("AuthorizeRemoteTxRequests", "yes", "Rejected"),
        ("NumberOfConnectors", "4", "Rejected"),
        ("WebSocketPingInterval", "30", "RebootRequired"),
        ("AuthorizationKey", "new-password", "Accepted"),
        ("FancyVendorKey", "1", "NotSupported"),
    ],
)
def test_change_configuration_statuses(key: str, value: str, status: str) -> None:
    assert Configuration(connectors=2).change(key, value) == status


def test_accepted_changes_take_effect_and_notify() -> None:
    config = Configuration(connectors=2)
    seen: list[tuple[str, str]] = []
    config.listeners.append(lambda key, value: seen.append((key, value)))
    config.change("heartbeatInterval", "42")
    config.change("HeartbeatInterval", "x")
    assert config.integer("HeartbeatInterval") == 42
    assert seen == [("HeartbeatInterval", "42")]
    config.change("AuthorizationKey", "pw2")
    assert config.secret("AuthorizationKey") == "pw2"
