"""Terminal mode: the customer's screen shows what the desk says, and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.ui.views.customer_display import CustomerDisplay, second_screen, show_customer_display
from app.ui.views.payment_desk_display import CustomerFeed, Shown
from tests.ui.shots import SHOTS

URL = "https://checkout.stripe.com/c/pay/cs_test_a1b2c3"


def opened(qtbot: QtBot) -> tuple[CustomerFeed, CustomerDisplay]:
    feed = CustomerFeed()
    display = CustomerDisplay(feed)
    qtbot.addWidget(display)
    display.resize(900, 700)
    display.show()
    return feed, display


def test_the_amount_then_the_instruction_then_the_result(qtbot: QtBot) -> None:
    feed, display = opened(qtbot)
    assert display.headline.text() == "Welcome"
    assert not display.amount.isVisible()

    feed.show(Shown.AMOUNT, "123.45 SEK")
    assert (display.headline.text(), display.amount.text()) == ("Amount to pay", "123.45 SEK")
    assert display.amount.isVisible()
    feed.show(Shown.CARD, "123.45 SEK")
    assert display.headline.text() == "Tap your card on the reader"
    feed.show(Shown.DECLINED, "123.45 SEK", detail="Declined: insufficient funds")
    assert display.headline.text() == "Declined — try another card"
    assert display.detail.text() == "Declined: insufficient funds"
    feed.show(Shown.PAID, "123.45 SEK", detail="Change: 6.55 SEK")
    assert display.headline.text() == "Paid — thank you"
    assert display.detail.text() == "Change: 6.55 SEK"
    display.grab().save(str(SHOTS / "customer_display_change.png"))


def test_a_qr_payment_shows_the_code_to_scan_and_its_expiry(qtbot: QtBot) -> None:
    feed, display = opened(qtbot)
    expires = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)
    feed.show(Shown.QR, "45.00 SEK", qr_url=URL, expires_at=expires)
    assert display.headline.text() == "Scan to pay"
    assert display.code.isVisible()
    assert display.code.pixmap().width() >= 360
    local = expires.astimezone().strftime("%H:%M")
    assert local in display.detail.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    display.grab().save(str(SHOTS / "customer_display_qr.png"))

    feed.show(Shown.PAID, "45.00 SEK")
    assert not display.code.isVisible()


def test_with_one_screen_it_opens_as_a_window_and_esc_leaves_full_screen(
    qtbot: QtBot,
) -> None:
    assert second_screen() is None, "the offscreen platform has one screen"
    feed = CustomerFeed()
    host = CustomerDisplay(CustomerFeed())  # any widget to own the display
    qtbot.addWidget(host)
    display = show_customer_display(host, feed)
    assert display.isVisible()
    assert not display.isFullScreen()
    assert show_customer_display(host, feed) is display, "one display per window"

    display.showFullScreen()
    qtbot.waitUntil(display.isFullScreen)
    QTest.keyClick(display, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not display.isFullScreen())
