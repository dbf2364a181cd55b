"""OCPP 1.6 OCTT central-system cases, core profile, operations the central system
sends (checklist 3.3 TC_061, 3.5 reset, 3.6 unlocking, 3.7 configuration, 3.13
configuration keys non-happy). Charger-initiated core cases are in test_conformance_core.
"""

from __future__ import annotations

from app.bootstrap import Engine
from app.domain import commands as c
from app.domain.errors import CommandRejected, NotSupportedByStation
from app.domain.model import ConnectorStatus, TransactionState
from tests.integration.ocpp16_steps import (
    add_tag,
    booted,
    connector_status,
    last_command,
    operate,
    operate_refused,
    start,
    status,
    stop,
)


async def test_tc_061_clear_authorization_cache(engine: Engine, ocpp_url: str) -> None:
    """TC_061_CSMS: ClearCache answered Accepted; logged."""
    cp = await booted(ocpp_url, "CP-061")
    call, result = await operate(engine, cp, "CP-061", c.ClearCache(), {"status": "Accepted"})
    assert call[2:] == ["ClearCache", {}]
    assert result == c.StatusResult("Accepted")
    record = await last_command(engine, "CP-061")
    assert (record.action, record.outcome) == ("ClearCache", "accepted")
    await cp.close()


# ---- 3.5 reset -----------------------------------------------------------------------


async def _reset_and_reboot(engine: Engine, ocpp_url: str, kind: c.ResetType) -> None:
    station_id = f"CP-RESET-{kind.value}"
    cp = await booted(ocpp_url, station_id)
    call, result = await operate(engine, cp, station_id, c.Reset(kind), {"status": "Accepted"})
    assert call[2:] == ["Reset", {"type": kind.value}]
    assert result == c.StatusResult("Accepted")
    record = await last_command(engine, station_id)
    assert (record.action, record.outcome, record.response) == (
        "Reset",
        "accepted",
        {"status": "Accepted"},
    )
    await cp.close()

    again = await booted(ocpp_url, station_id)
    await again.close()
    station = await engine.services.stations.get(station_id)
    assert station.last_boot_at is not None
    assert await connector_status(engine, station_id, 1) is ConnectorStatus.AVAILABLE


async def test_tc_013_hard_reset(engine: Engine, ocpp_url: str) -> None:
    """TC_013_CSMS: Reset(Hard) Accepted; the station boots again and is Accepted; Available."""
    await _reset_and_reboot(engine, ocpp_url, c.ResetType.HARD)


async def test_tc_014_soft_reset(engine: Engine, ocpp_url: str) -> None:
    """TC_014_CSMS: Reset(Soft) Accepted; the station boots again and is Accepted; Available."""
    await _reset_and_reboot(engine, ocpp_url, c.ResetType.SOFT)


# ---- 3.6 unlocking -------------------------------------------------------------------


async def test_tc_017_1_unlock_connector_no_session(engine: Engine, ocpp_url: str) -> None:
    """TC_017_1_CSMS: UnlockConnector(1) answered Unlocked."""
    cp = await booted(ocpp_url, "CP-0171")
    call, result = await operate(
        engine, cp, "CP-0171", c.UnlockConnector(1), {"status": "Unlocked"}
    )
    assert call[2:] == ["UnlockConnector", {"connectorId": 1}]
    assert result == c.StatusResult("Unlocked")
    assert (await last_command(engine, "CP-0171")).outcome == "accepted"
    await cp.close()


async def test_tc_017_2_unlock_connector_fixed_cable(engine: Engine, ocpp_url: str) -> None:
    """TC_017_2_CSMS: UnlockConnector answered NotSupported: a named error, logged."""
    cp = await booted(ocpp_url, "CP-0172")
    _call, error = await operate_refused(
        engine,
        cp,
        "CP-0172",
        c.UnlockConnector(1),
        {"status": "NotSupported"},
        NotSupportedByStation,
    )
    assert isinstance(error, NotSupportedByStation)
    assert error.status == "NotSupported"
    record = await last_command(engine, "CP-0172")
    assert (record.outcome, record.response) == ("rejected", {"status": "NotSupported"})
    await cp.close()


