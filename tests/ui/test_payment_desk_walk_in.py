"""Pay before charging at the desk: a walk-in's card is held on the simulated reader,
the bay starts, the live price shows, and at the stop the real price is taken, with
its receipt. A real engine, a simulated charger whose clock the test moves, the real
stripe SDK against the Stripe stand-in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot

from app.domain.model import ConnectorStatus
from app.domain.preauth import PreAuthPhase
from app.services.container import Services
from app.sim import Vehicle
from app.ui.dialogs.preauth_start import PreAuthStartDialog, free_bays
from app.ui.main_window import MainWindow
from app.ui.views.payment_desk import PaymentDeskView
from app.ui.views.payment_desk_display import Shown
from tests.fakes.threaded_charger import ThreadedCharger
from tests.ui.drivers_support import WAIT_MS, call
from tests.ui.test_payment_desk import (
    WALK_IN,
    open_desk,
    settings,
    shoot,
    shown,
    stripe_key,
    stripe_standin,
)

__all__ = ["settings", "stripe_key", "stripe_standin"]

CAR = Vehicle(battery_wh=100_000, max_ac_w=11_000, max_dc_w=50_000)


class SimClock:
    """The charger's clock, hours back and moved by the test: energy follows it."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC) - timedelta(hours=3)

    def __call__(self) -> datetime:
        return self.now


def the_phase(dialog: PreAuthStartDialog) -> PreAuthPhase | None:
    return None if dialog.preauth is None else dialog.preauth.phase


def free_bay_seen(window: MainWindow, station_id: str) -> bool:
    return any(r.station_id == station_id for r in free_bays(window.overview.bays()))


def test_a_walk_in_pays_before_charging_from_hold_to_receipt(
    window: MainWindow,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
) -> None:
    host = window.host
    call(host, lambda s: s.tariffs.create(WALK_IN))
    tariff = call(host, lambda s: s.tariffs.list())[0]
    call(host, lambda s: s.tariffs.assign(tariff.id))
    view: PaymentDeskView = open_desk(window, qtbot)
    reader = view.availability().reader_id
    assert reader is not None

    async def use(s: Services) -> None:
        s.preauth.use_reader(reader)

    call(host, use)
    clock = SimClock()
    charger = charger_factory("CP-WALK", connectors=1, clock=clock, seed=1, operation_delay=0.0)
    charger.do(lambda c: c.plug_in(1, CAR, soc=0.2))
    qtbot.waitUntil(lambda: free_bay_seen(window, "CP-WALK"), timeout=WAIT_MS)

    dialog = view.preauth_box.start()
    assert dialog.bay.currentText() == "CP-WALK, bay 1"
    assert dialog.hold.text() == "300.00", "the hold from the settings"
    dialog.hold.setText("150")
    assert dialog.start_button.isEnabled()
    dialog.start_button.click()
    qtbot.waitUntil(lambda: the_phase(dialog) is PreAuthPhase.WAITING_CARD, timeout=WAIT_MS)
    assert shown(view) is Shown.HOLD
    assert view.feed.current.amount == "150.00 SEK"
    assert dialog.approve_button.isVisible()
    shoot(dialog, "preauth_waiting.png")

    dialog.approve_button.click()
    qtbot.waitUntil(lambda: the_phase(dialog) is PreAuthPhase.CHARGING, timeout=WAIT_MS)
    assert charger.charger.status(1) == ConnectorStatus.CHARGING.value
    clock.now += timedelta(minutes=10)
    charger.do(lambda c: c.send_meter_values(1))
    qtbot.waitUntil(
        lambda: dialog.preauth is not None and (dialog.preauth.live_price_minor or 0) > 0,
        timeout=WAIT_MS,
    )
    assert "so far" in dialog.steps.text()
    assert shown(view) is Shown.CHARGING
    qtbot.waitUntil(lambda: view.preauth_box.active.count() == 1, timeout=WAIT_MS)
    shoot(dialog, "preauth_charging.png")

    charger.do(lambda c: c.stop_transaction(1))
    qtbot.waitUntil(lambda: the_phase(dialog) is PreAuthPhase.CAPTURED, timeout=WAIT_MS)
    assert dialog.preauth is not None
    assert dialog.preauth.receipt_number is not None
    assert 0 < (dialog.preauth.captured_minor or 0) <= 15_000
    assert shown(view) is Shown.PAID
    assert dialog.receipt_button.isVisible()
    assert "✔ Price taken from the card" in dialog.steps.text()
    assert f"Receipt no. {dialog.preauth.receipt_number}" in dialog.steps.text()
    shoot(dialog, "preauth_captured.png")
    dialog.receipt_button.click()
    qtbot.waitUntil(lambda: view.receipt_dialog is not None, timeout=WAIT_MS)
    assert view.receipt_dialog is not None
    assert view.receipt_dialog.receipt.number == dialog.preauth.receipt_number
    view.receipt_dialog.close()
    qtbot.waitUntil(lambda: view.preauth_box.active.count() == 0, timeout=WAIT_MS)
    dialog.close()
