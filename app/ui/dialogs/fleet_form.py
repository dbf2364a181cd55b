"""Add a fleet, or rename one and set its monthly budget."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from app.domain.access import Fleet
from app.domain.access_forms import NAME_MAX
from app.services.container import Services
from app.ui.dialogs import field_checks as checks
from app.ui.dialogs.validated_form import SaveCall, ValidatedFormDialog
from app.ui.engine_host import EngineHost
from app.ui.views.access_text import CURRENCY
from app.ui.views.tariff_text import money_text


def _tr(text: str) -> str:
    return QCoreApplication.translate("DriverForms", text)


class FleetDialog(ValidatedFormDialog):
    """A new fleet, or `fleet` to change; `fleets` are all of them (names are unique)."""

    def __init__(
        self,
        host: EngineHost,
        fleets: Sequence[Fleet],
        fleet: Fleet | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            host,
            _tr("Add fleet") if fleet is None else _tr("Edit fleet {name}").format(name=fleet.name),
            _tr("A company or group of drivers. Access rules can be made for a whole fleet."),
            _tr("Add fleet") if fleet is None else _tr("Save"),
            parent,
        )
        self.fleet = fleet
        self._taken = {f.name.casefold() for f in fleets if fleet is None or f.id != fleet.id}
        self.name = QLineEdit(fleet.name if fleet else "", self)
        self.name.setMaxLength(NAME_MAX + 20)
        self.add_field("name", _tr("Name:"), self.name)
        budget = fleet.monthly_budget_minor if fleet else None
        self.budget = QLineEdit(money_text(budget, CURRENCY) if budget is not None else "", self)
        self.budget.setPlaceholderText(_tr("empty: no budget"))
        budget_row = QHBoxLayout()
        budget_row.addWidget(self.budget, 1)
        budget_row.addWidget(QLabel(CURRENCY, self))
        self.add_field("budget", _tr("Monthly budget:"), budget_row)
        self.note = QLineEdit(fleet.note if fleet else "", self)
        self.add_field("note", _tr("Note:"), self.note)
        for line in (self.name, self.budget, self.note):
            line.textChanged.connect(lambda _t: self.revalidate())
        self.start()

    def values(self) -> object:
        return (self.name.text(), self.budget.text(), self.note.text())

    def problems(self) -> dict[str, str]:
        name = " ".join(self.name.text().split())
        found = {
            "name": checks.name_problem(self.name.text()),
            "budget": checks.budget_problem(self.budget.text()),
            "note": checks.notes_problem(self.note.text()),
        }
        if found["name"] is None and name.casefold() in self._taken:
            found["name"] = _tr("There is a fleet called {name} already.").format(name=name)
        return {key: text for key, text in found.items() if text}

    def save_call(self) -> SaveCall:
        name, note = self.name.text(), self.note.text()
        budget = checks.budget_minor(self.budget.text())
        if self.fleet is not None:
            changed = dataclasses.replace(
                self.fleet, name=name, note=note, monthly_budget_minor=budget
            )
            return lambda s: s.access.update_fleet(changed)

        async def create(s: Services) -> Fleet:
            fleet = await s.access.create_fleet(name, note)
            if budget is None:
                return fleet
            # create_fleet takes no budget; checked above, so setting it cannot be refused.
            return await s.access.update_fleet(
                dataclasses.replace(fleet, monthly_budget_minor=budget)
            )

        return create
