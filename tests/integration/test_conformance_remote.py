"""OCPP 1.6 OCTT central-system cases for CSMS-initiated operations (checklist 3.4, 3.9,
3.10, 3.14–3.16, 3.18; reservations and smart charging have their own files).

Each test sends the operation through the command service, asserts the exact
frame the charger received, answers it as the case says, and checks the result,
the command log and what was stored.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.bootstrap import Engine
from app.domain import commands as c
from app.domain.errors import CommandRejected, InvalidInput, NotSupportedByStation
from app.domain.model import TransactionState
from app.store.repositories import SqlCommandLog
from tests.fakes.raw_charger import RawCharger
from tests.integration.ocpp16_steps import (
    add_tag,
    ago,
    ahead,
    authorize,
    booted,
    iso,
    last_command,
    nothing_sent,
    operate,
    operate_refused,
    start,
    status,
    stop,
)

# ---- 3.4 remote actions ------------------------------------------------------------------


async def test_tc_010_remote_start_cable_plugged_in_first(engine: Engine, ocpp_url: str) -> None:
    """TC_010_CSMS: Preparing; RemoteStartTransaction Accepted; Authorize; start; Charging."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, "CP-010")
    await status(cp, 1, "Preparing")
    call, result = await operate(
        engine, cp, "CP-010", c.RemoteStartTransaction("TAG-OK", 1), {"status": "Accepted"}
    )
    assert call[2:] == ["RemoteStartTransaction", {"idTag": "TAG-OK", "connectorId": 1}]
    assert result == c.StatusResult("Accepted")
    assert (await authorize(cp, "TAG-OK"))["status"] == "Accepted"
    answer = await start(cp, "TAG-OK")
    assert answer["idTagInfo"]["status"] == "Accepted"
    await status(cp, 1, "Charging")
    await cp.close()
    record = await last_command(engine, "CP-010")
    assert (record.action, record.outcome) == ("RemoteStartTransaction", "accepted")
    assert record.request == {"id_tag": "TAG-OK", "connector_id": 1}
    tx = await engine.services.transactions.get(answer["transactionId"])
    assert tx is not None
    assert tx.state is TransactionState.OPEN


async def test_tc_011_1_remote_start_remote_start_first(engine: Engine, ocpp_url: str) -> None:
    """TC_011_1_CSMS: RemoteStart Accepted; Authorize; Preparing; start Accepted; Charging."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, "CP-0111")
    call, _result = await operate(
        engine, cp, "CP-0111", c.RemoteStartTransaction("TAG-OK"), {"status": "Accepted"}
    )
    assert call[3] == {"idTag": "TAG-OK"}  # no connector: the charger chooses
    assert (await authorize(cp, "TAG-OK"))["status"] == "Accepted"
    await status(cp, 1, "Preparing")
    answer = await start(cp, "TAG-OK")
    assert answer["idTagInfo"]["status"] == "Accepted"
    await status(cp, 1, "Charging")
    await cp.close()
    assert len(await engine.services.transactions.find(station_id="CP-0111")) == 1


async def test_tc_011_2_remote_start_time_out(engine: Engine, ocpp_url: str) -> None:
    """TC_011_2_CSMS: RemoteStart Accepted, Authorize, Preparing, then Available: no transaction."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, "CP-0112")
    await operate(
        engine, cp, "CP-0112", c.RemoteStartTransaction("TAG-OK", 1), {"status": "Accepted"}
    )
    assert (await authorize(cp, "TAG-OK"))["status"] == "Accepted"
    await status(cp, 1, "Preparing")
    await status(cp, 1, "Available")  # ConnectionTimeOut expired
    await cp.close()
    assert await engine.services.transactions.find(station_id="CP-0112", open_only=True) == []


