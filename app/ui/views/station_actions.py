"""Sending an operation to one station and showing pending → outcome, never blocking.

`ActionRunner.send` goes through EngineOp; every record it keeps changes from
pending to accepted / rejected / timed out / station offline / failed, and
`changed` tells the status line and the history table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QWidget
from shiboken6 import isValid

from app.domain import commands as c
from app.domain.errors import (
    CommandRejected,
    CommandTimeout,
    NotSupportedByStation,
    StationOffline,
)
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp
from app.ui.views.station_style import muted

HISTORY_LIMIT = 200


def _tr(text: str) -> str:
    return QCoreApplication.translate("StationActions", text)


class Outcome(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    TIMED_OUT = "timed out"
    OFFLINE = "station offline"
    FAILED = "failed"


def outcome_label(outcome: Outcome) -> str:
    return {
        Outcome.PENDING: _tr("Waiting for the station…"),
        Outcome.ACCEPTED: _tr("Accepted"),
        Outcome.REJECTED: _tr("Refused by the station"),
        Outcome.TIMED_OUT: _tr("No answer (timed out)"),
        Outcome.OFFLINE: _tr("Station offline"),
        Outcome.FAILED: _tr("Not done"),
    }[outcome]


OUTCOME_COLOURS = {
    Outcome.PENDING: "#2f80c9",
    Outcome.ACCEPTED: "#2e9d57",
    Outcome.REJECTED: "#c0561b",
    Outcome.TIMED_OUT: "#c0561b",
    Outcome.OFFLINE: "#6b6b6b",
    Outcome.FAILED: "#b3261e",
}


def outcome_of(exc: BaseException) -> Outcome:
    if isinstance(exc, StationOffline):
        return Outcome.OFFLINE
    if isinstance(exc, CommandTimeout):
        return Outcome.TIMED_OUT
    if isinstance(exc, CommandRejected):  # NotSupportedByStation included
        return Outcome.REJECTED
    return Outcome.FAILED


def describe_refusal(exc: BaseException, fallback: str) -> str:
    if isinstance(exc, NotSupportedByStation):
        return _tr("The station does not support this.")
    if isinstance(exc, CommandRejected) and exc.status == "Unknown":
        return _tr("The station had nothing matching to change (answer: Unknown).")
    return fallback


def describe_result(result: c.CommandResult) -> str:
    """What an accepted answer adds beyond "accepted", in plain words."""
    if isinstance(result, c.StatusResult):
        if result.status == "Scheduled":
            return _tr("Scheduled: it takes effect when the running session ends.")
        if result.status == "RebootRequired":
            return _tr("Stored; the station applies it after a restart.")
        if result.status == "Unlocked":
            return _tr("The connector is unlocked.")
        return ""
    if isinstance(result, c.DiagnosticsResult):
        if result.file_name:
            return _tr("The station will upload {file}.").format(file=result.file_name)
        return _tr("The station has no diagnostics to upload.")
    if isinstance(result, c.ConfigurationResult):
        return _tr("{n} settings read.").format(n=len(result.configuration_key))
    return ""


@dataclass(eq=False, slots=True)
class ActionRecord:
    key: str
    label: str
    started_at: datetime
    outcome: Outcome = Outcome.PENDING
    detail: str = ""
    finished_at: datetime | None = None
    result: c.CommandResult | None = field(default=None, repr=False)


class ActionRunner(QObject):
    """Sends commands to one station; keeps what happened to each."""

    changed = Signal(object)  # ActionRecord

    def __init__(self, host: EngineHost, station_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self.station_id = station_id
        self.records: list[ActionRecord] = []

    def pending(self, key: str) -> bool:
        return any(r.key == key and r.outcome is Outcome.PENDING for r in self.records)

    def last(self, key: str) -> ActionRecord | None:
        return next((r for r in reversed(self.records) if r.key == key), None)

    def send(
        self,
        key: str,
        label: str,
        command: c.StationCommand,
        then: Callable[[c.CommandResult], None] | None = None,
    ) -> ActionRecord:
        record = ActionRecord(key, label, datetime.now(UTC))
        self.records.append(record)
        del self.records[:-HISTORY_LIMIT]
        station_id = self.station_id

        def succeeded(result: c.CommandResult) -> None:
            if not isValid(self):
                return
            record.outcome = Outcome.ACCEPTED
            record.result = result
            record.detail = describe_result(result)
            record.finished_at = datetime.now(UTC)
            self.changed.emit(record)
            if then is not None:
                then(result)

        def failed(message: str, exc: BaseException) -> None:
            if not isValid(self):
                return
            record.outcome = outcome_of(exc)
            record.detail = describe_refusal(exc, message)
            record.finished_at = datetime.now(UTC)
            self.changed.emit(record)

        EngineOp(self._host, lambda s: s.commands.send(station_id, command)).success(
            succeeded
        ).failure(failed).run()
        self.changed.emit(record)
        return record


def record_text(record: ActionRecord) -> str:
    text = f"{record.label}: {outcome_label(record.outcome)}"
    return f"{text}. {record.detail}" if record.detail else text


def _local_time(value: datetime) -> str:
    return value.astimezone().strftime("%H:%M:%S")


class ActionStatusLine(QLabel):
    """One line under the buttons: the latest action and how it ended."""

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setMinimumHeight(28)
        self.setText(_tr("No action sent yet in this window."))
        muted(self)
        runner.changed.connect(self.show_record)

    def show_record(self, record: ActionRecord) -> None:
        colour = OUTCOME_COLOURS[record.outcome]
        self.setStyleSheet(
            f"QLabel {{ border-left: 4px solid {colour}; padding: 4px 8px; color: palette(text); "
            f"background: palette(alternate-base); }}"
        )
        self.setText(f"{_local_time(record.started_at)}  {record_text(record)}")


class ActionHistoryTable(QTableWidget):
    """Every action sent from this view, newest first, updated in place."""

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setHorizontalHeaderLabels([_tr("Sent"), _tr("Action"), _tr("Outcome"), _tr("Detail")])
        self.verticalHeader().hide()
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self._rows: list[ActionRecord] = []
        runner.changed.connect(self.show_record)

    def show_record(self, record: ActionRecord) -> None:
        if record in self._rows:
            row = len(self._rows) - 1 - self._rows.index(record)
        else:
            self._rows.append(record)
            self.insertRow(0)
            row = 0
            if self.rowCount() > HISTORY_LIMIT:
                self.removeRow(self.rowCount() - 1)
                self._rows.pop(0)
        values = (
            _local_time(record.started_at),
            record.label,
            outcome_label(record.outcome),
            record.detail,
        )
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column == 2:
                item.setForeground(QColor(OUTCOME_COLOURS[record.outcome]))
            self.setItem(row, column, item)
