"""The tables of the drivers screen: drivers, a driver's tags, fleets and access rules."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from app.domain.access import AccessRule, DriverCard, Fleet
from app.domain.model import IdTag
from app.ui.table_model import Index, RowsTableModel
from app.ui.views.access_text import (
    MUTED,
    TAG_STATE_COLOURS,
    TagState,
    budget_text,
    place_text,
    rule_sentence,
    subject_text,
    tag_state,
    tag_state_label,
    weekdays_text,
)
from app.ui.views.access_text import hours_text as rule_hours

Display = Qt.ItemDataRole.DisplayRole


def _tr(text: str) -> str:
    return QCoreApplication.translate("Drivers", text)


def make_table(model: QAbstractItemModel, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


@functools.cache
def state_dot(colour: str) -> QIcon:
    """A filled circle in the state's colour: still seen when the row is selected."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


def tags_text(card: DriverCard) -> str:
    """ "04A2B3C4", or "04A2B3C4 +2" for a driver with three tags (all in the tooltip)."""
    if not card.tags:
        return _tr("no tags")
    first = card.tags[0].id_tag
    return first if len(card.tags) == 1 else f"{first} +{len(card.tags) - 1}"


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


# ---- drivers -------------------------------------------------------------------------

DRIVER_COLUMNS = ("name", "fleet", "tags", "active")


class DriverTableModel(RowsTableModel[DriverCard]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            DRIVER_COLUMNS,
            {
                "name": _tr("Name"),
                "fleet": _tr("Fleet"),
                "tags": _tr("Tags"),
                "active": _tr("Active"),
            },
            parent,
        )

    def driver_ids(self) -> list[int]:
        return [c.driver.id for c in self._rows]

    def data(self, index: Index, role: int = Display) -> Any:
        if not index.isValid():
            return None
        card = self.row_at(index.row())
        column = DRIVER_COLUMNS[index.column()]
        if role == Display:
            if column == "name":
                return card.driver.name
            if column == "fleet":
                return card.fleet_name or _tr("No fleet")
            if column == "tags":
                return tags_text(card)
            return _tr("Yes") if card.driver.active else _tr("No")
        if role == Qt.ItemDataRole.ForegroundRole:
            if not card.driver.active:
                return QColor(MUTED)
            if column == "tags" and not card.tags:
                return QColor(MUTED)
        if role == Qt.ItemDataRole.FontRole and column == "name" and card.driver.active:
            return _bold()
        if role == Qt.ItemDataRole.ToolTipRole and column == "tags" and card.tags:
            now = datetime.now(UTC)
            return "\n".join(f"{t.id_tag}: {tag_state_label(tag_state(t, now))}" for t in card.tags)
        return None


# ---- a driver's tags ---------------------------------------------------------------------

TAG_COLUMNS = ("id_tag", "state", "expires", "group", "sessions", "note")


