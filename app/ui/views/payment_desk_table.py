"""The desk's list of sessions awaiting payment, and the lookup that narrows it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt

from app.services.payment_desk import AwaitingSession
from app.ui.formatting import kilo, local_datetime
from app.ui.table_model import Index, RowsTableModel
from app.ui.views.tariff_text import money

COLUMNS = ("station", "bay", "tag", "driver", "ended", "energy", "duration", "price")
NUMBER_COLUMNS = frozenset({"bay", "energy", "duration", "price"})


def _tr(text: str) -> str:
    return QCoreApplication.translate("PaymentDesk", text)


def duration_text(started_at: datetime, stopped_at: datetime | None) -> str:
    """ "1:05" (hours:minutes) from start to stop; empty while not stopped."""
    if stopped_at is None:
        return ""
    minutes = max(0, int((stopped_at - started_at).total_seconds())) // 60
    return f"{minutes // 60}:{minutes % 60:02d}"


def who(session: AwaitingSession) -> str:
    """The driver and fleet when the tag is known, else a plain "walk-in"."""
    if session.driver_name and session.fleet_name:
        return f"{session.driver_name} ({session.fleet_name})"
    return session.driver_name or session.fleet_name or _tr("walk-in")


def cells(session: AwaitingSession) -> dict[str, str]:
    return {
        "station": session.station_id,
        "bay": str(session.connector_id),
        "tag": session.id_tag,
        "driver": who(session),
        "ended": local_datetime(session.stopped_at, seconds=False),
        "energy": _tr("{kwh} kWh").format(kwh=kilo(session.energy_wh, 2)),
        "duration": duration_text(session.started_at, session.stopped_at),
        "price": money(session.total_minor, session.currency),
    }


def matches(session: AwaitingSession, lookup: str) -> bool:
    """Every word of the lookup is found in the station, bay, tag, driver or time shown."""
    shown = cells(session)
    haystack = " ".join(
        (
            shown["station"],
            _tr("bay {n}").format(n=shown["bay"]),
            shown["tag"],
            shown["driver"],
            shown["ended"],
        )
    ).casefold()
    return all(word in haystack for word in lookup.casefold().split())


class AwaitingTableModel(RowsTableModel[AwaitingSession]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            COLUMNS,
            {
                "station": _tr("Station"),
                "bay": _tr("Bay"),
                "tag": _tr("Tag"),
                "driver": _tr("Driver / fleet"),
                "ended": _tr("Ended"),
                "energy": _tr("Energy"),
                "duration": _tr("Duration"),
                "price": _tr("Price"),
            },
            parent,
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cells(self.row_at(index.row()))[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = (
                Qt.AlignmentFlag.AlignRight
                if column in NUMBER_COLUMNS
                else Qt.AlignmentFlag.AlignLeft
            )
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        return None

    def row_of(self, transaction_id: int) -> int | None:
        for row, session in enumerate(self.rows()):
            if session.transaction_id == transaction_id:
                return row
        return None
