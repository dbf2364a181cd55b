"""The tariff editor's time bands: one row per band, days as toggles, prices as typed.

A band's prices may be left blank: the tariff's own price then applies in it. What
is wrong with a row is shown under the table, and the row's name is outlined; two
bands that overlap are both outlined and the sentence says where they meet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.icons import icon
from app.ui.theme import ACCENT
from app.ui.views.tariff_draft import BandDraft

PROBLEM_STYLE = "color: #b3261e;"
OUTLINE_STYLE = "QLineEdit { border: 2px solid #b3261e; border-radius: 3px; }"
# A day that is on must be obvious at a glance, in both themes.
DAY_STYLE = (
    "QToolButton { border: 1px solid palette(mid); border-radius: 3px; background: palette(base); }"
    f"QToolButton:checked {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}"
)
COLUMNS = ("name", "days", "start", "end", "energy", "minute", "remove")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tariffs", text)


def weekday_letters() -> tuple[str, ...]:
    return (
        _tr("Mo"),
        _tr("Tu"),
        _tr("We"),
        _tr("Th"),
        _tr("Fr"),
        _tr("Sa"),
        _tr("Su"),
    )


class WeekdayPicker(QWidget):
    """Seven toggles, Monday first; at least one must be on (the tariff says so)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 0, 2, 0)
        layout.setSpacing(2)
        self.setStyleSheet(DAY_STYLE)
        self.buttons: list[QToolButton] = []
        for letters in weekday_letters():
            button = QToolButton(self)
            button.setText(letters)
            button.setCheckable(True)
            button.setAutoRaise(False)
            button.setFixedSize(QSize(27, 22))
            button.toggled.connect(lambda _on: self.changed.emit())
            layout.addWidget(button)
            self.buttons.append(button)

    def days(self) -> frozenset[int]:
        return frozenset(day for day, button in enumerate(self.buttons) if button.isChecked())

    def set_days(self, days: frozenset[int]) -> None:
        for day, button in enumerate(self.buttons):
            button.blockSignals(True)
            button.setChecked(day in days)
            button.blockSignals(False)
        self.changed.emit()


@dataclass(frozen=True, slots=True)
class BandRow:
    """The widgets of one row (tests and the editor read and type into these)."""

    name: QLineEdit
    days: WeekdayPicker
    start: QTimeEdit
    end: QTimeEdit
    energy: QLineEdit
    minute: QLineEdit
    remove: QToolButton

    def draft(self) -> BandDraft:
        return BandDraft(
            name=self.name.text(),
            weekdays=self.days.days(),
            start=_time(self.start),
            end=_time(self.end),
            energy=self.energy.text(),
            minute=self.minute.text(),
        )


def _time(edit: QTimeEdit) -> time:
    clock = edit.time()
    return time(clock.hour(), clock.minute())


