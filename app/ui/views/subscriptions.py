"""Subscriptions: the plans, and the members of the chosen plan.

Everything is re-read from the services when a plan, a subscription or a driver
changes (events), so two control rooms agree. New and Edit open the plan dialog,
which checks every field as it is typed and closes only once the service stored
the plan. Archive is confirmed, and refused by the service while the plan still
has members. Add member, Pause, Resume and End open a small dialog whose dates
are checked against the subscription before anything is sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain import events as ev
from app.domain.subscriptions import Plan, SubscriptionStatus
from app.services.container import Services
from app.services.subscriptions import Member
from app.ui.dialogs.confirm import confirm as ask_to_confirm
from app.ui.dialogs.member_form import AddMemberDialog, Change, SubscriptionChangeDialog
from app.ui.dialogs.plan_form import PlanDialog
from app.ui.dialogs.validated_form import ValidatedFormDialog, act, say, show_dialog
from app.ui.engine_host import EngineHost
from app.ui.formatting import sentence
from app.ui.icons import icon
from app.ui.operations import Reloader
from app.ui.views.subscription_tables import (
    MemberTableModel,
    PlanTableModel,
    SubscriptionsState,
    load_state,
)
from app.ui.views.tariff_tables import MUTED, make_table

TRIGGERS = (ev.PlanChanged, ev.SubscriptionChanged, ev.AccessChanged)
ROW_PADDING = 8
D = TypeVar("D", bound=ValidatedFormDialog)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Subscriptions", text)


def confirm(parent: QWidget | None, title: str, question: str, action: str) -> bool:
    """Tests replace this so that nothing modal blocks them."""
    return ask_to_confirm(parent, title, question, action, destructive=True)


class SubscriptionsView(QWidget):
    def __init__(self, host: EngineHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self._reload: Reloader[SubscriptionsState] = Reloader(
            self, host, self._loaded, self._load_failed, self.refresh
        )
        self.loads = 0  # finished loads, for whoever waits for one
        self.state = SubscriptionsState()
        self.dialog: ValidatedFormDialog | None = None  # the one open now, if any
        self._select_after_load: int | None = None

        plans = QGroupBox(_tr("Plans"), self)
        intro = QLabel(
            _tr(
                "A plan is what a driver pays each month, what energy it includes and how it "
                "changes the price of their sessions. Its prices are fixed once a driver "
                "subscribed; for new prices, make a new plan."
            ),
            plans,
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {MUTED};")
        self.plans = PlanTableModel(plans)
        self.plan_table = make_table(self.plans, plans)
        plan_header = self.plan_table.horizontalHeader()
        for column, width in enumerate((190, 170, 100, 270, 300, 90)):
            plan_header.resizeSection(column, width)
        plan_header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        plan_header.setStretchLastSection(False)
        self.plan_table.selectionModel().selectionChanged.connect(lambda *_: self._plan_chosen())
        self.plan_table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.new_button = QPushButton(icon("add"), _tr("&New plan…"), plans)
        self.new_button.clicked.connect(self.new_plan)
        self.edit_button = QPushButton(_tr("&Edit…"), plans)
        self.edit_button.clicked.connect(self.edit_selected)
        self.archive_button = QPushButton(_tr("&Archive…"), plans)
        self.archive_button.clicked.connect(self.archive_or_restore_selected)
        self.show_archived = QCheckBox(_tr("Show archived"), plans)
        self.show_archived.toggled.connect(lambda _on: self._show_state())
        plan_buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.archive_button):
            plan_buttons.addWidget(button)
        plan_buttons.addStretch(1)
        plan_buttons.addWidget(self.show_archived)
        plans_layout = QVBoxLayout(plans)
        plans_layout.addWidget(intro)
        plans_layout.addWidget(self.plan_table, 1)
        plans_layout.addLayout(plan_buttons)

        self.members_box = QGroupBox(_tr("Members"), self)
        self.members = MemberTableModel(self.members_box)
        self.member_table = make_table(self.members, self.members_box)
        for column, width in enumerate((190, 160, 100, 110, 180)):
            self.member_table.horizontalHeader().resizeSection(column, width)
        self.member_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons()
        )
        self.add_member_button = QPushButton(icon("add"), _tr("Add &member…"), self.members_box)
        self.add_member_button.clicked.connect(self.add_member)
        self.pause_button = QPushButton(_tr("&Pause…"), self.members_box)
        self.pause_button.clicked.connect(lambda: self.change_selected(Change.PAUSE))
        self.resume_button = QPushButton(_tr("&Resume…"), self.members_box)
        self.resume_button.clicked.connect(lambda: self.change_selected(Change.RESUME))
        self.end_button = QPushButton(_tr("E&nd…"), self.members_box)
        self.end_button.clicked.connect(lambda: self.change_selected(Change.END))
        self.show_ended = QCheckBox(_tr("Show ended"), self.members_box)
        self.show_ended.toggled.connect(lambda _on: self._show_members())
        member_buttons = QHBoxLayout()
        for button in (
            self.add_member_button,
            self.pause_button,
            self.resume_button,
            self.end_button,
        ):
            member_buttons.addWidget(button)
        member_buttons.addStretch(1)
        member_buttons.addWidget(self.show_ended)
        members_layout = QVBoxLayout(self.members_box)
        members_layout.addWidget(self.member_table, 1)
        members_layout.addLayout(member_buttons)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(plans)
        splitter.addWidget(self.members_box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.notice)
        self._update_buttons()
        self.refresh()

    # ---- loading -------------------------------------------------------------------

    def on_events(self, batch: list[ev.DomainEvent], _changed: set[tuple[str, int]]) -> None:
        if any(isinstance(event, TRIGGERS) for event in batch):
            self.refresh()

    def refresh(self) -> None:
        self._reload.start(load_state)

    def _loaded(self, state: SubscriptionsState) -> None:
        self.state = state
        self._show_state()
        self.loads += 1

    def _load_failed(self, message: str) -> None:
        say(self.notice, sentence(message), error=True)

    def _show_state(self) -> None:
        selected = self.selected_plan()
        wanted = (
            self._select_after_load
            if self._select_after_load is not None
            else (None if selected is None else selected.id)
        )
        self._select_after_load = None
        archived = self.show_archived.isChecked()
        shown = [plan for plan in self.state.plans if archived or not plan.archived]
        self.plans.set_state(self.state, shown)
        self.plan_table.resizeRowsToContents()
        for row in range(self.plans.rowCount()):
            self.plan_table.setRowHeight(row, self.plan_table.rowHeight(row) + ROW_PADDING)
        if wanted is not None and self.select_plan(wanted):
            return
        if shown:
            self.plan_table.selectRow(0)
        else:
            self._plan_chosen()

    def _show_members(self) -> None:
        plan = self.selected_plan()
        selected = self.selected_member()
        members: list[Member] = []
        if plan is not None:
            members = [
                m
                for m in self.state.members_of(plan.id)
                if self.show_ended.isChecked() or m.status is not SubscriptionStatus.ENDED
            ]
            self.members_box.setTitle(_tr("Members of “{plan}”").format(plan=plan.name))
        else:
            self.members_box.setTitle(_tr("Members"))
        self.members.set_members(members, self.state.today)
        if selected is not None:
            for row, member in enumerate(self.members.rows()):
                if member.subscription.id == selected.subscription.id:
                    self.member_table.selectRow(row)
        self._update_buttons()

    # ---- selection -----------------------------------------------------------------

    def _plan_chosen(self) -> None:
        self._show_members()

    def selected_plan(self) -> Plan | None:
        rows = self.plan_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.plans.rowCount():
            return None
        return self.plans.row_at(rows[0].row())

    def select_plan(self, plan_id: int) -> bool:
        for row, plan in enumerate(self.plans.rows()):
            if plan.id == plan_id:
                self.plan_table.selectRow(row)
                return True
        return False

    def selected_member(self) -> Member | None:
        rows = self.member_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.members.rowCount():
            return None
        return self.members.row_at(rows[0].row())

    def select_member(self, driver_name: str) -> bool:
        for row, member in enumerate(self.members.rows()):
            if member.driver_name == driver_name:
                self.member_table.selectRow(row)
                return True
        return False

    def _update_buttons(self) -> None:
        plan = self.selected_plan()
        archived = plan is not None and plan.archived
        self.edit_button.setEnabled(plan is not None and not archived)
        self.archive_button.setEnabled(plan is not None)
        self.archive_button.setText(_tr("&Restore") if archived else _tr("&Archive…"))
        self.add_member_button.setEnabled(plan is not None and not archived)
        member = self.selected_member()
        status = None if member is None else member.status
        subscription = None if member is None else member.subscription
        self.pause_button.setEnabled(
            status in (SubscriptionStatus.ACTIVE, SubscriptionStatus.UPCOMING)
        )
        self.resume_button.setEnabled(
            subscription is not None
            and subscription.covers(self.state.today)
            and any(p.to_date is None or p.to_date >= self.state.today for p in subscription.pauses)
        )
        self.end_button.setEnabled(status is not None and status is not SubscriptionStatus.ENDED)

    # ---- plans ---------------------------------------------------------------------

    def new_plan(self) -> PlanDialog:
        dialog = PlanDialog(self._host, self.state, None, self)
        return self._open(dialog, lambda plan: _tr("Plan “{name}” created.").format(name=plan))

    def edit_selected(self) -> PlanDialog | None:
        plan = self.selected_plan()
        if plan is None or plan.archived:
            return None
        dialog = PlanDialog(self._host, self.state, plan, self)
        return self._open(dialog, lambda name: _tr("Plan “{name}” saved.").format(name=name))

    def archive_or_restore_selected(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            return
        if plan.archived:
            self._run(
                lambda s: s.subscriptions.restore_plan(plan.id),
                _tr("Plan “{name}” restored.").format(name=plan.name),
            )
            return
        if not confirm(
            self,
            _tr("Archive plan"),
            _tr(
                "Archive “{name}”? Nobody can subscribe to it any more; its past members "
                "and statements keep it."
            ).format(name=plan.name),
            _tr("Archive plan"),
        ):
            return
        self._run(
            lambda s: s.subscriptions.archive_plan(plan.id),
            _tr("Plan “{name}” archived.").format(name=plan.name),
        )

    # ---- members -------------------------------------------------------------------

    def add_member(self) -> AddMemberDialog | None:
        plan = self.selected_plan()
        if plan is None or plan.archived:
            return None
        dialog = AddMemberDialog(self._host, self.state, plan, self)
        return self._open(
            dialog,
            lambda driver: _tr("{driver} added to “{plan}”.").format(driver=driver, plan=plan.name),
        )

    def change_selected(self, change: Change) -> SubscriptionChangeDialog | None:
        member = self.selected_member()
        if member is None:
            return None
        driver = member.driver_name
        done = {
            Change.PAUSE: _tr("{driver}'s subscription paused.").format(driver=driver),
            Change.RESUME: _tr("{driver}'s subscription resumed.").format(driver=driver),
            Change.END: _tr("{driver}'s subscription ended.").format(driver=driver),
        }[change]
        dialog = SubscriptionChangeDialog(self._host, member, change, self.state.today, self)
        return self._open(dialog, lambda _name: done)

    # ---- doing it ------------------------------------------------------------------

    def _open(self, dialog: D, done: Callable[[str], str]) -> D:
        """Show the dialog; once it saved, say so and re-read. `done` is given the name
        of what was saved: the plan's, or the subscribed driver's."""
        self.notice.hide()
        names = {m.subscription.driver_id: m.driver_name for m in self.state.members}
        names |= {c.driver.id: c.driver.name for c in self.state.drivers}

        def saved(result: object) -> None:
            if not shiboken6.isValid(self):
                return
            if isinstance(result, Plan):
                name = result.name
                self._select_after_load = result.id
            else:
                name = names.get(getattr(result, "driver_id", -1), "")
            say(self.notice, done(name))
            self.refresh()

        dialog.saved.connect(saved)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        show_dialog(dialog)
        return dialog

    def _run(self, call: Callable[[Services], Awaitable[object]], done: str) -> None:
        self.notice.hide()
        act(
            self._host,
            call,
            done=done,
            tell=lambda text, error: say(self.notice, text, error=error),
            then=self.refresh,
        )
