"""OCPP 1.6 OCTT central-system cases, core profile, charger-initiated (checklist 3.1–3.3,
3.8, 3.11, 3.12, 3.20). The core operations the central system sends (3.3 TC_061,
3.5–3.7, 3.13) are in test_conformance_core_operations.

Each test plays the charger's side of one case frame by frame and asserts what
the central system answered and what it stored.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.bootstrap import Engine
from app.domain.model import ConnectorStatus, IdTagStatus, TransactionState
from app.store.schema import data_transfers
from tests.fakes.raw_charger import RawCharger
from tests.integration.ocpp16_steps import (
    add_tag,
    ago,
    ahead,
    authorize,
    booted,
    connector_status,
    events_of,
    start,
    status,
    stop,
)

# ---- 3.1 cold boot -------------------------------------------------------------------


async def test_tc_001_cold_boot(engine: Engine, ocpp_url: str) -> None:
    """TC_001_CSMS: boot Accepted with interval and currentTime; statuses and heartbeat acked."""
    cp = await RawCharger.connect(ocpp_url, "CP-001")
    boot = await cp.boot()
    assert boot["status"] == "Accepted"
    assert boot["interval"] == engine.settings.heartbeat_interval > 0
    assert boot["currentTime"].endswith("Z")
    assert abs(datetime.fromisoformat(boot["currentTime"]) - datetime.now(UTC)).total_seconds() < 5
    for connector in (0, 1, 2):
        await status(cp, connector, "Available")
    beat = await cp.ok("Heartbeat", {})
    assert beat["currentTime"].endswith("Z")
    await cp.close()

    station = await engine.services.stations.get("CP-001")
    assert station.boot is not None
    assert (station.boot.vendor, station.boot.firmware_version) == ("TestVendor", "1.0.0")
    assert station.heartbeat_interval == engine.settings.heartbeat_interval
    connectors = await engine.services.stations.connectors("CP-001")
    assert [(s.connector_id, s.status) for s in connectors] == [
        (0, ConnectorStatus.AVAILABLE),
        (1, ConnectorStatus.AVAILABLE),
        (2, ConnectorStatus.AVAILABLE),
    ]


# ---- 3.2 regular charging session ----------------------------------------------------


async def test_tc_003_regular_charging_session_plugin_first(engine: Engine, ocpp_url: str) -> None:
    """TC_003_CSMS: Preparing, Authorize Accepted, StartTransaction with id, Charging."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, "CP-003")
    await status(cp, 1, "Preparing")
    assert (await authorize(cp, "TAG-OK"))["status"] == "Accepted"
    answer = await start(cp, "TAG-OK", meter=100)
    assert answer["idTagInfo"]["status"] == "Accepted"
    await status(cp, 1, "Charging")
    await cp.close()

    tx = await engine.services.transactions.get(answer["transactionId"])
    assert tx is not None
    assert (tx.station_id, tx.connector_id, tx.id_tag) == ("CP-003", 1, "TAG-OK")
    assert tx.state is TransactionState.OPEN
    assert tx.meter_start == 100
    assert await connector_status(engine, "CP-003", 1) is ConnectorStatus.CHARGING


async def test_tc_004_1_regular_charging_session_identification_first(
    engine: Engine, ocpp_url: str
) -> None:
    """TC_004_1_CSMS: Authorize Accepted, Preparing, StartTransaction Accepted, Charging."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, "CP-0041")
    assert (await authorize(cp, "TAG-OK"))["status"] == "Accepted"
    await status(cp, 1, "Preparing")
    answer = await start(cp, "TAG-OK")
    assert answer["idTagInfo"]["status"] == "Accepted"
    await status(cp, 1, "Charging")
    await cp.close()
    open_txs = await engine.services.transactions.find(station_id="CP-0041", open_only=True)
    assert [t.id for t in open_txs] == [answer["transactionId"]]


async def test_tc_004_2_identification_first_connection_timeout(
    engine: Engine, ocpp_url: str
) -> None:
    """TC_004_2_CSMS: Authorize, Preparing, back to Available without a start: no transaction."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, "CP-0042")
    assert (await authorize(cp, "TAG-OK"))["status"] == "Accepted"
    await status(cp, 1, "Preparing")
    await status(cp, 1, "Available")
    await cp.close()
    assert await engine.services.transactions.find(station_id="CP-0042") == []
    assert await connector_status(engine, "CP-0042", 1) is ConnectorStatus.AVAILABLE