class TagTableModel(RowsTableModel[IdTag]):
    """A driver's tags; expiry in the site's time, as the tag form edits it."""

    def __init__(self, zone: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(
            TAG_COLUMNS,
            {
                "id_tag": _tr("Tag UID"),
                "state": _tr("Status"),
                "expires": _tr("Expires"),
                "group": _tr("Group tag"),
                "sessions": _tr("Sessions at once"),
                "note": _tr("Note"),
            },
            parent,
        )
        self.driver_active = True
        self.zone = zone

    def set_tags(self, tags: tuple[IdTag, ...], *, driver_active: bool) -> None:
        self.driver_active = driver_active
        self.set_rows(tags)

    def state(self, tag: IdTag) -> TagState:
        return tag_state(tag, datetime.now(UTC), driver_active=self.driver_active)

    def data(self, index: Index, role: int = Display) -> Any:
        if not index.isValid():
            return None
        tag = self.row_at(index.row())
        column = TAG_COLUMNS[index.column()]
        if role == Display:
            if column == "id_tag":
                return tag.id_tag
            if column == "state":
                return tag_state_label(self.state(tag))
            if column == "expires":
                if tag.expiry_date is None:
                    return _tr("never")
                return tag.expiry_date.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")
            if column == "group":
                return tag.parent_id_tag or ""
            if column == "sessions":
                return str(tag.max_concurrent)
            return tag.note
        if role == Qt.ItemDataRole.ForegroundRole and column == "state":
            return QColor(TAG_STATE_COLOURS[self.state(tag)])
        if role == Qt.ItemDataRole.DecorationRole and column == "state":
            return state_dot(TAG_STATE_COLOURS[self.state(tag)])
        if role == Qt.ItemDataRole.FontRole and column in ("id_tag", "state"):
            return _bold()
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "sessions":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


# ---- fleets --------------------------------------------------------------------------------

FLEET_COLUMNS = ("name", "drivers", "budget", "note")


class FleetTableModel(RowsTableModel[Fleet]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            FLEET_COLUMNS,
            {
                "name": _tr("Fleet"),
                "drivers": _tr("Drivers"),
                "budget": _tr("Monthly budget"),
                "note": _tr("Note"),
            },
            parent,
        )
        self.members: Mapping[int, int] = {}

    def set_fleets(self, fleets: tuple[Fleet, ...], members: Mapping[int, int]) -> None:
        self.members = members
        self.set_rows(fleets)

    def fleet_ids(self) -> list[int]:
        return [f.id for f in self._rows]

    def data(self, index: Index, role: int = Display) -> Any:
        if not index.isValid():
            return None
        fleet = self.row_at(index.row())
        column = FLEET_COLUMNS[index.column()]
        if role == Display:
            if column == "name":
                return fleet.name
            if column == "drivers":
                return str(self.members.get(fleet.id, 0))
            if column == "budget":
                return budget_text(fleet.monthly_budget_minor)
            return fleet.note
        if role == Qt.ItemDataRole.FontRole and column == "name":
            return _bold()
        if role == Qt.ItemDataRole.ForegroundRole and column == "budget":
            return QColor(MUTED) if fleet.monthly_budget_minor is None else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("drivers", "budget"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


# ---- access rules --------------------------------------------------------------------------

RULE_COLUMNS = ("subject", "where", "weekdays", "hours", "sentence")


class RuleTableModel(RowsTableModel[AccessRule]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            RULE_COLUMNS,
            {
                "subject": _tr("Who"),
                "where": _tr("Where"),
                "weekdays": _tr("Days"),
                "hours": _tr("Hours"),
                "sentence": _tr("In words"),
            },
            parent,
        )
        self.fleets: Mapping[int, str] = {}
        self.sites: Mapping[int, str] = {}

    def set_rules(
        self, rules: tuple[AccessRule, ...], fleets: Mapping[int, str], sites: Mapping[int, str]
    ) -> None:
        self.fleets, self.sites = fleets, sites
        self.set_rows(rules)

    def rule_ids(self) -> list[int]:
        return [r.id for r in self._rows]

    def sentence(self, row: int) -> str:
        return rule_sentence(self.row_at(row), self.fleets, self.sites)

    def data(self, index: Index, role: int = Display) -> Any:
        if not index.isValid():
            return None
        rule = self.row_at(index.row())
        column = RULE_COLUMNS[index.column()]
        if role in (Display, Qt.ItemDataRole.ToolTipRole):
            if column == "subject":
                return subject_text(rule, self.fleets)
            if column == "where":
                return place_text(rule, self.sites)
            if column == "weekdays":
                return weekdays_text(rule.weekdays)
            if column == "hours":
                return rule_hours(rule)
            text = self.sentence(index.row())
            return f"{text} ({rule.note})" if rule.note else text
        if role == Qt.ItemDataRole.FontRole and column == "subject":
            return _bold()
        return None