async def test_tc_018_1_unlock_connector_with_charging_session(
    engine: Engine, ocpp_url: str
) -> None:
    """TC_018_1_CSMS: unlock while charging; Finishing; StopTransaction(UnlockCommand)."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, "CP-0181")
    await status(cp, 1, "Preparing")
    tx_id = (await start(cp, "TAG-OK", meter=0))["transactionId"]
    await status(cp, 1, "Charging")
    _call, result = await operate(
        engine, cp, "CP-0181", c.UnlockConnector(1), {"status": "Unlocked"}
    )
    assert result == c.StatusResult("Unlocked")
    await status(cp, 1, "Finishing")
    assert await stop(cp, tx_id, meter=900, reason="UnlockCommand") == {}
    await status(cp, 1, "Available")
    await cp.close()
    tx = await engine.services.transactions.get(tx_id)
    assert tx is not None
    assert (tx.state, tx.stop_reason) == (TransactionState.CLOSED, "UnlockCommand")


# ---- 3.7 configuration ---------------------------------------------------------------


async def test_tc_019_1_retrieve_all_configuration_keys(engine: Engine, ocpp_url: str) -> None:
    """TC_019_1_CSMS: GetConfiguration without keys; every key stored with its readonly flag."""
    cp = await booted(ocpp_url, "CP-0191")
    keys = [
        {"key": "HeartbeatInterval", "readonly": False, "value": "300"},
        {"key": "NumberOfConnectors", "readonly": True, "value": "1"},
        {"key": "SupportedFeatureProfiles", "readonly": True, "value": "Core,SmartCharging"},
        {"key": "AuthorizeRemoteTxRequests", "readonly": False},
    ]
    call, result = await operate(
        engine, cp, "CP-0191", c.GetConfiguration(), {"configurationKey": keys}
    )
    assert call[2:] == ["GetConfiguration", {}]
    assert isinstance(result, c.ConfigurationResult)
    assert len(result.configuration_key) == 4
    stored = {
        k.key: (k.value, k.readonly)
        for k in await engine.services.stations.configuration("CP-0191")
    }
    assert stored == {
        "AuthorizeRemoteTxRequests": (None, False),
        "HeartbeatInterval": ("300", False),
        "NumberOfConnectors": ("1", True),
        "SupportedFeatureProfiles": ("Core,SmartCharging", True),
    }
    await cp.close()


async def test_tc_019_2_retrieve_specific_configuration_key(engine: Engine, ocpp_url: str) -> None:
    """TC_019_2_CSMS: GetConfiguration(SupportedFeatureProfiles): value shown, no unknown keys."""
    cp = await booted(ocpp_url, "CP-0192")
    answer = {
        "configurationKey": [
            {"key": "SupportedFeatureProfiles", "readonly": True, "value": "Core"}
        ],
        "unknownKey": [],
    }
    call, result = await operate(
        engine, cp, "CP-0192", c.GetConfiguration(("SupportedFeatureProfiles",)), answer
    )
    assert call[2:] == ["GetConfiguration", {"key": ["SupportedFeatureProfiles"]}]
    assert result == c.ConfigurationResult(
        (c.ConfigurationEntry("SupportedFeatureProfiles", True, "Core"),), ()
    )
    stored = await engine.services.stations.configuration("CP-0192")
    assert [(k.key, k.value, k.readonly) for k in stored] == [
        ("SupportedFeatureProfiles", "Core", True)
    ]
    await cp.close()


async def test_tc_021_change_configuration(engine: Engine, ocpp_url: str) -> None:
    """TC_021_CSMS: ChangeConfiguration(MeterValueSampleInterval=60) Accepted and remembered."""
    cp = await booted(ocpp_url, "CP-021")
    call, result = await operate(
        engine,
        cp,
        "CP-021",
        c.ChangeConfiguration("MeterValueSampleInterval", "60"),
        {"status": "Accepted"},
    )
    assert call[2:] == [
        "ChangeConfiguration",
        {"key": "MeterValueSampleInterval", "value": "60"},
    ]
    assert result == c.StatusResult("Accepted")
    stored = await engine.services.stations.configuration("CP-021")
    assert [(k.key, k.value) for k in stored] == [("MeterValueSampleInterval", "60")]
    await cp.close()


# ---- 3.13 configuration keys, non-happy ----------------------------------------------


async def test_tc_040_1_configuration_key_not_supported(engine: Engine, ocpp_url: str) -> None:
    """TC_040_1_CSMS: ChangeConfiguration answered NotSupported; nothing stored."""
    cp = await booted(ocpp_url, "CP-0401")
    _call, error = await operate_refused(
        engine,
        cp,
        "CP-0401",
        c.ChangeConfiguration("VendorMagic", "1"),
        {"status": "NotSupported"},
        NotSupportedByStation,
    )
    assert "NotSupported" in str(error)
    assert await engine.services.stations.configuration("CP-0401") == []
    assert (await last_command(engine, "CP-0401")).outcome == "rejected"
    await cp.close()


async def test_tc_040_2_configuration_key_invalid_value(engine: Engine, ocpp_url: str) -> None:
    """TC_040_2_CSMS: ChangeConfiguration with a bad value answered Rejected; nothing stored."""
    cp = await booted(ocpp_url, "CP-0402")
    call, error = await operate_refused(
        engine,
        cp,
        "CP-0402",
        c.ChangeConfiguration("MeterValueSampleInterval", "-1"),
        {"status": "Rejected"},
        CommandRejected,
    )
    assert call[3] == {"key": "MeterValueSampleInterval", "value": "-1"}
    assert isinstance(error, CommandRejected)
    assert not isinstance(error, NotSupportedByStation)
    assert error.status == "Rejected"
    assert await engine.services.stations.configuration("CP-0402") == []
    await cp.close()