async def test_tc_005_1_ev_side_disconnected(engine: Engine, ocpp_url: str) -> None:
    """TC_005_1_CSMS: SuspendedEV, StopTransaction(EVDisconnected) acked, Finishing, Available."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, "CP-0051")
    await status(cp, 1, "Preparing")
    tx_id = (await start(cp, "TAG-OK", meter=0, at=ago(30)))["transactionId"]
    await status(cp, 1, "Charging")
    await status(cp, 1, "SuspendedEV")
    stopped_at = ago(0)
    answer = await stop(cp, tx_id, meter=7400, at=stopped_at, reason="EVDisconnected")
    assert answer == {}  # no idTag in the request, so no idTagInfo in the answer
    await status(cp, 1, "Finishing")
    await status(cp, 1, "Available")
    await cp.close()

    tx = await engine.services.transactions.get(tx_id)
    assert tx is not None
    assert tx.state is TransactionState.CLOSED
    assert (tx.stop_reason, tx.meter_stop, tx.stopped_at) == ("EVDisconnected", 7400, stopped_at)
    assert tx.energy_wh == 7400


# ---- 3.3 cache -----------------------------------------------------------------------


async def test_tc_007_start_with_cached_id_is_validated(engine: Engine, ocpp_url: str) -> None:
    """TC_007_CSMS: StartTransaction without Authorize gets an id; the tag is still checked."""
    await add_tag(engine, "TAG-OK")
    await add_tag(engine, "TAG-BLOCKED", IdTagStatus.BLOCKED)
    cp = await booted(ocpp_url, "CP-007", connectors=2)
    await status(cp, 1, "Preparing")
    ok = await start(cp, "TAG-OK", connector=1)
    assert ok["idTagInfo"]["status"] == "Accepted"
    await status(cp, 1, "Charging")
    # The charger's cache said yes, the central system knows better.
    refused = await start(cp, "TAG-BLOCKED", connector=2)
    assert refused["idTagInfo"]["status"] == "Blocked"
    assert refused["transactionId"] != ok["transactionId"]
    await cp.close()
    tx = await engine.services.transactions.get(refused["transactionId"])
    assert tx is not None
    assert tx.id_tag_status is IdTagStatus.BLOCKED


# ---- 3.8 basic actions, non-happy ----------------------------------------------------


async def test_tc_023_1_authorize_invalid(engine: Engine, ocpp_url: str) -> None:
    """TC_023_1_CSMS: Authorize with an unknown tag answered Invalid."""
    cp = await booted(ocpp_url, "CP-0231")
    assert await authorize(cp, "NOBODY") == {"status": "Invalid"}
    await cp.close()


async def test_tc_023_2_authorize_expired(engine: Engine, ocpp_url: str) -> None:
    """TC_023_2_CSMS: Authorize with an expired tag answered Expired."""
    await add_tag(engine, "TAG-OLD", expiry=ago(60))
    cp = await booted(ocpp_url, "CP-0232")
    info = await authorize(cp, "TAG-OLD")
    assert info["status"] == "Expired"
    await cp.close()


async def test_tc_023_2_authorize_not_yet_expired(engine: Engine, ocpp_url: str) -> None:
    """TC_023_2_CSMS (counter-check): a tag whose expiry is still ahead is Accepted with it."""
    await add_tag(engine, "TAG-LATER", expiry=ahead(60))
    cp = await booted(ocpp_url, "CP-0232B")
    info = await authorize(cp, "TAG-LATER")
    assert info["status"] == "Accepted"
    assert info["expiryDate"].endswith("Z")
    await cp.close()


async def test_tc_023_3_authorize_blocked(engine: Engine, ocpp_url: str) -> None:
    """TC_023_3_CSMS: Authorize with a blocked tag answered Blocked."""
    await add_tag(engine, "TAG-BLOCKED", IdTagStatus.BLOCKED)
    cp = await booted(ocpp_url, "CP-0233")
    assert (await authorize(cp, "TAG-BLOCKED"))["status"] == "Blocked"
    await cp.close()


async def test_tc_024_start_charging_session_lock_failure(engine: Engine, ocpp_url: str) -> None:
    """TC_024_CSMS: after Authorize, Preparing then Faulted/ConnectorLockFailure: acked, shown."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, "CP-024")
    assert (await authorize(cp, "TAG-OK"))["status"] == "Accepted"
    await status(cp, 1, "Preparing")
    await status(cp, 1, "Faulted", "ConnectorLockFailure", info="lock stuck")
    await cp.close()
    assert await connector_status(engine, "CP-024", 1) is ConnectorStatus.FAULTED
    faults = await events_of(engine, "CP-024", "connector.fault")
    assert len(faults) == 1
    assert faults[0].data["error_code"] == "ConnectorLockFailure"
    assert await engine.services.transactions.find(station_id="CP-024") == []


# ---- 3.11 power failure --------------------------------------------------------------


