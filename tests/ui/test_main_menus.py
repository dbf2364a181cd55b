"""The File menu reaches the payment and database screens; the payments log is a tab."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.qtbot import QtBot

from app.ui.dialogs.backup_restore import BackupRestoreDialog
from app.ui.dialogs.payment_settings import PaymentSettingsDialog
from app.ui.dialogs.settlement import SettlementDialog
from app.ui.main_window import MainWindow
from app.ui.views.payments_log import PaymentsLogView
from app.ui.views.reports import ReportsView

WAIT_MS = 10_000


@pytest.mark.parametrize(
    ("action_name", "dialog_type"),
    [
        ("payment_settings_action", PaymentSettingsDialog),
        ("settlement_action", SettlementDialog),
        ("backups_action", BackupRestoreDialog),
    ],
)
def test_the_file_menu_opens_each_screen(
    window: MainWindow, qtbot: QtBot, action_name: str, dialog_type: type[QWidget]
) -> None:
    action = getattr(window, action_name)
    assert isinstance(action, QAction)
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    assert action in file_menu.actions()
    action.trigger()

    def opened() -> QWidget:
        (dialog,) = [w for w in window.findChildren(dialog_type) if w.isVisible()]
        return dialog

    qtbot.waitUntil(lambda: bool(opened()), timeout=WAIT_MS)
    opened().close()


def test_the_payments_log_is_a_tab_built_when_first_opened(window: MainWindow) -> None:
    assert window.payments_tab.view is None
    window.tabs.setCurrentWidget(window.payments_tab)
    assert isinstance(window.payments, PaymentsLogView)


def test_reports_is_a_tab_built_when_first_opened(window: MainWindow) -> None:
    assert window.reports_tab.view is None
    window.tabs.setCurrentWidget(window.reports_tab)
    assert isinstance(window.reports, ReportsView)