async def test_tc_012_remote_stop_charging_session(engine: Engine, ocpp_url: str) -> None:
    """TC_012_CSMS: RemoteStopTransaction(the issued id) Accepted; StopTransaction(Remote)."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, "CP-012")
    await status(cp, 1, "Preparing")
    tx_id = (await start(cp, "TAG-OK", meter=0))["transactionId"]
    await status(cp, 1, "Charging")
    call, result = await operate(
        engine, cp, "CP-012", c.RemoteStopTransaction(tx_id), {"status": "Accepted"}
    )
    assert call[2:] == ["RemoteStopTransaction", {"transactionId": tx_id}]
    assert result == c.StatusResult("Accepted")
    assert await stop(cp, tx_id, meter=2000, reason="Remote") == {}
    await status(cp, 1, "Finishing")
    await status(cp, 1, "Available")
    await cp.close()
    tx = await engine.services.transactions.get(tx_id)
    assert tx is not None
    assert (tx.state, tx.stop_reason) == (TransactionState.CLOSED, "Remote")


# ---- 3.9 remote actions, non-happy ---------------------------------------------------------


async def test_tc_026_remote_start_rejected(engine: Engine, ocpp_url: str) -> None:
    """TC_026_CSMS: RemoteStartTransaction answered Rejected: named error, no transaction."""
    cp = await booted(ocpp_url, "CP-026")
    _call, error = await operate_refused(
        engine,
        cp,
        "CP-026",
        c.RemoteStartTransaction("TAG-OK", 1),
        {"status": "Rejected"},
        CommandRejected,
    )
    assert "Rejected" in str(error)
    record = await last_command(engine, "CP-026")
    assert (record.outcome, record.response) == ("rejected", {"status": "Rejected"})
    await cp.close()
    assert await engine.services.transactions.find(station_id="CP-026") == []


async def test_tc_028_remote_stop_transaction_rejected(engine: Engine, ocpp_url: str) -> None:
    """TC_028_CSMS: RemoteStop for an id the charger does not know is Rejected; tx stays open."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, "CP-028")
    tx_id = (await start(cp, "TAG-OK"))["transactionId"]
    await status(cp, 1, "Charging")
    call, _error = await operate_refused(
        engine,
        cp,
        "CP-028",
        c.RemoteStopTransaction(tx_id + 1000),
        {"status": "Rejected"},
        CommandRejected,
    )
    assert call[3] == {"transactionId": tx_id + 1000}
    await cp.close()
    tx = await engine.services.transactions.get(tx_id)
    assert tx is not None
    assert tx.state is TransactionState.OPEN


# ---- 3.10 unlocking, non-happy --------------------------------------------------------------


async def test_tc_030_unlock_connector_unlock_failure(engine: Engine, ocpp_url: str) -> None:
    """TC_030_CSMS: UnlockConnector answered UnlockFailed: a named error, logged."""
    cp = await booted(ocpp_url, "CP-030")
    _call, error = await operate_refused(
        engine, cp, "CP-030", c.UnlockConnector(1), {"status": "UnlockFailed"}, CommandRejected
    )
    assert isinstance(error, CommandRejected)
    assert error.status == "UnlockFailed"
    assert (await last_command(engine, "CP-030")).outcome == "rejected"
    await cp.close()


async def test_tc_031_unlock_connector_unknown_connector(engine: Engine, ocpp_url: str) -> None:
    """TC_031_CSMS: UnlockConnector on a connector the charger lacks: NotSupported, handled."""
    cp = await booted(ocpp_url, "CP-031")
    call, error = await operate_refused(
        engine,
        cp,
        "CP-031",
        c.UnlockConnector(7),
        {"status": "NotSupported"},
        NotSupportedByStation,
    )
    assert call[3] == {"connectorId": 7}
    assert isinstance(error, NotSupportedByStation)
    await cp.close()


# ---- 3.14 local authorization list ----------------------------------------------------------


async def test_tc_042_1_get_local_list_version_not_supported(engine: Engine, ocpp_url: str) -> None:
    """TC_042_1_CSMS: GetLocalListVersion answered -1 means 'not supported'."""
    cp = await booted(ocpp_url, "CP-0421")
    call, result = await operate(
        engine, cp, "CP-0421", c.GetLocalListVersion(), {"listVersion": -1}
    )
    assert call[2:] == ["GetLocalListVersion", {}]
    assert isinstance(result, c.LocalListVersionResult)
    assert not result.supported
    assert (await engine.services.stations.get("CP-0421")).local_list_version == -1
    await cp.close()


async def test_tc_042_2_get_local_list_version_empty(engine: Engine, ocpp_url: str) -> None:
    """TC_042_2_CSMS: GetLocalListVersion answered 0 means an empty list."""
    cp = await booted(ocpp_url, "CP-0422")
    _call, result = await operate(
        engine, cp, "CP-0422", c.GetLocalListVersion(), {"listVersion": 0}
    )
    assert result == c.LocalListVersionResult(0)
    assert isinstance(result, c.LocalListVersionResult)
    assert result.supported
    await cp.close()


