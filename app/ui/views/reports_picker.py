"""The Reports view's pickers: date range (local days, with presets), site and grouping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from app.domain.sites import Site

PRESETS = ("7d", "30d", "this_month", "last_month", "this_year")
CUSTOM = "custom"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Reports", text)


def preset_titles() -> dict[str, str]:
    return {
        "7d": _tr("Last 7 days"),
        "30d": _tr("Last 30 days"),
        "this_month": _tr("This month"),
        "last_month": _tr("Last month"),
        "this_year": _tr("This year"),
        CUSTOM: _tr("Custom"),
    }


def preset_range(key: str, today: date) -> tuple[date, date]:
    """First and last local day (inclusive) of a preset; "last N days" end today."""
    if key == "7d":
        return today - timedelta(days=6), today
    if key == "30d":
        return today - timedelta(days=29), today
    if key == "this_month":
        return today.replace(day=1), today
    if key == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if key == "this_year":
        return today.replace(month=1, day=1), today
    raise ValueError(key)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class ReportPicker(QWidget):
    """Emits `changed` whenever what the report should cover changes."""

    changed = Signal()

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        """today: the local day now (read whenever a preset is applied)."""
        super().__init__(parent)
        self.today = today
        self._quiet = False
        self.preset = QComboBox(self)
        for key, title in preset_titles().items():
            self.preset.addItem(title, key)
        self.first = QDateEdit(self)
        self.last = QDateEdit(self)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._dates_edited)
        self.site = QComboBox(self)
        self.site.addItem(_tr("All stations"), None)
        self.grouping = QComboBox(self)
        self.grouping.addItem(_tr("Per station"), False)
        self.grouping.addItem(_tr("Per connector"), True)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.site.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.grouping.currentIndexChanged.connect(lambda _i: self.changed.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label, widget in (
            (_tr("Range"), self.preset),
            (_tr("From"), self.first),
            (_tr("to"), self.last),
            (_tr("Site"), self.site),
            (_tr("Grouping"), self.grouping),
        ):
            layout.addWidget(QLabel(label, self))
            layout.addWidget(widget)
        layout.addStretch(1)
        self._apply_preset("7d")

    # ---- what is chosen -------------------------------------------------------------

    @property
    def range(self) -> tuple[date, date]:
        return _pydate(self.first.date()), _pydate(self.last.date())

    @property
    def site_id(self) -> int | None:
        value = self.site.currentData()
        return None if value is None else int(value)

    @property
    def per_connector(self) -> bool:
        return bool(self.grouping.currentData())

    def set_sites(self, sites: list[Site]) -> None:
        chosen = self.site_id
        self._quiet = True
        self.site.clear()
        self.site.addItem(_tr("All stations"), None)
        for site in sites:
            self.site.addItem(site.name, site.id)
        index = self.site.findData(chosen)
        self.site.setCurrentIndex(max(index, 0))
        self._quiet = False

    def set_range(self, first: date, last: date) -> None:
        """A custom range (the preset shows "Custom")."""
        self._quiet = True
        self.preset.setCurrentIndex(self.preset.findData(CUSTOM))
        self.first.setDate(_qdate(first))
        self.last.setDate(_qdate(last))
        self._quiet = False
        self.changed.emit()

    def choose_preset(self, key: str) -> None:
        self.preset.setCurrentIndex(self.preset.findData(key))

    # ---- reactions --------------------------------------------------------------------

    def _apply_preset(self, key: str) -> None:
        first, last = preset_range(key, self.today())
        self._quiet = True
        self.first.setDate(_qdate(first))
        self.last.setDate(_qdate(last))
        self._quiet = False

    def _preset_chosen(self, _index: int) -> None:
        if self._quiet:
            return
        key = str(self.preset.currentData())
        if key != CUSTOM:
            self._apply_preset(key)
        self.changed.emit()

    def _dates_edited(self, _day: QDate) -> None:
        if self._quiet:
            return
        self._quiet = True
        self.preset.setCurrentIndex(self.preset.findData(CUSTOM))
        self._quiet = False
        self.changed.emit()
