"""A card blocked while its car charges: the session is stopped, or allowed to finish."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from app.bootstrap import Engine
from app.config import Settings
from app.domain.model import IdTag, IdTagStatus, TransactionState
from app.sim import SimulatedCharger
from tests.fakes.waiting import until
from tests.integration.ocpp16_steps import events_of


@asynccontextmanager
async def charging(
    settings: Settings, stop_on_block: bool
) -> AsyncIterator[tuple[Engine, SimulatedCharger, int]]:
    """An engine, and a charger on which VAN-1 (of driver Anna) is charging."""
    async with Engine(
        settings.with_overrides(stop_on_block=stop_on_block, api_enabled=False)
    ) as engine:
        await engine.services.access.create_driver(
            "Anna", tags=[IdTag("VAN-1", IdTagStatus.ACCEPTED)]
        )
        charger = SimulatedCharger("CP-BLOCK", f"ws://127.0.0.1:{engine.port}/ocpp")
        await charger.connect()
        try:
            await charger.wait_booted()
            transaction_id = await charger.start_transaction(1, "VAN-1")
            yield engine, charger, transaction_id
        finally:
            await charger.close()


async def state_of(engine: Engine, transaction_id: int) -> TransactionState | None:
    tx = await engine.services.transactions.get(transaction_id)
    return tx.state if tx is not None else None


async def test_with_stop_on_block_the_session_is_stopped(settings: Settings) -> None:
    async with charging(settings, stop_on_block=True) as (engine, charger, tx_id):
        await engine.services.tags.block("VAN-1")
        await engine.services.blocked_sessions.wait_idle()
        await until(lambda: charger.transaction_id(1) is None)
        await until(lambda: _closed(engine, tx_id))
        tx = await engine.services.transactions.get(tx_id)
        assert tx is not None
        assert tx.stop_reason == "Remote"
        (stopped,) = await events_of(engine, "CP-BLOCK", "access.session_stopped")
        assert f"Transaction {tx_id} on CP-BLOCK connector 1 stopped" in stopped.message


async def test_without_stop_on_block_the_session_finishes_and_the_desk_is_told(
    settings: Settings,
) -> None:
    async with charging(settings, stop_on_block=False) as (engine, charger, tx_id):
        await engine.services.tags.block("VAN-1")
        await engine.services.blocked_sessions.wait_idle()
        (told,) = await events_of(engine, "CP-BLOCK", "access.blocked_while_charging")
        assert "allowed to finish" in told.message
        assert await state_of(engine, tx_id) is TransactionState.OPEN
        assert charger.transaction_id(1) == tx_id
        assert not await engine.services.commands.history(station_id="CP-BLOCK")


async def test_deactivating_a_driver_stops_their_sessions(settings: Settings) -> None:
    async with charging(settings, stop_on_block=True) as (engine, _charger, tx_id):
        (anna,) = await engine.services.access.drivers("Anna")
        await engine.services.access.deactivate_driver(anna.driver.id)
        await engine.services.blocked_sessions.wait_idle()
        await until(lambda: _closed(engine, tx_id))


async def _closed(engine: Engine, transaction_id: int) -> bool:
    return await state_of(engine, transaction_id) is TransactionState.CLOSED