FULL_LIST = c.SendLocalList(
    1,
    c.UpdateType.FULL,
    (
        c.AuthorizationEntry("TAG-1", "Accepted"),
        c.AuthorizationEntry("TAG-2", "Blocked"),
    ),
)


async def test_tc_043_1_send_local_list_not_supported(engine: Engine, ocpp_url: str) -> None:
    """TC_043_1_CSMS: SendLocalList(Full) answered NotSupported; version unchanged."""
    cp = await booted(ocpp_url, "CP-0431")
    await operate_refused(
        engine, cp, "CP-0431", FULL_LIST, {"status": "NotSupported"}, NotSupportedByStation
    )
    assert (await engine.services.stations.get("CP-0431")).local_list_version == 0
    await cp.close()


async def test_tc_043_3_send_local_list_failed(engine: Engine, ocpp_url: str) -> None:
    """TC_043_3_CSMS: SendLocalList(Full) answered Failed; version unchanged."""
    cp = await booted(ocpp_url, "CP-0433")
    _call, error = await operate_refused(
        engine, cp, "CP-0433", FULL_LIST, {"status": "Failed"}, CommandRejected
    )
    assert isinstance(error, CommandRejected)
    assert error.status == "Failed"
    assert (await engine.services.stations.get("CP-0433")).local_list_version == 0
    await cp.close()


async def test_tc_043_4_send_local_list_full(engine: Engine, ocpp_url: str) -> None:
    """TC_043_4_CSMS: SendLocalList(Full), every entry with idTagInfo, Accepted; version kept."""
    cp = await booted(ocpp_url, "CP-0434")
    expiry = ahead(60 * 24)
    command = c.SendLocalList(
        3,
        c.UpdateType.FULL,
        (
            c.AuthorizationEntry("TAG-1", "Accepted", expiry, "GROUP"),
            c.AuthorizationEntry("TAG-2", "Blocked"),
        ),
    )
    call, _result = await operate(engine, cp, "CP-0434", command, {"status": "Accepted"})
    assert call[2:] == [
        "SendLocalList",
        {
            "listVersion": 3,
            "updateType": "Full",
            "localAuthorizationList": [
                {
                    "idTag": "TAG-1",
                    "idTagInfo": {
                        "status": "Accepted",
                        "expiryDate": call[3]["localAuthorizationList"][0]["idTagInfo"][
                            "expiryDate"
                        ],
                        "parentIdTag": "GROUP",
                    },
                },
                {"idTag": "TAG-2", "idTagInfo": {"status": "Blocked"}},
            ],
        },
    ]
    assert call[3]["localAuthorizationList"][0]["idTagInfo"]["expiryDate"].startswith(
        iso(expiry)[:-1]
    )
    assert all("idTagInfo" in e for e in call[3]["localAuthorizationList"])
    assert (await engine.services.stations.get("CP-0434")).local_list_version == 3
    await cp.close()


async def test_tc_043_4_full_list_entry_without_info_is_refused(
    engine: Engine, ocpp_url: str
) -> None:
    """TC_043_4_CSMS: a full list with an entry lacking idTagInfo never reaches the charger."""
    cp = await booted(ocpp_url, "CP-0434B")
    bad = c.SendLocalList(1, c.UpdateType.FULL, (c.AuthorizationEntry("TAG-1"),))
    with pytest.raises(InvalidInput):
        await engine.services.commands.send("CP-0434B", bad)
    await nothing_sent(cp)
    await cp.close()


async def test_tc_043_5_send_local_list_differential(engine: Engine, ocpp_url: str) -> None:
    """TC_043_5_CSMS: full list preset; GetLocalListVersion; Differential with the new tag
    and a higher version Accepted. A version not above the current is refused unsent."""
    cp = await booted(ocpp_url, "CP-0435")
    await operate(engine, cp, "CP-0435", FULL_LIST, {"status": "Accepted"})
    _call, current = await operate(
        engine, cp, "CP-0435", c.GetLocalListVersion(), {"listVersion": 1}
    )
    assert current == c.LocalListVersionResult(1)

    stale = c.SendLocalList(
        1, c.UpdateType.DIFFERENTIAL, (c.AuthorizationEntry("TAG-3", "Accepted"),)
    )
    with pytest.raises(InvalidInput, match="version"):
        await engine.services.commands.send("CP-0435", stale)
    await nothing_sent(cp)

    update = c.SendLocalList(
        2, c.UpdateType.DIFFERENTIAL, (c.AuthorizationEntry("TAG-3", "Accepted"),)
    )
    call, _result = await operate(engine, cp, "CP-0435", update, {"status": "Accepted"})
    assert call[3] == {
        "listVersion": 2,
        "updateType": "Differential",
        "localAuthorizationList": [{"idTag": "TAG-3", "idTagInfo": {"status": "Accepted"}}],
    }
    assert (await engine.services.stations.get("CP-0435")).local_list_version == 2
    await cp.close()