class BandTable(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[BandRow] = []
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(
            [
                _tr("Name"),
                _tr("Days"),
                _tr("From"),
                _tr("To"),
                _tr("Per kWh"),
                _tr("Per minute"),
                "",
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 214), (2, 70), (3, 70), (4, 84), (5, 84), (6, 34)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        tips = {
            4: _tr("Energy price in the band; blank: the tariff's energy price"),
            5: _tr("Price per charging minute in the band; blank: the tariff's price per minute"),
        }
        for column, tip in tips.items():
            item = self.table.horizontalHeaderItem(column)
            if item is not None:
                item.setToolTip(tip)
        self.empty = QLabel(_tr("No time bands: the tariff's prices apply around the clock."), self)
        self.empty.setStyleSheet("color: #6b7078;")
        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(PROBLEM_STYLE)
        self.problems.hide()
        self.add_button = QPushButton(icon("add"), _tr("Add band"), self)
        self.add_button.clicked.connect(lambda: self.add_band(self._next_band()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.empty, 1)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)
        layout.addLayout(buttons)
        self._sync_height()

    # ---- rows ----------------------------------------------------------------------

    def _next_band(self) -> BandDraft:
        """A new row that does not clash with the last one: the evening after it."""
        if not self.rows:
            return BandDraft(name=_tr("Peak"), start=time(7, 0), end=time(20, 0))
        last = self.rows[-1].draft()
        return BandDraft(
            name=_tr("Band {n}").format(n=len(self.rows) + 1),
            weekdays=last.weekdays,
            start=last.end,
            end=time(22, 0) if last.end < time(22, 0) else time(23, 59),
        )

    def add_band(self, band: BandDraft) -> BandRow:
        row = len(self.rows)
        self.table.insertRow(row)
        widgets = BandRow(
            name=QLineEdit(band.name),
            days=WeekdayPicker(),
            start=QTimeEdit(QTime(band.start.hour, band.start.minute)),
            end=QTimeEdit(QTime(band.end.hour, band.end.minute)),
            energy=QLineEdit(band.energy),
            minute=QLineEdit(band.minute),
            remove=QToolButton(),
        )
        widgets.days.set_days(band.weekdays)
        for edit in (widgets.start, widgets.end):
            edit.setDisplayFormat("HH:mm")
        for price in (widgets.energy, widgets.minute):
            price.setPlaceholderText(_tr("tariff's"))
            price.setAlignment(Qt.AlignmentFlag.AlignRight)
        widgets.remove.setIcon(icon("remove"))
        widgets.remove.setToolTip(_tr("Remove this band"))
        widgets.remove.setAutoRaise(True)
        widgets.remove.clicked.connect(lambda: self.remove_band(self.rows.index(widgets)))
        for column, widget in enumerate(
            (
                widgets.name,
                widgets.days,
                widgets.start,
                widgets.end,
                widgets.energy,
                widgets.minute,
                widgets.remove,
            )
        ):
            self.table.setCellWidget(row, column, widget)
        for line in (widgets.name, widgets.energy, widgets.minute):
            line.textChanged.connect(lambda _t: self.changed.emit())
        for edit in (widgets.start, widgets.end):
            edit.timeChanged.connect(lambda _t: self.changed.emit())
        widgets.days.changed.connect(self.changed.emit)
        self.rows.append(widgets)
        self._sync_height()
        self.changed.emit()
        return widgets

    def remove_band(self, row: int) -> None:
        self.table.removeRow(row)
        del self.rows[row]
        self._sync_height()
        self.changed.emit()

    def set_bands(self, bands: tuple[BandDraft, ...]) -> None:
        self.blockSignals(True)
        while self.rows:
            self.remove_band(len(self.rows) - 1)
        for band in bands:
            self.add_band(band)
        self.blockSignals(False)
        self.changed.emit()

    def bands(self) -> tuple[BandDraft, ...]:
        return tuple(row.draft() for row in self.rows)

    def _sync_height(self) -> None:
        """As tall as its rows (the form scrolls, not the table)."""
        self.table.resizeRowsToContents()
        height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(row) for row in range(len(self.rows)))
        self.table.setFixedHeight(height + 2)
        self.table.setVisible(bool(self.rows))
        self.empty.setVisible(not self.rows)

    # ---- problems ------------------------------------------------------------------

    def show_problems(
        self, problems: dict[int, str], clashing: set[int], clash: str | None
    ) -> None:
        lines = [
            _tr("Band {n}: {problem}").format(n=row + 1, problem=problem)
            for row, problem in sorted(problems.items())
        ]
        if clash:
            lines.append(clash)
        for row, widgets in enumerate(self.rows):
            wrong = row in problems or row in clashing
            widgets.name.setStyleSheet(OUTLINE_STYLE if wrong else "")
            widgets.name.setToolTip(problems.get(row, clash if row in clashing else "") or "")
        self.problems.setText("\n".join(lines))
        self.problems.setVisible(bool(lines))
