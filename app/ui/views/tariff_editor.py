"""The tariff editor: every price of a tariff, checked as it is typed, beside the calculator.

Each field shows its problem right under it and Save stays disabled until there is
none; what counts as a problem is decided by the tariff domain (see tariff_draft).
The calculator prices an example session with the tariff as it stands on screen,
saved or not. Cancel with unsaved changes asks before throwing them away.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.tariffs import NAME_MAX_LENGTH, RoundingMode, Tariff
from app.ui.dialogs.confirm import confirm
from app.ui.views.tariff_band_table import PROBLEM_STYLE, BandTable
from app.ui.views.tariff_calculator import TariffCalculator
from app.ui.views.tariff_draft import DraftCheck, Field, TariffDraft, check
from app.ui.views.tariff_text import scaled_text

CURRENCIES = ("SEK", "EUR", "NOK", "DKK")
MAX_GRACE_MINUTES = 24 * 60
AMOUNT_WIDTH = 110


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tariffs", text)


def confirm_discard(parent: QWidget | None) -> bool:
    """Ask before unsaved changes are thrown away (tests replace this)."""
    return confirm(
        parent,
        _tr("Discard changes"),
        _tr("This tariff has changes that are not saved. Discard them?"),
        _tr("Discard changes"),
        destructive=True,
    )


class _Checked(QWidget):
    """An input, its unit, and the line under it that says what is wrong with it."""

    def __init__(self, field: QWidget, unit: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unit = QLabel(unit, self)
        self.unit.setStyleSheet("color: #6b7078;")
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(PROBLEM_STYLE)
        self.problem.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(field)
        row.addWidget(self.unit)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.problem)

    def show_problem(self, problem: str | None) -> None:
        self.problem.setText(problem or "")
        self.problem.setVisible(bool(problem))


class TariffEditor(QWidget):
    """Emits `save_requested(Tariff)`; the tariffs view stores it and calls `close_editor`."""

    save_requested = Signal(object)
    closed = Signal()

    def __init__(self, zone: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tariff_id: int | None = None
        self._baseline = TariffDraft()
        self._loading = False
        self._saving = False
        self.last_check = DraftCheck()

        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.name = QLineEdit(self)
        self.name.setMaxLength(NAME_MAX_LENGTH + 1)
        self.name.setPlaceholderText(_tr("e.g. Depot standard"))
        self.name.setMinimumWidth(220)
        self.currency = QComboBox(self)
        self.currency.setEditable(True)
        self.currency.addItems(CURRENCIES)
        self.currency.setMaximumWidth(AMOUNT_WIDTH)
        self.idle_grace = QSpinBox(self)
        self.idle_grace.setRange(0, MAX_GRACE_MINUTES)
        self.idle_grace.setMaximumWidth(AMOUNT_WIDTH)
        self.rounding_unit = QLabel(self)
        self.rounding_unit.setStyleSheet("color: #6b7078;")
        self.rounding_mode = QComboBox(self)
        self.rounding_mode.addItem(_tr("to the nearest step"), RoundingMode.HALF_UP)
        self.rounding_mode.addItem(_tr("always up"), RoundingMode.UP)
        self.amounts: dict[Field, QLineEdit] = {}
        self.checked: dict[Field, _Checked] = {}
        for name in (*AMOUNT_FIELDS, Field.VAT):
            edit = QLineEdit(self)
            edit.setMaximumWidth(AMOUNT_WIDTH)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.amounts[name] = edit
        for name, placeholder in PLACEHOLDERS.items():
            self.amounts[name].setPlaceholderText(placeholder())
        self.bands = BandTable(self)
        self.calculator = TariffCalculator(zone, self)

        self.general_problem = QLabel(self)
        self.general_problem.setWordWrap(True)
        self.general_problem.setStyleSheet(PROBLEM_STYLE)
        self.save_button = QPushButton(_tr("&Save tariff"), self)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton(_tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.cancel)
        self._lay_out()

        self.name.textChanged.connect(lambda _t: self.revalidate())
        self.currency.currentTextChanged.connect(lambda _t: self._currency_changed())
        self.idle_grace.valueChanged.connect(lambda _v: self.revalidate())
        self.rounding_mode.currentIndexChanged.connect(lambda _i: self.revalidate())
        for edit in self.amounts.values():
            edit.textChanged.connect(lambda _t: self.revalidate())
        self.bands.changed.connect(self.revalidate)
        self.load(TariffDraft.blank(), None)

    # ---- layout --------------------------------------------------------------------

    def _row(self, form: QFormLayout, label: str, name: Field, field: QWidget) -> None:
        wrapped = _Checked(field, parent=self)
        self.checked[name] = wrapped
        form.addRow(label, wrapped)

    def _group(self, title: str, rows: list[tuple[str, Field, QWidget]]) -> QGroupBox:
        box = QGroupBox(title, self)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, name, field in rows:
            self._row(form, label, name, field)
        return box

    def _lay_out(self) -> None:
        a = self.amounts
        general = self._group(
            _tr("Tariff"),
            [
                (_tr("Name:"), Field.NAME, self.name),
                (_tr("Currency:"), Field.CURRENCY, self.currency),
                (_tr("VAT rate:"), Field.VAT, a[Field.VAT]),
            ],
        )
        charging = self._group(
            _tr("While charging"),
            [
                (_tr("Energy price:"), Field.ENERGY, a[Field.ENERGY]),
                (_tr("Price per minute:"), Field.TIME, a[Field.TIME]),
                (_tr("Start fee:"), Field.START_FEE, a[Field.START_FEE]),
            ],
        )
        idle = self._group(
            _tr("After charging ends (idle fee)"),
            [
                (_tr("Idle fee per minute:"), Field.IDLE, a[Field.IDLE]),
                (_tr("Free for the first:"), Field.IDLE_GRACE, self.idle_grace),
                (_tr("Idle fee at most:"), Field.IDLE_CAP, a[Field.IDLE_CAP]),
            ],
        )
        rounding = QWidget(self)
        rounding_row = QHBoxLayout(rounding)
        rounding_row.setContentsMargins(0, 0, 0, 0)
        rounding_row.addWidget(a[Field.ROUNDING])
        rounding_row.addWidget(self.rounding_unit)
        rounding_row.addWidget(self.rounding_mode)
        limits = self._group(
            _tr("Session price"),
            [
                (_tr("At least:"), Field.MIN, a[Field.MIN]),
                (_tr("At most:"), Field.MAX, a[Field.MAX]),
                (_tr("Round the total to:"), Field.ROUNDING, rounding),
            ],
        )
        self.checked[Field.VAT].unit.setText("%")
        self.checked[Field.IDLE_GRACE].unit.setText(_tr("minutes"))
        bands = QGroupBox(_tr("Time bands (their own prices at certain hours)"), self)
        QVBoxLayout(bands).addWidget(self.bands)

        form = QWidget(self)
        grid = QGridLayout(form)
        grid.addWidget(general, 0, 0)
        grid.addWidget(charging, 1, 0)
        grid.addWidget(idle, 0, 1)
        grid.addWidget(limits, 1, 1)
        grid.addWidget(bands, 2, 0, 1, 2)
        grid.setRowStretch(3, 1)
        scroll = QScrollArea(self)
        scroll.setWidget(form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(scroll)
        splitter.addWidget(self.calculator)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.general_problem, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    # ---- state ---------------------------------------------------------------------

    def load(self, draft: TariffDraft, tariff_id: int | None, title: str = "") -> None:
        """Show a draft to edit; `tariff_id` None for a new tariff."""
        self._loading = True
        self.tariff_id = tariff_id
        self.title.setText(title or _tr("New tariff"))
        self.name.setText(draft.name)
        self.currency.setCurrentText(draft.currency)
        self.idle_grace.setValue(draft.idle_grace)
        self.rounding_mode.setCurrentIndex(self.rounding_mode.findData(draft.rounding_mode))
        texts = draft.texts()
        for name, edit in self.amounts.items():
            edit.setText(texts[name])
        self.bands.set_bands(draft.bands)
        self._loading = False
        self._baseline = self.draft()
        self._currency_changed()
        self.set_saving(False)

    def draft(self) -> TariffDraft:
        a = self.amounts
        return TariffDraft(
            name=self.name.text(),
            currency=self.currency.currentText(),
            vat=a[Field.VAT].text(),
            energy=a[Field.ENERGY].text(),
            minute=a[Field.TIME].text(),
            start_fee=a[Field.START_FEE].text(),
            idle=a[Field.IDLE].text(),
            idle_grace=self.idle_grace.value(),
            idle_cap=a[Field.IDLE_CAP].text(),
            min_price=a[Field.MIN].text(),
            max_price=a[Field.MAX].text(),
            rounding=a[Field.ROUNDING].text(),
            rounding_mode=RoundingMode(self.rounding_mode.currentData()),
            bands=self.bands.bands(),
        )

    def is_dirty(self) -> bool:
        return self.draft() != self._baseline

    def _currency_changed(self) -> None:
        currency = self.currency.currentText().strip().upper() or "—"
        units = {
            Field.ENERGY: _tr("{currency} per kWh"),
            Field.TIME: _tr("{currency} per minute"),
            Field.IDLE: _tr("{currency} per minute"),
        }
        for name in AMOUNT_FIELDS:
            unit = units.get(name, "{currency}").format(currency=currency)
            self.checked[name].unit.setText("" if name is Field.ROUNDING else unit)
        self.rounding_unit.setText(currency)
        self.revalidate()

    def revalidate(self) -> DraftCheck:
        if self._loading:
            return self.last_check
        result = check(self.draft())
        self.last_check = result
        for name, wrapped in self.checked.items():
            wrapped.show_problem(result.problems.get(name))
        self.bands.show_problems(result.band_problems, result.clashing_rows, result.clash)
        self.general_problem.setText(result.general or "")
        self.save_button.setEnabled(result.valid and not self._saving)
        self.calculator.set_tariff(result.tariff)
        return result

    # ---- save and cancel -----------------------------------------------------------

    def set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(self.last_check.valid and not saving)
        self.save_button.setText(_tr("Saving…") if saving else _tr("&Save tariff"))

    def show_save_error(self, message: str) -> None:
        self.set_saving(False)
        self.general_problem.setText(message)

    def save(self) -> None:
        result = self.revalidate()
        if result.tariff is None or self._saving:
            return
        self.set_saving(True)
        self.save_requested.emit(result.tariff)

    def mark_saved(self) -> None:
        """The store has it: nothing is unsaved any more."""
        self._baseline = self.draft()
        self.set_saving(False)

    def cancel(self) -> None:
        if self.is_dirty() and not confirm_discard(self):
            return
        self.closed.emit()

    def current_tariff(self) -> Tariff | None:
        return self.last_check.tariff


AMOUNT_FIELDS = (
    Field.ENERGY,
    Field.TIME,
    Field.START_FEE,
    Field.IDLE,
    Field.IDLE_CAP,
    Field.MIN,
    Field.MAX,
    Field.ROUNDING,
)
PLACEHOLDERS: dict[Field, Callable[[], str]] = {
    Field.ENERGY: lambda: scaled_text(0, 2),
    Field.TIME: lambda: scaled_text(0, 2),
    Field.START_FEE: lambda: scaled_text(0, 2),
    Field.IDLE: lambda: scaled_text(0, 2),
    Field.IDLE_CAP: lambda: _tr("no cap"),
    Field.MIN: lambda: _tr("no minimum"),
    Field.MAX: lambda: _tr("no maximum"),
    Field.ROUNDING: lambda: scaled_text(1, 2),
    Field.VAT: lambda: "0",
}
