import asyncio
from datetime import UTC, datetime

from app.sim.outbox import Outbox, OutgoingMessage, resolve_transaction_id

NOW = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


def message(action: str, **payload: object) -> OutgoingMessage:
    return OutgoingMessage(action, dict(payload), NOW)


def test_placeholder_ids_are_rewritten() -> None:
    real = {-1: 1001}
    assert resolve_transaction_id({"transaction_id": -1, "x": 1}, real) == {
        "transaction_id": 1001,
        "x": 1,
    }
    assert resolve_transaction_id({"transaction_id": 7}, real) == {"transaction_id": 7}
    assert resolve_transaction_id({"connector_id": 1}, real) == {"connector_id": 1}
    assert resolve_transaction_id({"transaction_id": -2}, real) is None


async def test_offline_only_transaction_messages_are_kept_in_order() -> None:
    outbox = Outbox()
    status = message("StatusNotification", connector_id=1)
    start = message("StartTransaction", connector_id=1)
    values = message("MeterValues", connector_id=1, transaction_id=-1)
    stop = message("StopTransaction", transaction_id=-1)
    for item in (start, status, values, stop):
        outbox.put(item, online=False)
    assert [m.action for m in outbox.messages()] == [
        "StartTransaction",
        "MeterValues",
        "StopTransaction",
    ]
    assert status.result.done()
    assert status.result.result() is None


async def test_transient_messages_are_dropped_on_disconnect() -> None:
    outbox = Outbox()
    outbox.put(message("StatusNotification"), online=True)
    outbox.put(message("MeterValues"), online=True)
    outbox.drop_transient()
    assert [m.action for m in outbox.messages()] == ["MeterValues"]


async def test_head_waits_and_done_settles() -> None:
    outbox = Outbox()
    waiter = asyncio.create_task(outbox.head())
    await asyncio.sleep(0)
    assert not waiter.done()
    first = message("StartTransaction")
    outbox.put(first, online=True)
    assert await waiter is first
    outbox.put_first([message("StatusNotification")])
    assert (await outbox.head()).action == "StatusNotification"
    outbox.done(outbox.messages()[0], {})
    outbox.done(first, {"transactionId": 5})
    assert first.result.result() == {"transactionId": 5}
    await asyncio.wait_for(outbox.wait_empty(), 1)
