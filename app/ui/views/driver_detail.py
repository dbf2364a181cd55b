"""One driver: their details and tags, and what can be done with them.

Blocking a tag or deactivating a driver asks first and says what happens to
sessions in progress (the `stop_on_block` setting: stopped now, or allowed to
finish); chargers are told by the services, which clear their caches and lists.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import tzinfo
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.access import DriverCard
from app.domain.model import IdTag, IdTagStatus
from app.services.container import Services
from app.ui.dialogs import validated_form
from app.ui.dialogs.driver_form import DriverDialog
from app.ui.dialogs.tag_form import TagDialog
from app.ui.dialogs.validated_form import say, show_dialog
from app.ui.engine_host import EngineHost
from app.ui.icons import icon
from app.ui.operations import EngineOp
from app.ui.views.access_state import AccessState
from app.ui.views.access_text import MUTED, budget_text
from app.ui.views.driver_tables import TagTableModel, make_table


def _tr(text: str) -> str:
    return QCoreApplication.translate("Drivers", text)


async def sessions_in_progress(
    s: Services, id_tags: tuple[str, ...], *, group: bool
) -> tuple[int, int]:
    """Open sessions of these tags, and with `group` of the tags in their groups (which
    a block of the group tag blocks too); and how many such members there are."""
    members = set()
    if group:
        members = {t.id_tag for t in await s.tags.tags() if t.parent_id_tag in id_tags}
    total = 0
    for id_tag in sorted(set(id_tags) | members):
        total += len(await s.transactions.find(open_only=True, id_tag=id_tag))
    return total, len(members)


class DriverDetailPanel(QWidget):
    history_requested = Signal(int)
    deactivated = Signal(int)  # so the list can keep showing the driver

    def __init__(
        self,
        host: EngineHost,
        zone: tzinfo,
        history_available: Callable[[], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._zone = zone
        self._history_available = history_available
        self.state = AccessState()
        self.card: DriverCard | None = None

        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.activity = QLabel(self)
        self.fields = QFormLayout()
        self.fields.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.values: dict[str, QLabel] = {}
        for key, label in (
            ("fleet", _tr("Fleet:")),
            ("email", _tr("Email:")),
            ("phone", _tr("Phone:")),
            ("budget", _tr("Monthly budget:")),
            ("notes", _tr("Notes:")),
        ):
            value = QLabel(self)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            self.fields.addRow(label, value)

        self.edit_button = QPushButton(_tr("&Edit driver…"), self)
        self.edit_button.clicked.connect(self.edit_driver)
        self.active_button = QPushButton(self)
        self.active_button.clicked.connect(self.toggle_active)
        self.history_button = QPushButton(_tr("&History"), self)
        self.history_button.clicked.connect(self._history)

        self.tags_title = QLabel(self)
        self.tags_title.setStyleSheet("font-weight: bold; margin-top: 8px;")
        self.tags = TagTableModel(zone, self)
        self.tag_table = make_table(self.tags, self)
        for column, width in enumerate((120, 165, 130, 95, 115)):
            self.tag_table.setColumnWidth(column, width)
        self.tag_table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.tag_table.selectionModel().selectionChanged.connect(lambda *_: self.update_buttons())
        self.tag_table.doubleClicked.connect(lambda _i: self.edit_tag())
        self.add_tag_button = QPushButton(icon("add"), _tr("&Add tag…"), self)
        self.add_tag_button.clicked.connect(self.add_tag)
        self.edit_tag_button = QPushButton(_tr("Edit ta&g…"), self)
        self.edit_tag_button.clicked.connect(self.edit_tag)
        self.block_button = QPushButton(self)
        self.block_button.clicked.connect(self.block_or_unblock)
        self.remove_tag_button = QPushButton(icon("remove"), _tr("Remo&ve tag…"), self)
        self.remove_tag_button.clicked.connect(self.remove_tag)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.placeholder = QLabel(_tr("Select a driver to see their details and tags."), self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet(f"color: {MUTED}; font-size: 12pt; padding: 24px;")

        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.activity)
        driver_buttons = QHBoxLayout()
        for button in (self.edit_button, self.active_button, self.history_button):
            driver_buttons.addWidget(button)
        driver_buttons.addStretch(1)
        tag_buttons = QHBoxLayout()
        for button in (
            self.add_tag_button,
            self.edit_tag_button,
            self.block_button,
            self.remove_tag_button,
        ):
            tag_buttons.addWidget(button)
        tag_buttons.addStretch(1)
        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(heading)
        body.addLayout(self.fields)
        body.addLayout(driver_buttons)
        body.addWidget(self.tags_title)
        body.addWidget(self.tag_table, 1)
        body.addLayout(tag_buttons)
        body.addWidget(self.notice)
        layout = QVBoxLayout(self)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.body, 1)
        self.show_card(None)

    # ---- showing ----------------------------------------------------------------------

    def show_card(self, card: DriverCard | None, state: AccessState | None = None) -> None:
        if state is not None:
            self.state = state
        if card is None or self.card is None or card.driver.id != self.card.driver.id:
            self.notice.hide()
        chosen = self.selected_tag()
        self.card = card
        self.placeholder.setVisible(card is None)
        self.body.setVisible(card is not None)
        if card is None:
            self.tags.set_tags((), driver_active=True)
            self.update_buttons()
            return
        driver = card.driver
        self.title.setText(driver.name)
        if driver.active:
            self.activity.setText(_tr("Active"))
            self.activity.setStyleSheet("color: #2e9d57; font-weight: bold;")
        else:
            self.activity.setText(_tr("Inactive: chargers refuse all of their tags"))
            self.activity.setStyleSheet("color: #d0342c; font-weight: bold;")
        none = f'<span style="color:{MUTED}">{_tr("not given")}</span>'
        self.values["fleet"].setText(card.fleet_name or _tr("No fleet"))
        self.values["email"].setText(driver.email or none)
        self.values["phone"].setText(driver.phone or none)
        self.values["budget"].setText(budget_text(driver.monthly_budget_minor))
        self.values["notes"].setText(driver.notes or none)
        self.tags_title.setText(_tr("Tags ({n})").format(n=len(card.tags)))
        self.tags.set_tags(card.tags, driver_active=driver.active)
        if chosen is not None and chosen.id_tag in [t.id_tag for t in card.tags]:
            self.select_tag(chosen.id_tag)
        elif card.tags:
            self.tag_table.selectRow(0)
        self.update_buttons()

    def selected_tag(self) -> IdTag | None:
        rows = self.tag_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.tags.rowCount():
            return None
        return self.tags.row_at(rows[0].row())

    def select_tag(self, id_tag: str) -> None:
        keys = [t.id_tag for t in self.tags.rows()]
        if id_tag in keys:
            self.tag_table.selectRow(keys.index(id_tag))

    def update_buttons(self) -> None:
        card, tag = self.card, self.selected_tag()
        active = card is not None and card.driver.active
        self.active_button.setText(_tr("&Deactivate…") if active else _tr("A&ctivate"))
        history = self._history_available()
        self.history_button.setEnabled(card is not None and history)
        self.history_button.setToolTip(
            _tr("This driver's charging sessions")
            if history
            else _tr("The driver's charging history comes with the Driver history screen.")
        )
        blocked = tag is not None and tag.status is IdTagStatus.BLOCKED
        self.block_button.setText(_tr("&Unblock") if blocked else _tr("&Block…"))
        for button in (self.edit_tag_button, self.block_button, self.remove_tag_button):
            button.setEnabled(tag is not None)
            button.setToolTip("" if tag is not None else _tr("Select a tag first"))

    def _history(self) -> None:
        if self.card is not None and self._history_available():
            self.history_requested.emit(self.card.driver.id)

    # ---- driver actions -----------------------------------------------------------------

    def edit_driver(self) -> DriverDialog | None:
        if self.card is None:
            return None
        dialog = DriverDialog(self._host, self.state.fleets, self.card, self)
        dialog.saved.connect(lambda c: self._said(_tr("{name} saved.").format(name=c.driver.name)))
        show_dialog(dialog)
        return dialog

    def toggle_active(self) -> None:
        card = self.card
        if card is None:
            return
        driver_id, name = card.driver.id, card.driver.name
        if not card.driver.active:
            self._run(
                lambda s: s.access.activate_driver(driver_id),
                _tr("{name} is active again; their tags are accepted.").format(name=name),
            )
            return
        keys = tuple(t.id_tag for t in card.tags)

        def ask(in_progress: int, _members: int) -> None:
            question = _tr(
                "Deactivate {name}? Chargers will refuse all of their tags ({n}) until they "
                "are activated again."
            ).format(name=name, n=len(keys))
            if not validated_form.confirm_action(
                self,
                _tr("Deactivate driver"),
                f"{question}\n\n{self._sessions_sentence(in_progress)}",
                _tr("Deactivate"),
            ):
                return
            self._run(
                lambda s: s.access.deactivate_driver(driver_id),
                _tr("{name} deactivated.").format(name=name),
                then=lambda: self.deactivated.emit(driver_id),
            )

        self._count_then(keys, ask, group=False)

    # ---- tag actions --------------------------------------------------------------------

    def add_tag(self) -> TagDialog | None:
        if self.card is None:
            return None
        dialog = TagDialog(self._host, self.card, self._zone, None, self)
        dialog.saved.connect(self._tag_added)
        show_dialog(dialog)
        return dialog

    def _tag_added(self, tag: IdTag) -> None:
        self._said(_tr("Tag {uid} added.").format(uid=tag.id_tag))
        self.select_tag(tag.id_tag)

    def edit_tag(self) -> TagDialog | None:
        tag = self.selected_tag()
        if self.card is None or tag is None:
            return None
        dialog = TagDialog(self._host, self.card, self._zone, tag, self)
        dialog.saved.connect(lambda t: self._said(_tr("Tag {uid} saved.").format(uid=t.id_tag)))
        show_dialog(dialog)
        return dialog

    def block_or_unblock(self) -> None:
        tag = self.selected_tag()
        if tag is None:
            return
        key = tag.id_tag
        if tag.status is IdTagStatus.BLOCKED:
            self._run(
                lambda s: s.tags.unblock(key),
                _tr("Tag {uid} unblocked: chargers accept it again.").format(uid=key),
            )
            return

        def ask(in_progress: int, members: int) -> None:
            question = _tr("Block tag {uid}? Chargers will refuse it from now on.").format(uid=key)
            if members:
                question += " " + _tr(
                    "It is the group tag of {n} other tags; they are refused with it."
                ).format(n=members)
            if not validated_form.confirm_action(
                self,
                _tr("Block tag"),
                f"{question}\n\n{self._sessions_sentence(in_progress)}",
                _tr("Block tag"),
            ):
                return
            self._run(lambda s: s.tags.block(key), _tr("Tag {uid} blocked.").format(uid=key))

        self._count_then((key,), ask, group=True)

    def remove_tag(self) -> None:
        tag, card = self.selected_tag(), self.card
        if tag is None or card is None:
            return
        key = tag.id_tag
        if not validated_form.confirm_action(
            self,
            _tr("Remove tag"),
            _tr(
                "Remove tag {uid} from {name}? Chargers will refuse it; past sessions keep "
                "it in their records. To stop it for a while instead, block it."
            ).format(uid=key, name=card.driver.name),
            _tr("Remove tag"),
        ):
            return
        self._run(lambda s: s.tags.remove(key), _tr("Tag {uid} removed.").format(uid=key))

    # ---- helpers -------------------------------------------------------------------------

    def _sessions_sentence(self, in_progress: int) -> str:
        if self._host.settings.stop_on_block:
            policy = _tr("Sessions in progress with a refused tag are stopped at once.")
        else:
            policy = _tr(
                "Sessions in progress with a refused tag may finish; chargers refuse the "
                "next start (setting stop_on_block is off)."
            )
        return policy + " " + _tr("Sessions in progress now: {n}.").format(n=in_progress)

    def _count_then(
        self, keys: tuple[str, ...], then: Callable[[int, int], None], *, group: bool
    ) -> None:
        def counted(found: tuple[int, int]) -> None:
            if shiboken6.isValid(self):
                then(*found)

        EngineOp(self._host, lambda s: sessions_in_progress(s, keys, group=group)).success(
            counted
        ).failure(self._failed).run()

    def _run(
        self,
        call: Callable[[Services], Awaitable[Any]],
        done: str,
        then: Callable[[], None] | None = None,
    ) -> None:
        self.notice.hide()

        def succeeded(_result: object) -> None:
            if shiboken6.isValid(self):
                if then is not None:
                    then()
                say(self.notice, done)

        EngineOp(self._host, call).success(succeeded).failure(self._failed).run()

    def _said(self, text: str) -> None:
        if shiboken6.isValid(self):
            say(self.notice, text)

    def _failed(self, message: str, _exc: BaseException) -> None:
        if shiboken6.isValid(self):
            say(self.notice, message, error=True)
