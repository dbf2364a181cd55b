"""A driver chosen by typing part of their name or fleet: a searchable combo box."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from app.domain.access import DriverCard


def _tr(text: str) -> str:
    return QCoreApplication.translate("DriverHistory", text)


def driver_label(card: DriverCard) -> str:
    """ "Anna Berg — Acme Vans", "(inactive)" after a driver who may no longer charge."""
    label = card.driver.name
    if card.fleet_name:
        label = f"{label} — {card.fleet_name}"
    if not card.driver.active:
        label = _tr("{driver} (inactive)").format(driver=label)
    return label


class DriverPicker(QComboBox):
    """Editable only to search: what is typed filters the list (any part of the label)
    and a driver is chosen from it; `driver_chosen` says whom (None: nobody)."""

    driver_chosen = Signal(object)  # int | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(28)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        line = self.lineEdit()
        assert line is not None
        line.setPlaceholderText(_tr("Type part of a name or fleet…"))
        line.setClearButtonEnabled(True)
        self._searchable: dict[int, str] = {}
        self.currentIndexChanged.connect(lambda _i: self.driver_chosen.emit(self.driver_id()))

    def set_drivers(self, cards: Sequence[DriverCard]) -> None:
        """Replace the list, keeping the chosen driver if they are still in it."""
        chosen = self.driver_id()
        with QSignalBlocker(self):
            self.clear()
            for card in sorted(cards, key=lambda c: (c.driver.name.casefold(), c.driver.id)):
                self.addItem(driver_label(card), card.driver.id)
                row = self.count() - 1
                email = card.driver.email
                if email:
                    self.setItemData(row, email, Qt.ItemDataRole.ToolTipRole)
            self.setCurrentIndex(-1 if chosen is None else self.findData(chosen))
        if self.driver_id() != chosen:
            self.driver_chosen.emit(self.driver_id())

    def driver_id(self) -> int | None:
        data = self.currentData()
        if self.currentIndex() < 0 or data is None:
            return None
        # Typed text that names nobody means nobody, whatever was chosen before.
        if self.currentText() != self.itemText(self.currentIndex()):
            return None
        return int(data)

    def choose(self, driver_id: int | None) -> bool:
        """Choose a driver by id; False when they are not in the list."""
        index = -1 if driver_id is None else self.findData(driver_id)
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText("")
        return index >= 0 or driver_id is None
