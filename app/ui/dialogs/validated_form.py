"""A form dialog that checks every field as it is typed and saves through the engine.

Each field has its message right under it. OK is enabled only when no field
has a problem and no check is still waiting for the engine. OK saves (on the
engine thread); the dialog closes only when the service stored everything,
otherwise it stays open with the service's reason, so nothing is half-saved
and nothing typed is lost. Cancel with unsaved changes asks first.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.container import Services
from app.ui.dialogs.confirm import confirm
from app.ui.engine_host import EngineHost
from app.ui.formatting import sentence
from app.ui.operations import EngineOp

ERROR_COLOUR = "#b3261e"
HINT_COLOUR = "#6b7078"

SaveCall = Callable[[Services], Awaitable[Any]]


def _tr(text: str) -> str:
    return QCoreApplication.translate("DriverForms", text)


def confirm_discard(parent: QWidget | None) -> bool:
    """Tests replace this so that nothing modal blocks them."""
    return confirm(
        parent,
        _tr("Discard changes"),
        _tr("Close without saving? What you typed here will be lost."),
        _tr("Discard changes"),
        destructive=True,
    )


class ValidatedFormDialog(QDialog):
    """Subclasses add fields with `add_field`, and implement `problems`, `values`, `save_call`."""

    saved = Signal(object)  # what the service returned

    def __init__(
        self,
        host: EngineHost,
        title: str,
        intro: str,
        ok_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.busy = False
        self.checking = False
        self.result_value: object = None
        self._initial: object = None
        self.messages: dict[str, QLabel] = {}
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.intro.setVisible(bool(intro))
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.service_error = QLabel(self)
        self.service_error.setWordWrap(True)
        self.service_error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.service_error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.service_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    @property
    def ok_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert button is not None
        return button

    def add_field(self, key: str, label: str, field: QWidget | Any) -> QLabel:
        """A row: the field, and under it the line that says what is wrong (or a hint)."""
        holder = QWidget(self)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if isinstance(field, QWidget):
            column.addWidget(field)
        else:
            column.addLayout(field)
        message = QLabel(holder)
        message.setWordWrap(True)
        message.hide()
        column.addWidget(message)
        self.messages[key] = message
        self.form.addRow(label, holder)
        return message

    # ---- for subclasses ------------------------------------------------------------

    def problems(self) -> dict[str, str]:
        """Field key → what is wrong with it, in words for the operator."""
        return {}

    def hints(self) -> dict[str, str]:
        """Field key → a neutral remark (how a UID will be stored), shown when no problem is."""
        return {}

    def values(self) -> object:
        """What the fields hold now; compared with the first values to know about changes."""
        return None

    def save_call(self) -> SaveCall:
        raise NotImplementedError

    # ---- state ---------------------------------------------------------------------

    def start(self) -> None:
        """Call at the end of the subclass's __init__: first values, first check."""
        self._initial = self.values()
        self.revalidate()

    @property
    def changed(self) -> bool:
        return self.values() != self._initial

    def revalidate(self) -> None:
        problems = self.problems()
        hints = self.hints()
        for key, label in self.messages.items():
            text, colour = problems.get(key), ERROR_COLOUR
            if text is None:
                text, colour = hints.get(key), HINT_COLOUR
            label.setText(text or "")
            label.setStyleSheet(f"color: {colour};")
            label.setVisible(bool(text))
        self.ok_button.setEnabled(not problems and not self.busy and not self.checking)

    def problem_text(self, key: str) -> str:
        """The message shown under a field now ("" when none)."""
        label = self.messages[key]
        return label.text() if label.isVisibleTo(self) else ""

    # ---- OK and Cancel -------------------------------------------------------------

    def accept(self) -> None:
        if self.busy or self.checking or self.problems():
            return
        self.busy = True
        self.service_error.hide()
        self.revalidate()
        EngineOp(self._host, self.save_call()).success(self._saved).failure(self._failed).run()

    def _saved(self, result: object) -> None:
        self.busy = False
        self.result_value = result
        self.saved.emit(result)
        super().accept()

    def _failed(self, message: str, _exc: BaseException) -> None:
        self.busy = False
        self.service_error.setText(_tr("Not saved: {reason}").format(reason=message))
        self.service_error.show()
        self.revalidate()

    def reject(self) -> None:
        if self.busy:
            return  # the save is on its way; its answer decides
        if self.changed and not confirm_discard(self):
            return
        super().reject()


def confirm_action(parent: QWidget | None, title: str, question: str, action: str) -> bool:
    """Before blocking, removing or deactivating; tests replace it (nothing modal blocks)."""
    return confirm(parent, title, question, action, destructive=True)


def show_dialog(dialog: ValidatedFormDialog) -> ValidatedFormDialog:
    """Open window-modal without blocking the caller; the dialog deletes itself when closed."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def say(label: QLabel, text: str, *, error: bool = False) -> None:
    """A view's one-line notice under its buttons: what just happened, or why not."""
    label.setStyleSheet(f"color: {ERROR_COLOUR if error else '#2e9d57'};")
    label.setText(text)
    label.setVisible(bool(text))


def act(
    host: EngineHost,
    call: Callable[[Services], Awaitable[Any]],
    *,
    done: str,
    tell: Callable[[str, bool], None],
    then: Callable[[], None],
) -> None:
    """Run a view's action on the engine: tell what happened (or why not, as a
    sentence), and on success `then` (usually the view's reload)."""

    def succeeded(_result: object) -> None:
        tell(done, False)
        then()

    def failed(message: str, _exc: BaseException) -> None:
        tell(sentence(message), True)

    EngineOp(host, call).success(succeeded).failure(failed).run()
