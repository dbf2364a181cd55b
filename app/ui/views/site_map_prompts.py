"""What the site map asks the operator: a file, a site's name and level, a confirmation.

Each is a plain function the view holds as an attribute, so tests replace it
and no modal dialog ever blocks a test run.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QWidget,
)

ChooseFile = Callable[[QWidget], str | None]
AskSite = Callable[[QWidget, str, str, str], tuple[str, str] | None]
Confirm = Callable[[QWidget, str, str], bool]


def _tr(text: str) -> str:
    return QCoreApplication.translate("SiteMap", text)


def choose_floor_plan_file(parent: QWidget) -> str | None:
    path, _ = QFileDialog.getOpenFileName(
        parent, _tr("Import floor plan"), "", _tr("Floor plans (*.png *.svg)")
    )
    return path or None


def ask_site_details(parent: QWidget, title: str, name: str, level: str) -> tuple[str, str] | None:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    form = QFormLayout(dialog)
    name_edit = QLineEdit(name, dialog)
    name_edit.setPlaceholderText(_tr("e.g. Depot North"))
    level_edit = QLineEdit(level, dialog)
    level_edit.setPlaceholderText(_tr("optional, e.g. Level 2"))
    form.addRow(_tr("Site name:"), name_edit)
    form.addRow(_tr("Level:"), level_edit)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return name_edit.text(), level_edit.text()


def confirm(parent: QWidget, title: str, question: str) -> bool:
    answer = QMessageBox.question(parent, title, question)
    return answer == QMessageBox.StandardButton.Yes
