"""The end-of-day settlement dialog over a real ledger: a day of cash and card payments,
a refund and a void; the report on screen, as A4 PDF (read back with pypdf), printed to
a PDF-format printer, and as CSV in both styles."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.config import Settings, site_zone
from app.domain.payments import PaymentMethod
from app.domain.statements import CsvStyle
from app.ui.dialogs import receipt as receipt_dialog
from app.ui.dialogs import settlement as settlement_dialog
from app.ui.dialogs.settlement import SettlementDialog, open_settlement
from app.ui.engine_host import EngineHost
from app.ui.operations import ensure_delivery
from tests.ui.drivers_support import WAIT_MS, call
from tests.ui.payment_screens_support import (
    ended_walk_in_sessions,
    pay_card,
    pay_cash,
    pdf_page_sizes_mm,
    pdf_text,
    shot,
)

A4_MM = (210.0, 297.0)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(
        settings,
        seller_name="Depot Charging AB",
        site_time_zone="Europe/Stockholm",
        cash_opening_float_minor=20000,
    )


@pytest.fixture
def parent(host: EngineHost, qtbot: QtBot) -> QWidget:
    ensure_delivery()
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def day_of_payments(host: EngineHost) -> None:
    """Three cash payments (one voided, one half refunded) and one card payment."""
    a, b, c, d = ended_walk_in_sessions(host, 4)
    pay_cash(host, a, 5000)
    refunded = pay_cash(host, b, 4640)
    voided = pay_cash(host, c, 10000)
    pay_card(host, d)
    call(host, lambda s: s.payments.refund(refunded.payment.id, 2000, "charger fault", "Mia"))
    call(host, lambda s: s.payments.void_cash(voided.payment.id, "wrong session", "Mia"))


def opened(parent: QWidget, host: EngineHost, qtbot: QtBot) -> SettlementDialog:
    dialog = open_settlement(parent, host)
    qtbot.waitUntil(lambda: dialog.loads >= 1, timeout=WAIT_MS)
    return dialog


@pytest.mark.usefixtures("day_of_payments")
def test_today_s_totals_refunds_voids_and_the_drawer_are_shown(
    host: EngineHost, parent: QWidget, qtbot: QtBot
) -> None:
    dialog = opened(parent, host, qtbot)
    report = dialog.report
    assert report is not None
    taken = {m.method: (m.count, m.amount_minor) for m in report.methods}
    assert taken[PaymentMethod.CASH] == (2, 9280)
    assert taken[PaymentMethod.CARD] == (1, 4640)
    # Float 200.00 + cash 92.80 - refunded 20.00.
    assert report.cash_expected_minor == 20000 + 9280 - 2000
    assert "272.80 SEK" in dialog.expected.text()
    shown = " ".join(dialog.view.toPlainText().split())
    for expected in (
        "End-of-day settlement (Z-report)",
        "Depot Charging AB",
        "Cash 2 92.80 SEK",
        "Card 1 46.40 SEK",
        "Total taken 3 139.20 SEK",
        "Cash 1 -20.00 SEK",
        "Voided cash 1 46.40 SEK",
        "Opening float 200.00 SEK",
        "Cash expected in the drawer 272.80 SEK",
    ):
        assert expected in shown
    dialog.resize(720, 760)
    shot(dialog, "settlement-dialog")


@pytest.mark.usefixtures("day_of_payments")
def test_an_earlier_day_has_nothing_but_the_opening_float(
    host: EngineHost, parent: QWidget, qtbot: QtBot
) -> None:
    dialog = opened(parent, host, qtbot)
    yesterday = dialog.chosen_day() - timedelta(days=1)
    dialog.day.setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
    qtbot.waitUntil(
        lambda: dialog.report is not None and dialog.report.day == yesterday, timeout=WAIT_MS
    )
    assert dialog.report is not None
    assert dialog.report.taken_minor == 0
    assert dialog.report.cash_expected_minor == 20000
    assert "No refunds this day." in dialog.view.toPlainText()


def test_a_future_day_cannot_be_picked(host: EngineHost, parent: QWidget, qtbot: QtBot) -> None:
    dialog = opened(parent, host, qtbot)
    today = datetime.now(UTC).astimezone(site_zone(host.settings)).date()
    dialog.day.setDate(QDate(today.year, today.month, today.day).addDays(3))
    assert dialog.chosen_day() == today


@pytest.mark.usefixtures("day_of_payments")
def test_the_report_saved_as_pdf_is_an_a4_page_with_the_same_figures(
    host: EngineHost,
    parent: QWidget,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "z.pdf"
    monkeypatch.setattr(settlement_dialog, "ask_pdf_path", lambda *_a: target)
    dialog = opened(parent, host, qtbot)
    dialog.pdf_button.click()
    assert dialog.written == target
    ((width, height),) = pdf_page_sizes_mm(target)
    assert width == pytest.approx(A4_MM[0], abs=1)
    assert height == pytest.approx(A4_MM[1], abs=1)
    text = pdf_text(target)
    assert f"Business day {dialog.chosen_day().isoformat()}" in text
    assert "Cash expected in the drawer 272.80 SEK" in text
    assert "Card holds still open 0 0.00 SEK" in text


@pytest.mark.usefixtures("day_of_payments")
def test_print_sends_the_report_to_the_chosen_printer(
    host: EngineHost,
    parent: QWidget,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    printed = tmp_path / "printed.pdf"

    def pdf_printer(_parent: object, prepare: Callable[[QPrinter], None]) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        prepare(printer)
        return printer

    monkeypatch.setattr(receipt_dialog, "ask_printer", pdf_printer)
    dialog = opened(parent, host, qtbot)
    dialog.print_button.click()
    assert dialog.printed == 1
    assert "Total taken 3 139.20 SEK" in pdf_text(printed)


@pytest.mark.usefixtures("day_of_payments")
@pytest.mark.parametrize(("style", "delimiter"), [(CsvStyle.SEMICOLON, ";"), (CsvStyle.COMMA, ",")])
def test_the_report_saved_as_csv_reads_back_in_a_spreadsheet_s_style(
    host: EngineHost,
    parent: QWidget,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    style: CsvStyle,
    delimiter: str,
) -> None:
    target = tmp_path / "z.csv"
    monkeypatch.setattr(settlement_dialog, "ask_csv_path", lambda *_a: (target, style))
    dialog = opened(parent, host, qtbot)
    dialog.csv_button.click()
    assert dialog.written == target
    text = target.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    expected = {r["section"]: r for r in rows if r["method"] == "cash"}
    point = "," if style is CsvStyle.SEMICOLON else "."
    assert expected["cash_expected"]["amount"] == f"272{point}80"
    assert expected["refunds"]["amount"] == f"20{point}00"
    assert expected["voids"]["count"] == "1"
