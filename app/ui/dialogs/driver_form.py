"""Add or edit a driver: name, fleet, contact, monthly budget, notes, and a first tag.

A new driver and their first tag are stored together by the access service, or
neither is: a UID that turns out to be taken leaves no driver without a tag.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from app.domain.access import DriverCard, Fleet
from app.domain.access_forms import EMAIL_MAX, NAME_MAX, PHONE_MAX
from app.domain.authorization import MAX_ID_TAG_LENGTH, normalise_id_tag
from app.domain.model import IdTag, IdTagStatus
from app.services.container import Services
from app.ui.dialogs import field_checks as checks
from app.ui.dialogs.tag_form import TagAvailability
from app.ui.dialogs.validated_form import SaveCall, ValidatedFormDialog
from app.ui.engine_host import EngineHost
from app.ui.views.access_text import CURRENCY
from app.ui.views.tariff_text import money_text


def _tr(text: str) -> str:
    return QCoreApplication.translate("DriverForms", text)


class DriverDialog(ValidatedFormDialog):
    """A new driver (with an optional first tag), or `card`'s driver to edit."""

    def __init__(
        self,
        host: EngineHost,
        fleets: Sequence[Fleet],
        card: DriverCard | None = None,
        parent: QWidget | None = None,
        *,
        fleet_id: int | None = None,
    ) -> None:
        adding = card is None
        super().__init__(
            host,
            _tr("Add driver") if card is None else _tr("Edit {name}").format(name=card.driver.name),
            "",
            _tr("Add driver") if adding else _tr("Save"),
            parent,
        )
        self.card = card
        driver = card.driver if card else None

        self.name = QLineEdit(driver.name if driver else "", self)
        self.name.setMaxLength(NAME_MAX + 20)
        self.add_field("name", _tr("Name:"), self.name)

        self.fleet = QComboBox(self)
        self.fleet.addItem(_tr("No fleet"), None)
        for fleet in fleets:
            self.fleet.addItem(fleet.name, fleet.id)
        chosen = driver.fleet_id if driver else fleet_id
        self.fleet.setCurrentIndex(max(0, self.fleet.findData(chosen)) if chosen else 0)
        self.add_field("fleet", _tr("Fleet:"), self.fleet)

        self.email = QLineEdit(driver.email if driver else "", self)
        self.email.setMaxLength(EMAIL_MAX)
        self.email.setPlaceholderText(_tr("optional: name@example.com"))
        self.add_field("email", _tr("Email:"), self.email)

        self.phone = QLineEdit(driver.phone if driver else "", self)
        self.phone.setMaxLength(PHONE_MAX)
        self.phone.setPlaceholderText(_tr("optional"))
        self.add_field("phone", _tr("Phone:"), self.phone)

        budget = driver.monthly_budget_minor if driver else None
        self.budget = QLineEdit(money_text(budget, CURRENCY) if budget is not None else "", self)
        self.budget.setPlaceholderText(_tr("empty: no budget"))
        budget_row = QHBoxLayout()
        budget_row.addWidget(self.budget, 1)
        budget_row.addWidget(QLabel(CURRENCY, self))
        self.add_field("budget", _tr("Monthly budget:"), budget_row)

        self.notes = QPlainTextEdit(driver.notes if driver else "", self)
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.add_field("notes", _tr("Notes:"), self.notes)

        self.availability = TagAvailability(host, self)
        self.availability.answered.connect(self.revalidate)
        self.first_tag = QLineEdit(self)
        self.first_tag.setMaxLength(MAX_ID_TAG_LENGTH * 3)
        self.first_tag.setPlaceholderText(_tr("optional: the UID of their card, e.g. 04A2B3C4"))
        if adding:
            self.add_field("tag", _tr("First tag:"), self.first_tag)
        else:
            self.first_tag.hide()

        for line in (self.name, self.email, self.phone, self.budget):
            line.textChanged.connect(lambda _t: self.revalidate())
        self.first_tag.textChanged.connect(self._tag_changed)
        self.notes.textChanged.connect(self.revalidate)
        self.fleet.currentIndexChanged.connect(lambda _i: self.revalidate())
        self.start()

    def _tag_changed(self, text: str) -> None:
        self.availability.check(text)
        self.revalidate()

    def values(self) -> object:
        return (
            self.name.text(),
            self.fleet.currentData(),
            self.email.text(),
            self.phone.text(),
            self.budget.text(),
            self.notes.toPlainText(),
            self.first_tag.text(),
        )

    def revalidate(self) -> None:
        self.checking = self.card is None and (
            bool(self.first_tag.text().strip()) and self.availability.waiting(self.first_tag.text())
        )
        super().revalidate()

    def problems(self) -> dict[str, str]:
        found = {
            "name": checks.name_problem(self.name.text()),
            "email": checks.email_problem(self.email.text()),
            "phone": checks.phone_problem(self.phone.text()),
            "budget": checks.budget_problem(self.budget.text()),
            "notes": checks.notes_problem(self.notes.toPlainText()),
        }
        if self.card is None:
            typed = self.first_tag.text()
            found["tag"] = checks.uid_problem(typed, optional=True) or self.availability.problem(
                typed
            )
        return {key: text for key, text in found.items() if text}

    def hints(self) -> dict[str, str]:
        typed = self.first_tag.text()
        if self.card is not None or not typed.strip():
            return {}
        if self.availability.waiting(typed):
            return {"tag": _tr("Checking whether the tag is free…")}
        hint = checks.uid_hint(typed)
        return {"tag": hint} if hint else {}

    def save_call(self) -> SaveCall:
        name, email, phone = self.name.text(), self.email.text(), self.phone.text()
        notes = self.notes.toPlainText()
        fleet_id = self.fleet.currentData()
        budget = checks.budget_minor(self.budget.text())
        if self.card is not None:
            driver = dataclasses.replace(
                self.card.driver,
                name=name,
                fleet_id=fleet_id,
                email=email,
                phone=phone,
                notes=notes,
                monthly_budget_minor=budget,
            )
            return lambda s: s.access.update_driver(driver)
        typed = self.first_tag.text()
        tags = [IdTag(normalise_id_tag(typed), IdTagStatus.ACCEPTED)] if typed.strip() else []

        async def create(s: Services) -> DriverCard:
            card = await s.access.create_driver(
                name, fleet_id=fleet_id, email=email, phone=phone, notes=notes, tags=tags
            )
            if budget is None:
                return card
            # The service takes the budget only as a change (its create has no such field);
            # every field was checked above, so this second step cannot be refused.
            return await s.access.update_driver(
                dataclasses.replace(card.driver, monthly_budget_minor=budget)
            )

        return create
