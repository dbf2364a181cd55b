"""Confirmation before anything that interrupts a charger or a driver.

A module-level function so tests (and the headless screenshot script) can
replace it; views reach it through `StationPrompts.confirm`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget | None, title: str, question: str, action: str) -> bool:
    """Ask; True only if the operator pressed the button named `action`.

    Cancel is the default button, so a stray Enter never resets a charger.
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(question)
    go = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is go
