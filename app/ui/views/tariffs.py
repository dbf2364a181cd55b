"""Tariffs: the list, where each applies, and the editor with its live calculator.

The list and the assignments are re-read from the store whenever a tariff or an
assignment changes (events), so two control rooms agree. New, Edit and Duplicate
open the editor in place of the list; Save goes through TariffService, which keeps
the old version for sessions that already started. Archive is confirmed, and
refused by the service while the tariff is still assigned somewhere.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

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
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.config import site_zone
from app.domain import events as ev
from app.domain.tariff_assignments import StoredTariff, TariffAssignment
from app.domain.tariffs import NAME_MAX_LENGTH, Tariff
from app.services.container import Services
from app.ui.dialogs.confirm import confirm as ask_to_confirm
from app.ui.dialogs.validated_form import act
from app.ui.engine_host import EngineHost
from app.ui.formatting import sentence
from app.ui.icons import icon
from app.ui.operations import EngineOp, Reloader
from app.ui.views import tariff_assign
from app.ui.views.tariff_assign import TariffsState, load_state
from app.ui.views.tariff_draft import TariffDraft
from app.ui.views.tariff_editor import TariffEditor
from app.ui.views.tariff_tables import MUTED, AssignmentTableModel, TariffTableModel, make_table

# What the list shows: tariffs, where they apply, and the names of plans and fleets.
TRIGGERS = (ev.TariffChanged, ev.TariffAssignmentChanged, ev.PlanChanged)
ROW_PADDING = 10


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tariffs", text)


def confirm(parent: QWidget | None, title: str, question: str, action: str) -> bool:
    """Tests replace this so that nothing modal blocks them."""
    return ask_to_confirm(parent, title, question, action, destructive=True)


def copy_name(name: str) -> str:
    suffix = _tr(" (copy)")
    return name[: NAME_MAX_LENGTH - len(suffix)] + suffix


# ---- the view ------------------------------------------------------------------------


class TariffsView(QWidget):
    def __init__(self, host: EngineHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self._reload: Reloader[TariffsState] = Reloader(
            self, host, self._loaded, self._load_failed, self.refresh
        )
        self.state = TariffsState([], [])

        self.pages = QStackedWidget(self)
        self.list_page = QWidget(self)
        self.editor = TariffEditor(site_zone(host.settings), self)
        self.editor.save_requested.connect(self._save)
        self.editor.closed.connect(self.show_list)
        self.pages.addWidget(self.list_page)
        self.pages.addWidget(self.editor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._build_list_page()
        self._update_buttons()
        self.refresh()

    def _build_list_page(self) -> None:
        page = self.list_page
        intro = QLabel(
            _tr(
                "A tariff says what a charging session costs. A session keeps the version "
                "of its tariff it started with, so editing a tariff never changes what a "
                "session already cost."
            ),
            page,
        )
        intro.setWordWrap(True)
        self.model = TariffTableModel(page)
        self.table = make_table(self.model, page)
        header = self.table.horizontalHeader()
        for column, width in enumerate((200, 380, 360)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.new_button = QPushButton(icon("add"), _tr("&New tariff"), page)
        self.new_button.clicked.connect(self.new_tariff)
        self.edit_button = QPushButton(_tr("&Edit…"), page)
        self.edit_button.clicked.connect(self.edit_selected)
        self.duplicate_button = QPushButton(_tr("&Duplicate…"), page)
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.archive_button = QPushButton(_tr("&Archive…"), page)
        self.archive_button.clicked.connect(self.archive_or_restore_selected)
        self.show_archived = QCheckBox(_tr("Show archived"), page)
        self.show_archived.toggled.connect(lambda _on: self.refresh())
        self.notice = QLabel(page)
        self.notice.setWordWrap(True)
        self.notice.hide()
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.duplicate_button):
            buttons.addWidget(button)
        buttons.addWidget(self.archive_button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_archived)
        tariffs = QWidget(page)
        tariffs_layout = QVBoxLayout(tariffs)
        tariffs_layout.setContentsMargins(0, 0, 0, 0)
        tariffs_layout.addWidget(intro)
        tariffs_layout.addWidget(self.table, 1)
        tariffs_layout.addLayout(buttons)

        assigned = QGroupBox(_tr("Where each tariff applies"), page)
        rule = QLabel(
            _tr(
                "The most specific applies: a station's own tariff over its site's, a site's "
                "over the one for everywhere; at the same place a subscription plan's over a "
                "fleet's over the one for everyone."
            ),
            assigned,
        )
        rule.setWordWrap(True)
        rule.setStyleSheet(f"color: {MUTED};")
        self.assignments = AssignmentTableModel(assigned)
        self.assignment_table = make_table(self.assignments, assigned)
        for column, width in enumerate((220, 200)):
            self.assignment_table.horizontalHeader().resizeSection(column, width)
        self.assignment_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons()
        )
        self.assign_button = QPushButton(_tr("A&ssign…"), assigned)
        self.assign_button.clicked.connect(self.assign)
        self.unassign_button = QPushButton(_tr("&Clear…"), assigned)
        self.unassign_button.setToolTip(_tr("Stop this tariff applying there"))
        self.unassign_button.clicked.connect(self.unassign_selected)
        assign_buttons = QHBoxLayout()
        assign_buttons.addWidget(self.assign_button)
        assign_buttons.addWidget(self.unassign_button)
        assign_buttons.addStretch(1)
        assigned_layout = QVBoxLayout(assigned)
        assigned_layout.addWidget(rule)
        assigned_layout.addWidget(self.assignment_table, 1)
        assigned_layout.addLayout(assign_buttons)

        splitter = QSplitter(Qt.Orientation.Vertical, page)
        splitter.addWidget(tariffs)
        splitter.addWidget(assigned)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(page)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.notice)

    # ---- loading -------------------------------------------------------------------

    def on_events(self, batch: list[ev.DomainEvent], _changed: set[tuple[str, int]]) -> None:
        if any(
            isinstance(event, TRIGGERS)
            or (isinstance(event, ev.AccessChanged) and event.subject == "fleet")
            for event in batch
        ):
            self.refresh()

    def refresh(self) -> None:
        archived = self.show_archived.isChecked()
        self._reload.start(lambda s: load_state(s, archived))

    def _loaded(self, state: TariffsState) -> None:
        selected = self.selected()
        self.state = state
        self.model.set_state(state)
        self._fit_rows()
        self.assignments.set_state(state)
        self.editor.calculator.set_plans(state.plans)
        if selected is not None:
            self.select(selected.id)
        elif state.tariffs:
            self.table.selectRow(0)
        self._update_buttons()

    def _fit_rows(self) -> None:
        """Each band and place on a line of its own, with some air around them."""
        self.table.resizeRowsToContents()
        for row in range(self.model.rowCount()):
            self.table.setRowHeight(row, self.table.rowHeight(row) + ROW_PADDING)

    def _load_failed(self, message: str) -> None:
        self.say(message, error=True)

    # ---- selection -----------------------------------------------------------------

    def selected(self) -> StoredTariff | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.model.rowCount():
            return None
        return self.model.row_at(rows[0].row())

    def select(self, tariff_id: int) -> None:
        for row, stored in enumerate(self.model.rows()):
            if stored.id == tariff_id:
                self.table.selectRow(row)

    def selected_assignment(self) -> TariffAssignment | None:
        rows = self.assignment_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.assignments.rowCount():
            return None
        return self.assignments.row_at(rows[0].row())

    def _update_buttons(self) -> None:
        stored = self.selected()
        for button in (self.edit_button, self.duplicate_button, self.archive_button):
            button.setEnabled(stored is not None)
        archived = stored is not None and stored.archived
        self.archive_button.setText(_tr("&Restore") if archived else _tr("&Archive…"))
        self.edit_button.setEnabled(stored is not None and not archived)
        self.unassign_button.setEnabled(self.selected_assignment() is not None)

    # ---- editing -------------------------------------------------------------------

    def new_tariff(self) -> None:
        self._open_editor(TariffDraft.blank(), None, _tr("New tariff"))

    def edit_selected(self) -> None:
        stored = self.selected()
        if stored is None or stored.archived:
            return
        title = _tr("Edit tariff “{name}”").format(name=stored.name)
        self._open_editor(TariffDraft.of(stored.tariff), stored.id, title)

    def duplicate_selected(self) -> None:
        stored = self.selected()
        if stored is None:
            return
        copy = replace(TariffDraft.of(stored.tariff), name=copy_name(stored.name))
        self._open_editor(copy, None, _tr("New tariff from “{name}”").format(name=stored.name))

    def _open_editor(self, draft: TariffDraft, tariff_id: int | None, title: str) -> None:
        self.notice.hide()
        self.editor.load(draft, tariff_id, title)
        self.pages.setCurrentWidget(self.editor)
        self.editor.name.setFocus()

    def show_list(self) -> None:
        self.pages.setCurrentWidget(self.list_page)

    def _save(self, tariff: Tariff) -> None:
        tariff_id = self.editor.tariff_id

        def store(s: Services) -> Awaitable[StoredTariff]:
            if tariff_id is None:
                return s.tariffs.create(tariff)
            return s.tariffs.update(tariff_id, tariff)

        def saved(stored: StoredTariff) -> None:
            if not shiboken6.isValid(self):
                return
            self.editor.mark_saved()
            self.show_list()
            self.say(_tr("Tariff “{name}” saved.").format(name=stored.name))
            self.refresh()
            self._select_when_loaded(stored.id)

        def failed(message: str, _exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self.editor.show_save_error(sentence(message))

        EngineOp(self._host, store).success(saved).failure(failed).run()

    def _select_when_loaded(self, tariff_id: int) -> None:
        self.model.modelReset.connect(
            lambda: self.select(tariff_id), Qt.ConnectionType.SingleShotConnection
        )

    # ---- archive and assignments ---------------------------------------------------

    def archive_or_restore_selected(self) -> None:
        stored = self.selected()
        if stored is None:
            return
        if stored.archived:
            self._run(
                lambda s: s.tariffs.restore(stored.id),
                _tr("Tariff “{name}” restored.").format(name=stored.name),
            )
            return
        if not confirm(
            self,
            _tr("Archive tariff"),
            _tr(
                "Archive “{name}”? It can no longer be assigned; sessions that used it "
                "keep their prices."
            ).format(name=stored.name),
            _tr("Archive tariff"),
        ):
            return
        self._run(
            lambda s: s.tariffs.archive(stored.id),
            _tr("Tariff “{name}” archived.").format(name=stored.name),
        )

    def assign(self) -> None:
        stored = self.selected()
        request = tariff_assign.choose_assignment(
            self, self.state, None if stored is None else stored.id
        )
        if request is None:
            return
        scope = request.scope
        self._run(
            lambda s: s.tariffs.assign(
                request.tariff_id,
                site_id=scope.site_id,
                station_id=scope.station_id,
                fleet_id=scope.fleet_id,
                plan_id=scope.plan_id,
            ),
            _tr("“{tariff}” now applies: {where}.").format(
                tariff=self.state.tariff_name(request.tariff_id),
                where=self.state.describe(scope),
            ),
        )

    def unassign_selected(self) -> None:
        assignment = self.selected_assignment()
        if assignment is None:
            return
        scope = assignment.scope
        where = self.state.describe(scope)
        name = self.state.tariff_name(assignment.tariff_id)
        if not confirm(
            self,
            _tr("Clear tariff"),
            _tr(
                "Stop “{tariff}” applying here: {where}? A more general tariff, if any, "
                "applies there instead."
            ).format(tariff=name, where=where),
            _tr("Clear tariff"),
        ):
            return
        self._run(
            lambda s: s.tariffs.unassign(
                site_id=scope.site_id,
                station_id=scope.station_id,
                fleet_id=scope.fleet_id,
                plan_id=scope.plan_id,
            ),
            _tr("“{tariff}” no longer applies: {where}.").format(tariff=name, where=where),
        )

    def _run(self, call: Callable[[Services], Awaitable[object]], done: str) -> None:
        self.notice.hide()
        act(
            self._host,
            call,
            done=done,
            tell=lambda text, error: self.say(text, error=error),
            then=self.refresh,
        )

    def say(self, message: str, *, error: bool = False) -> None:
        if not shiboken6.isValid(self):
            return
        self.notice.setStyleSheet(f"color: {'#d0342c' if error else '#2e9d57'};")
        self.notice.setText(message)
        self.notice.show()
