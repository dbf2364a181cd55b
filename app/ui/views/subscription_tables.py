"""The Subscriptions screen's state and its two tables: the plans, and a plan's members."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

from app.domain.access import DriverCard
from app.domain.sites import Site
from app.domain.subscriptions import Pause, Plan, Subscription, SubscriptionStatus
from app.services.container import Services
from app.services.subscriptions import Member
from app.ui.table_model import Index, RowsTableModel
from app.ui.views.tariff_tables import MUTED
from app.ui.views.tariff_text import money, percent_text, scaled_text

DRIVERS_LIMIT = 10_000
STATUS_COLOURS = {
    SubscriptionStatus.ACTIVE: "#2e9d57",
    SubscriptionStatus.PAUSED: "#b26a00",
    SubscriptionStatus.UPCOMING: "#1f6fb2",
    SubscriptionStatus.ENDED: MUTED,
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("Subscriptions", text)


# ---- what the screen shows, read at once ------------------------------------------------


@dataclass(frozen=True, slots=True)
class SubscriptionsState:
    """Every plan (archived too: members keep their names), every subscription with its
    driver and status today, the sites and the drivers to choose from."""

    plans: list[Plan] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    drivers: list[DriverCard] = field(default_factory=list)
    today: date = date.min

    def plan(self, plan_id: int) -> Plan | None:
        return next((plan for plan in self.plans if plan.id == plan_id), None)

    def members_of(self, plan_id: int) -> list[Member]:
        return [m for m in self.members if m.subscription.plan_id == plan_id]

    def current_members(self, plan_id: int) -> int:
        """Members whose subscription has not ended (paused and upcoming ones count)."""
        return sum(1 for m in self.members_of(plan_id) if m.status is not SubscriptionStatus.ENDED)

    def ever_subscribed(self, plan_id: int) -> int:
        """Subscriptions ever made to the plan: while there are any, its prices are fixed."""
        return len(self.members_of(plan_id))

    def subscriptions_of(self, driver_id: int) -> list[Member]:
        return [m for m in self.members if m.subscription.driver_id == driver_id]

    def site_names(self, plan: Plan) -> list[str]:
        if not plan.site_ids:
            return []
        return sorted(site.title for site in self.sites if site.id in plan.site_ids)


async def load_state(s: Services) -> SubscriptionsState:
    return SubscriptionsState(
        plans=await s.subscriptions.plans(include_archived=True),
        members=await s.subscriptions.list(),
        sites=await s.sites.sites(),
        drivers=await s.access.drivers(limit=DRIVERS_LIMIT),
        today=s.subscriptions.today(),
    )


# ---- texts ---------------------------------------------------------------------------


def energy_text(wh: int) -> str:
    """12_500 → "12,5 kWh": no more decimals than the number needs."""
    text = scaled_text(wh, 3, group=True)
    point = QLocale().decimalPoint()
    if point in text:
        text = text.rstrip("0").rstrip(point)
    return _tr("{kwh} kWh").format(kwh=text)


def fee_text(plan: Plan) -> str:
    return _tr("{amount} / month").format(amount=money(plan.monthly_fee_minor, plan.currency))


def included_text(plan: Plan) -> str:
    return energy_text(plan.included_wh) if plan.included_wh else _tr("none")


def prices_text(plan: Plan) -> str:
    """What the plan changes about each session's price, one change per line."""
    lines = []
    if plan.price_per_kwh_minor is not None:
        price = money(plan.price_per_kwh_minor, plan.currency)
        lines.append(_tr("{price}/kWh instead of the tariff's").format(price=price))
    if plan.discount_bp:
        lines.append(_tr("{percent} % off charging").format(percent=percent_text(plan.discount_bp)))
    return "\n".join(lines) or _tr("the tariff's prices")


def day_text(day: date | None) -> str:
    return "" if day is None else day.isoformat()


def pause_text(pause: Pause) -> str:
    if pause.to_date is None:
        return _tr("from {first} until resumed").format(first=pause.from_date.isoformat())
    return _tr("{first} to {last}").format(
        first=pause.from_date.isoformat(), last=pause.to_date.isoformat()
    )


def status_text(subscription: Subscription, status: SubscriptionStatus, today: date) -> str:
    if status is SubscriptionStatus.PAUSED:
        pause = subscription.pause_on(today)
        if pause is not None and pause.to_date is not None:
            return _tr("Paused to {last}").format(last=pause.to_date.isoformat())
        return _tr("Paused until resumed")
    return {
        SubscriptionStatus.ACTIVE: _tr("Active"),
        SubscriptionStatus.UPCOMING: _tr("Starts {first}").format(
            first=subscription.starts_on.isoformat()
        ),
        SubscriptionStatus.ENDED: _tr("Ended"),
    }.get(status, str(status))


# ---- the tables ----------------------------------------------------------------------

PLAN_COLUMNS = ("name", "fee", "included", "prices", "sites", "members")
MEMBER_COLUMNS = ("driver", "fleet", "from", "to", "status", "pauses")
NUMBER_COLUMNS = {"fee", "included", "members"}


class PlanTableModel(RowsTableModel[Plan]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            PLAN_COLUMNS,
            {
                "name": _tr("Plan"),
                "fee": _tr("Monthly fee"),
                "included": _tr("Included"),
                "prices": _tr("Plan price or discount"),
                "sites": _tr("Sites"),
                "members": _tr("Members"),
            },
            parent,
        )
        self.state = SubscriptionsState()

    def set_state(self, state: SubscriptionsState, plans: Sequence[Plan]) -> None:
        self.state = state
        self.set_rows(plans)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        plan = self.row_at(index.row())
        column = PLAN_COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(plan, column)
        if role == Qt.ItemDataRole.ForegroundRole and plan.archived:
            return QColor(MUTED)
        if role == Qt.ItemDataRole.FontRole and column == "name":
            font = QFont()
            font.setBold(not plan.archived)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, plan: Plan, column: str) -> str:
        if column == "name":
            return _tr("{name} (archived)").format(name=plan.name) if plan.archived else plan.name
        if column == "fee":
            return fee_text(plan)
        if column == "included":
            return included_text(plan)
        if column == "prices":
            return prices_text(plan)
        if column == "sites":
            return "\n".join(self.state.site_names(plan)) or _tr("every site")
        return str(self.state.current_members(plan.id))


class MemberTableModel(RowsTableModel[Member]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            MEMBER_COLUMNS,
            {
                "driver": _tr("Driver"),
                "fleet": _tr("Fleet"),
                "from": _tr("From"),
                "to": _tr("To"),
                "status": _tr("Status"),
                "pauses": _tr("Pauses"),
            },
            parent,
        )
        self.today = date.min

    def set_members(self, members: Sequence[Member], today: date) -> None:
        self.today = today
        self.set_rows(members)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        member = self.row_at(index.row())
        column = MEMBER_COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(member, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == "status":
                return QColor(STATUS_COLOURS.get(member.status, MUTED))
            if member.status is SubscriptionStatus.ENDED:
                return QColor(MUTED)
        return None

    def _text(self, member: Member, column: str) -> str:
        subscription = member.subscription
        if column == "driver":
            return member.driver_name
        if column == "fleet":
            return member.fleet_name or ""
        if column == "from":
            return day_text(subscription.starts_on)
        if column == "to":
            return day_text(subscription.ends_on) or _tr("no end date")
        if column == "status":
            return status_text(subscription, member.status, self.today)
        return "; ".join(pause_text(pause) for pause in subscription.pauses)