# ---- 3.15 firmware --------------------------------------------------------------------------


async def _update_firmware(engine: Engine, station_id: str, ocpp_url: str) -> None:
    cp = await booted(ocpp_url, station_id)
    retrieve = ahead(0)
    call, result = await operate(
        engine, cp, station_id, c.UpdateFirmware("ftp://files.example/fw.bin", retrieve), {}
    )
    assert call[2] == "UpdateFirmware"
    assert call[3]["location"] == "ftp://files.example/fw.bin"
    assert call[3]["retrieveDate"].startswith(iso(retrieve)[:-1])
    assert result == c.FirmwareResult()
    await cp.close()


async def _firmware_status(cp_url: str, station_id: str, *states: str) -> None:
    cp = await RawCharger.connect(cp_url, station_id)
    for state in states:
        assert await cp.ok("FirmwareStatusNotification", {"status": state}) == {}
    await cp.close()


async def test_tc_044_1_firmware_update_download_and_install(engine: Engine, ocpp_url: str) -> None:
    """TC_044_1_CSMS: UpdateFirmware; Downloading, Downloaded, Unavailable, Installing;
    reboot Accepted; Available; Installed."""
    await _update_firmware(engine, "CP-0441", ocpp_url)
    cp = await booted(ocpp_url, "CP-0441", connectors=0)
    for state in ("Downloading", "Downloaded"):
        assert await cp.ok("FirmwareStatusNotification", {"status": state}) == {}
    await status(cp, 0, "Unavailable")
    assert await cp.ok("FirmwareStatusNotification", {"status": "Installing"}) == {}
    await cp.close()
    cp = await booted(ocpp_url, "CP-0441")
    assert await cp.ok("FirmwareStatusNotification", {"status": "Installed"}) == {}
    await cp.close()
    assert (await engine.services.stations.get("CP-0441")).firmware_status == "Installed"


async def test_tc_044_2_firmware_update_download_failed(engine: Engine, ocpp_url: str) -> None:
    """TC_044_2_CSMS: UpdateFirmware; Downloading then DownloadFailed acked and shown."""
    await _update_firmware(engine, "CP-0442", ocpp_url)
    await _firmware_status(ocpp_url, "CP-0442", "Downloading", "DownloadFailed")
    assert (await engine.services.stations.get("CP-0442")).firmware_status == "DownloadFailed"


async def test_tc_044_3_firmware_update_installation_failed(engine: Engine, ocpp_url: str) -> None:
    """TC_044_3_CSMS: install, reboot Accepted, then InstallationFailed acked and shown."""
    await _update_firmware(engine, "CP-0443", ocpp_url)
    await _firmware_status(ocpp_url, "CP-0443", "Downloading", "Downloaded", "Installing")
    cp = await booted(ocpp_url, "CP-0443")
    assert await cp.ok("FirmwareStatusNotification", {"status": "InstallationFailed"}) == {}
    await cp.close()
    station = await engine.services.stations.get("CP-0443")
    assert station.firmware_status == "InstallationFailed"


# ---- 3.16 diagnostics -----------------------------------------------------------------------


async def _get_diagnostics(engine: Engine, ocpp_url: str, station_id: str, end: str) -> None:
    cp = await booted(ocpp_url, station_id)
    command = c.GetDiagnostics(
        "ftp://logs.example/", retries=2, retry_interval=30, start_time=ago(60), stop_time=ago(0)
    )
    call, result = await operate(engine, cp, station_id, command, {"fileName": "diag.zip"})
    assert call[2] == "GetDiagnostics"
    assert set(call[3]) == {"location", "retries", "retryInterval", "startTime", "stopTime"}
    assert result == c.DiagnosticsResult("diag.zip")
    assert (await last_command(engine, station_id)).response == {"fileName": "diag.zip"}
    for state in ("Uploading", end):
        assert await cp.ok("DiagnosticsStatusNotification", {"status": state}) == {}
    await cp.close()
    assert (await engine.services.stations.get(station_id)).diagnostics_status == end


