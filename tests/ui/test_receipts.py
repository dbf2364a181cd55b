"""Receipts on screen, on paper and as PDF: a real ledger on a real engine, the PDF read
back with pypdf; printing goes to a PDF-format printer through the same painter code."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.config import Settings
from app.domain.receipts import Receipt
from app.ui.dialogs import receipt as receipt_dialog
from app.ui.dialogs.receipt import ReceiptDialog, open_receipt_for_payment, show_receipt
from app.ui.engine_host import EngineHost
from app.ui.operations import ensure_delivery
from app.ui.reports.receipt_print import PAPER_WIDTH_MM, write_receipt_pdf
from tests.ui.drivers_support import WAIT_MS, call
from tests.ui.payment_screens_support import (
    ended_walk_in_sessions,
    pay_card,
    pay_cash,
    pdf_page_sizes_mm,
    pdf_text,
    shot,
)

ZONE = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(
        settings,
        seller_name="Depot Charging AB",
        seller_org_number="556677-8899",
        seller_address="Hamnvägen 1\n111 22 Stockholm",
        site_time_zone="Europe/Stockholm",
    )


@pytest.fixture
def parent(host: EngineHost, qtbot: QtBot) -> QWidget:
    ensure_delivery()
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def cash_receipt(host: EngineHost) -> Receipt:
    (tx,) = ended_walk_in_sessions(host, 1)
    return pay_cash(host, tx, 5000).receipt


def test_a_cash_receipt_as_pdf_is_one_roll_wide_page_with_everything_the_driver_needs(
    host: EngineHost, tmp_path: Path, qtbot: QtBot
) -> None:
    receipt = cash_receipt(host)
    path = tmp_path / "receipt.pdf"
    assert write_receipt_pdf(receipt, ZONE, path)
    ((width, height),) = pdf_page_sizes_mm(path)
    assert width == pytest.approx(PAPER_WIDTH_MM, abs=0.5)
    assert PAPER_WIDTH_MM < height < 200, "as tall as the receipt, not an A4 page"
    text = pdf_text(path)
    local_issue = receipt.issued_at.astimezone(ZONE).strftime("%Y-%m-%d %H:%M")
    for expected in (
        "Depot Charging AB",
        "Hamnvägen 1",
        "Org. no. 556677-8899",
        f"Receipt no. {receipt.number}",
        f"Date {local_issue}",
        "Station CP-1",
        "Duration 1 h 00 min",
        "Energy 12.000 kWh",
        "Start fee 5.00 SEK",
        "TOTAL 46.40 SEK",
        "VAT 25 % of 37.12 SEK 9.28 SEK",
        "Paid by Cash",
        "Cash tendered 50.00 SEK",
        "Change 3.60 SEK",
    ):
        assert expected in text


def test_a_card_receipt_shows_the_brand_and_last_four_only(
    host: EngineHost, tmp_path: Path
) -> None:
    (tx,) = ended_walk_in_sessions(host, 1)
    receipt = pay_card(host, tx).receipt
    assert receipt is not None
    path = tmp_path / "card.pdf"
    assert write_receipt_pdf(receipt, ZONE, path)
    text = pdf_text(path)
    assert "Paid by Card VISA **** 4242" in text
    assert "Cash tendered" not in text


def test_the_dialog_shows_the_receipt_text_and_saves_it_as_pdf(
    host: EngineHost,
    parent: QWidget,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    receipt = cash_receipt(host)
    target = tmp_path / "saved.pdf"
    monkeypatch.setattr(receipt_dialog, "ask_pdf_path", lambda *_a: target)
    dialog = show_receipt(parent, host, receipt)
    shown = dialog.text.toPlainText()
    for expected in ("TOTAL", "46.40 SEK", "Depot Charging AB", "Change"):
        assert expected in shown
    shot(dialog, "receipt-dialog")
    dialog.pdf_button.click()
    assert dialog.written == target
    assert f"Receipt no. {receipt.number}" in pdf_text(target)
    assert "Saved the receipt" in dialog.result_label.text()


def test_print_goes_through_the_print_dialog_to_the_printer_on_roll_paper(
    host: EngineHost,
    parent: QWidget,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    receipt = cash_receipt(host)
    printed = tmp_path / "printed.pdf"

    def pdf_printer(_parent: object, prepare: Callable[[QPrinter], None]) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        prepare(printer)
        return printer

    monkeypatch.setattr(receipt_dialog, "ask_printer", pdf_printer)
    dialog = show_receipt(parent, host, receipt)
    dialog.print_button.click()
    assert dialog.printed == 1
    assert "TOTAL 46.40 SEK" in pdf_text(printed)
    ((width, _height),) = pdf_page_sizes_mm(printed)
    assert width == pytest.approx(PAPER_WIDTH_MM, abs=0.5)


def test_a_cancelled_print_dialog_prints_nothing(
    host: EngineHost, parent: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(receipt_dialog, "ask_printer", lambda *_a: None)
    dialog = show_receipt(parent, host, cash_receipt(host))
    dialog.print_button.click()
    assert dialog.printed == 0
    assert not dialog.result_label.isVisibleTo(dialog)


def test_an_email_address_is_kept_with_the_receipt_and_a_wrong_one_is_refused(
    host: EngineHost, parent: QWidget, qtbot: QtBot
) -> None:
    receipt = cash_receipt(host)
    dialog = show_receipt(parent, host, receipt)
    assert not dialog.email_button.isEnabled(), "nothing typed, nothing to keep"
    dialog.email.setText("driver at example")
    assert not dialog.email_button.isEnabled()
    assert "Not an email address" in dialog.result_label.text()
    dialog.email.setText("driver@example.com")
    assert dialog.email_button.isEnabled()
    dialog.email_button.click()
    qtbot.waitUntil(lambda: dialog.receipt.email == "driver@example.com", timeout=WAIT_MS)
    stored = call(host, lambda s: s.payments.receipt(receipt.number))
    assert stored.email == "driver@example.com"
    assert "driver@example.com" in dialog.result_label.text()
    dialog.email.setText("")
    dialog.email_button.click()
    qtbot.waitUntil(lambda: dialog.receipt.email is None, timeout=WAIT_MS)
    assert call(host, lambda s: s.payments.receipt(receipt.number)).email is None


def test_a_payment_s_receipt_is_read_from_the_ledger_and_shown(
    host: EngineHost, parent: QWidget, qtbot: QtBot
) -> None:
    receipt = cash_receipt(host)
    opened: list[ReceiptDialog] = []
    failures: list[str] = []
    open_receipt_for_payment(parent, host, receipt.payment_id, failures.append, opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=WAIT_MS)
    assert opened[0].receipt == receipt
    open_receipt_for_payment(parent, host, 9999, failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    assert "has no receipt" in failures[0] or "9999" in failures[0]
