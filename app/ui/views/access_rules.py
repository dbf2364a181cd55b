"""Access rules: who may charge where and when, each also read as a plain sentence.

With no rule at all every valid tag may charge anywhere at any time; the first
rule ends that, which the panel says plainly above the table.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.access import AccessRule
from app.ui.dialogs import validated_form
from app.ui.dialogs.rule_form import RuleDialog
from app.ui.dialogs.validated_form import say, show_dialog
from app.ui.engine_host import EngineHost
from app.ui.icons import icon
from app.ui.operations import EngineOp
from app.ui.views.access_state import AccessState
from app.ui.views.driver_tables import RuleTableModel, make_table


def _tr(text: str) -> str:
    return QCoreApplication.translate("Drivers", text)


class AccessRulesPanel(QWidget):
    def __init__(self, host: EngineHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self.state = AccessState()
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.model = RuleTableModel(self)
        self.table = make_table(self.model, self)
        for column, width in enumerate((200, 160, 130, 110)):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.add_button = QPushButton(icon("add"), _tr("Add &rule…"), self)
        self.add_button.clicked.connect(self.add_rule)
        self.edit_button = QPushButton(_tr("&Edit rule…"), self)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button = QPushButton(icon("remove"), _tr("Re&move rule…"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.notice, 1)
        buttons.addStretch(1)  # buttons keep their size while the notice is hidden
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._update_buttons()
        self._summarise()

    def show_state(self, state: AccessState) -> None:
        chosen = self.selected()
        self.state = state
        self.model.set_rules(state.rules, state.fleet_names, state.site_names)
        ids = self.model.rule_ids()
        if chosen is not None and chosen.id in ids:
            self.table.selectRow(ids.index(chosen.id))
        self._summarise()
        self._update_buttons()

    def _summarise(self) -> None:
        if not self.state.rules:
            self.summary.setText(
                _tr(
                    "<b>No access rules: every valid tag may charge at every station, at any "
                    "time.</b> Add a rule to limit who may charge where and when; once there "
                    "is one, a tag may charge only where and when some rule allows it."
                )
            )
        else:
            self.summary.setText(
                _tr(
                    "A tag may charge only where and when at least one of these rules allows "
                    "it (times are the site's local time). Other tags are refused as Invalid."
                )
            )

    def sentences(self) -> list[str]:
        return [self.model.sentence(row) for row in range(self.model.rowCount())]

    def selected(self) -> AccessRule | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.model.rowCount():
            return None
        return self.model.row_at(rows[0].row())

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for button in (self.edit_button, self.remove_button):
            button.setEnabled(chosen)
            button.setToolTip("" if chosen else _tr("Select a rule first"))

    # ---- actions --------------------------------------------------------------------

    def _dialog(self, rule: AccessRule | None) -> RuleDialog:
        state = self.state
        dialog = RuleDialog(self._host, state.fleets, state.sites, state.stations, rule, self)
        dialog.saved.connect(lambda _r: say(self.notice, _tr("Access rule saved.")))
        show_dialog(dialog)
        return dialog

    def add_rule(self) -> RuleDialog:
        return self._dialog(None)

    def edit_selected(self) -> RuleDialog | None:
        rule = self.selected()
        return self._dialog(rule) if rule is not None else None

    def remove_selected(self) -> None:
        rule = self.selected()
        if rule is None:
            return
        last = len(self.state.rules) == 1
        sentence = self.model.sentence(self.model.rule_ids().index(rule.id))
        question = _tr("Remove this rule?\n\n{rule}").format(rule=sentence)
        if last:
            question += "\n\n" + _tr(
                "It is the last rule: without rules every valid tag may charge anywhere, "
                "at any time."
            )
        if not validated_form.confirm_action(
            self, _tr("Remove access rule"), question, _tr("Remove rule")
        ):
            return
        rule_id = rule.id

        def removed(_: None) -> None:
            if shiboken6.isValid(self):
                say(self.notice, _tr("Access rule removed."))

        def failed(message: str, _exc: BaseException) -> None:
            if shiboken6.isValid(self):
                say(self.notice, message, error=True)

        EngineOp(self._host, lambda s: s.access.remove_rule(rule_id)).success(removed).failure(
            failed
        ).run()