async def test_tc_045_1_get_diagnostics(engine: Engine, ocpp_url: str) -> None:
    """TC_045_1_CSMS: GetDiagnostics answered with a fileName; Uploading, Uploaded acked."""
    await _get_diagnostics(engine, ocpp_url, "CP-0451", "Uploaded")


async def test_tc_045_2_get_diagnostics_upload_failed(engine: Engine, ocpp_url: str) -> None:
    """TC_045_2_CSMS: the same ending in UploadFailed, acked and shown."""
    await _get_diagnostics(engine, ocpp_url, "CP-0452", "UploadFailed")


# ---- 3.18 remote trigger --------------------------------------------------------------------


async def test_tc_054_trigger_message(engine: Engine, ocpp_url: str) -> None:
    """TC_054_CSMS: each triggerable message is requested, Accepted, and then acked."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, "CP-054")
    triggered: list[tuple[c.TriggerMessage, str, dict[str, Any]]] = [
        (
            c.TriggerMessage(c.TriggerableMessage.METER_VALUES, 1),
            "MeterValues",
            {
                "connectorId": 1,
                "meterValue": [{"timestamp": iso(ago(0)), "sampledValue": [{"value": "10"}]}],
            },
        ),
        (c.TriggerMessage(c.TriggerableMessage.HEARTBEAT), "Heartbeat", {}),
        (
            c.TriggerMessage(c.TriggerableMessage.STATUS_NOTIFICATION, 1),
            "StatusNotification",
            {"connectorId": 1, "status": "Available", "errorCode": "NoError"},
        ),
        (
            c.TriggerMessage(c.TriggerableMessage.DIAGNOSTICS_STATUS_NOTIFICATION),
            "DiagnosticsStatusNotification",
            {"status": "Idle"},
        ),
        (
            c.TriggerMessage(c.TriggerableMessage.FIRMWARE_STATUS_NOTIFICATION),
            "FirmwareStatusNotification",
            {"status": "Idle"},
        ),
    ]
    for command, action, payload in triggered:
        call, result = await operate(engine, cp, "CP-054", command, {"status": "Accepted"})
        expected: dict[str, Any] = {"requestedMessage": action}
        if command.connector_id is not None:
            expected["connectorId"] = command.connector_id
        assert call[2:] == ["TriggerMessage", expected]
        assert result == c.StatusResult("Accepted")
        answer = await cp.ok(action, payload)
        assert ("currentTime" in answer) == (action == "Heartbeat")
    await cp.close()
    station = await engine.services.stations.get("CP-054")
    assert (station.diagnostics_status, station.firmware_status) == ("Idle", "Idle")


async def test_tc_054_trigger_firmware_status_not_implemented(
    engine: Engine, ocpp_url: str
) -> None:
    """TC_054_CSMS: FirmwareStatusNotification trigger answered NotImplemented: 'unsupported'."""
    cp = await booted(ocpp_url, "CP-054B")
    _call, error = await operate_refused(
        engine,
        cp,
        "CP-054B",
        c.TriggerMessage(c.TriggerableMessage.FIRMWARE_STATUS_NOTIFICATION),
        {"status": "NotImplemented"},
        NotSupportedByStation,
    )
    assert isinstance(error, NotSupportedByStation)
    assert error.status == "NotImplemented"
    await cp.close()


async def test_tc_055_trigger_message_rejected(engine: Engine, ocpp_url: str) -> None:
    """TC_055_CSMS: TriggerMessage(MeterValues) answered Rejected: a named error, logged."""
    cp = await booted(ocpp_url, "CP-055")
    _call, error = await operate_refused(
        engine,
        cp,
        "CP-055",
        c.TriggerMessage(c.TriggerableMessage.METER_VALUES, 1),
        {"status": "Rejected"},
        CommandRejected,
    )
    assert not isinstance(error, NotSupportedByStation)
    records = await SqlCommandLog(engine.db).recent(station_id="CP-055")
    assert [(r.action, r.outcome) for r in records] == [("TriggerMessage", "rejected")]
    await cp.close()
