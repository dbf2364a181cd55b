"""Confirmation before anything that interrupts a charger or a driver.

A module-level function so tests (and the headless screenshot script) can
replace it; views reach it through `StationPrompts.confirm`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(
    parent: QWidget | None, title: str, question: str, action: str, *, destructive: bool = False
) -> bool:
    """Ask; True only if the operator pressed the button named `action`.

    Cancel is the default button, so a stray Enter never resets a charger.
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(question)
    role = (
        QMessageBox.ButtonRole.DestructiveRole if destructive else QMessageBox.ButtonRole.AcceptRole
    )
    go = box.addButton(action, role)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is go