async def test_tc_032_1_power_failure_stops_transaction(engine: Engine, ocpp_url: str) -> None:
    """TC_032_1_CSMS: link drops while charging; after reboot StopTransaction(PowerLoss)."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, "CP-0321")
    await status(cp, 1, "Preparing")
    started_at = ago(20)
    tx_id = (await start(cp, "TAG-OK", meter=0, at=started_at))["transactionId"]
    await status(cp, 1, "Charging")
    await cp.close()  # power gone

    cp = await RawCharger.connect(ocpp_url, "CP-0321")
    assert (await cp.boot())["status"] == "Accepted"
    await status(cp, 0, "Available")
    await status(cp, 1, "Finishing")
    lost_at = ago(5)
    assert await stop(cp, tx_id, meter=3300, at=lost_at, reason="PowerLoss") == {}
    await status(cp, 1, "Available")
    await cp.close()

    tx = await engine.services.transactions.get(tx_id)
    assert tx is not None
    assert tx.state is TransactionState.CLOSED
    assert (tx.started_at, tx.stopped_at, tx.meter_stop) == (started_at, lost_at, 3300)
    assert (tx.stop_reason, tx.closed_by) == ("PowerLoss", "station")


# ---- 3.12 offline --------------------------------------------------------------------


async def test_tc_037_1_offline_start_transaction_valid_id(engine: Engine, ocpp_url: str) -> None:
    """TC_037_1_CSMS: a queued StartTransaction with a past time gets an id; Charging."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, "CP-0371")
    then = ago(45)
    answer = await start(cp, "TAG-OK", meter=250, at=then)
    assert answer["idTagInfo"]["status"] == "Accepted"
    await status(cp, 1, "Charging")
    await cp.close()
    tx = await engine.services.transactions.get(answer["transactionId"])
    assert tx is not None
    assert (tx.started_at, tx.meter_start, tx.state) == (then, 250, TransactionState.OPEN)


async def test_tc_037_3_offline_start_transaction_invalid_id(engine: Engine, ocpp_url: str) -> None:
    """TC_037_3_CSMS: a queued start with an unknown tag still gets an id (Invalid);
    StopTransaction(DeAuthorized) is acked and closes it with the charger's times."""
    cp = await booted(ocpp_url, "CP-0373")
    started_at, stopped_at = ago(30), ago(29)
    answer = await start(cp, "STRANGER", meter=10, at=started_at)
    assert answer["idTagInfo"] == {"status": "Invalid"}
    tx_id = answer["transactionId"]
    await status(cp, 1, "Charging")
    assert await stop(cp, tx_id, meter=15, at=stopped_at, reason="DeAuthorized") == {}
    await status(cp, 1, "Finishing")
    await cp.close()
    tx = await engine.services.transactions.get(tx_id)
    assert tx is not None
    assert tx.id_tag_status is IdTagStatus.INVALID
    assert tx.state is TransactionState.CLOSED
    assert (tx.started_at, tx.stopped_at) == (started_at, stopped_at)
    assert (tx.stop_reason, tx.energy_wh) == ("DeAuthorized", 5)


async def test_tc_039_offline_transaction(engine: Engine, ocpp_url: str) -> None:
    """TC_039_CSMS: queued start and stop (Local, past times) make one historical session."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, "CP-039")
    started_at, stopped_at = ago(120), ago(60)
    tx_id = (await start(cp, "TAG-OK", meter=1000, at=started_at))["transactionId"]
    answer = await stop(
        cp,
        tx_id,
        meter=12000,
        at=stopped_at,
        reason="Local",
        idTag="TAG-OK",
        transactionData=[
            {
                "timestamp": (ago(90)).isoformat(),
                "sampledValue": [{"value": "6000", "context": "Sample.Periodic"}],
            }
        ],
    )
    assert answer == {"idTagInfo": {"status": "Accepted"}}
    await cp.close()
    tx = await engine.services.transactions.get(tx_id)
    assert tx is not None
    assert (tx.started_at, tx.stopped_at, tx.stop_reason) == (started_at, stopped_at, "Local")
    assert (tx.state, tx.energy_wh, tx.stop_id_tag) == (TransactionState.CLOSED, 11000, "TAG-OK")
    samples = await engine.services.transactions.samples(tx_id)
    assert [(s.value, s.context) for s in samples] == [(6000.0, "Sample.Periodic")]


# ---- 3.20 data transfer --------------------------------------------------------------


async def test_tc_064_data_transfer_to_central_system(engine: Engine, ocpp_url: str) -> None:
    """TC_064_CSMS: DataTransfer with an unknown vendor answered UnknownVendorId, and kept."""
    cp = await booted(ocpp_url, "CP-064")
    answer = await cp.ok(
        "DataTransfer", {"vendorId": "com.unknown.vendor", "messageId": "Hello", "data": "x"}
    )
    assert answer == {"status": "UnknownVendorId"}
    await cp.close()
    rows = await engine.db.read(
        lambda conn: conn.execute(
            select(data_transfers.c.vendor_id, data_transfers.c.message_id, data_transfers.c.status)
        ).all()
    )
    assert [tuple(r) for r in rows] == [("com.unknown.vendor", "Hello", "UnknownVendorId")]
