"""New or edit a subscription plan: name, monthly fee, included energy, plan price or
discount, VAT and the sites it covers, each checked as it is typed.

Amounts are parsed exactly ("149", "149,00" and "149.00" are all 14 900 öre) by the
tariffs screen's parser. Once anyone has subscribed to a plan its prices are fixed
(months already charged would change with them): the price fields are then read-only
and say so, and only the name and the sites can change.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from app.domain.errors import InvalidInput
from app.domain.price_format import minor_digits
from app.domain.subscriptions import (
    BASIS_POINTS,
    DEFAULT_CURRENCY,
    DEFAULT_VAT_RATE_BP,
    MAX_FEE_MINOR,
    MAX_INCLUDED_WH,
    NAME_MAX_LENGTH,
    Plan,
)
from app.ui.dialogs.validated_form import SaveCall, ValidatedFormDialog
from app.ui.engine_host import EngineHost
from app.ui.views.subscription_tables import SubscriptionsState
from app.ui.views.tariff_text import (
    AmountProblem,
    money_text,
    parse_scaled,
    percent_text,
    scaled_text,
)

PRICE_FIELDS = ("fee", "included", "price", "discount", "vat")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Subscriptions", text)


def _amount(
    text: str, decimals: int, high: int, *, optional: bool, too_high: str
) -> tuple[int | None, str | None]:
    """(value, None), or (None, what is wrong); an empty optional field is (None, None)."""
    if not text.strip():
        return None, None if optional else _tr("Required.")
    try:
        value = parse_scaled(text, decimals)
    except AmountProblem as exc:
        return None, str(exc)
    if value < 0:
        return None, _tr("Zero or more.")
    if value > high:
        return None, too_high
    return value, None


class PlanDialog(ValidatedFormDialog):
    """A new plan, or `plan` to change. `state` gives the other plans (names are unique),
    the sites, and whether anyone subscribed (prices fixed)."""

    def __init__(
        self,
        host: EngineHost,
        state: SubscriptionsState,
        plan: Plan | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            host,
            _tr("New plan") if plan is None else _tr("Edit plan “{name}”").format(name=plan.name),
            _tr(
                "A plan is a monthly fee that can include energy and change the price of "
                "each session. Prices include VAT. A month the driver is subscribed only "
                "part of costs and includes its share."
            ),
            _tr("Create plan") if plan is None else _tr("Save plan"),
            parent,
        )
        self.plan = plan
        self.currency = plan.currency if plan else DEFAULT_CURRENCY
        self._taken = {p.name.casefold() for p in state.plans if plan is None or p.id != plan.id}
        self.setMinimumWidth(560)
        self.locked = plan is not None and state.ever_subscribed(plan.id) > 0

        self.name = QLineEdit(plan.name if plan else "", self)
        self.name.setMaxLength(NAME_MAX_LENGTH + 20)
        self.add_field("name", _tr("Name:"), self.name)
        self.fee = self._line(
            "fee",
            _tr("Monthly fee:"),
            _tr("{currency} per month").format(currency=self.currency),
            money_text(plan.monthly_fee_minor, self.currency) if plan else "",
            _tr("for example 149 or 149,00"),
        )
        self.included = self._line(
            "included",
            _tr("Included energy:"),
            _tr("kWh per month"),
            trimmed(plan.included_wh, 3) if plan and plan.included_wh else "",
            _tr("empty: none"),
        )
        self.price = self._line(
            "price",
            _tr("Price per kWh:"),
            _tr(
                "{currency}/kWh",
            ).format(currency=self.currency),
            ""
            if plan is None or plan.price_per_kwh_minor is None
            else money_text(plan.price_per_kwh_minor, self.currency),
            _tr("empty: the tariff's energy price"),
        )
        self.discount = self._line(
            "discount",
            _tr("Discount:"),
            _tr("% off energy and time"),
            percent_text(plan.discount_bp) if plan and plan.discount_bp else "",
            _tr("empty: none"),
        )
        self.vat = self._line(
            "vat",
            _tr("VAT:"),
            "%",
            percent_text(plan.vat_rate_bp if plan else DEFAULT_VAT_RATE_BP),
            "",
        )
        self.sites = QListWidget(self)
        self.sites.setMaximumHeight(110)
        for site in state.sites:
            item = QListWidgetItem(site.title, self.sites)
            item.setData(Qt.ItemDataRole.UserRole, site.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = plan is not None and site.id in plan.site_ids
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.sites.itemChanged.connect(lambda _item: self.revalidate())
        self.add_field("sites", _tr("Sites:"), self.sites)
        self.name.textChanged.connect(lambda _t: self.revalidate())
        if self.locked:
            for key in PRICE_FIELDS:
                getattr(self, key).setEnabled(False)
        self.start()

    def _line(self, key: str, label: str, unit: str, text: str, placeholder: str) -> QLineEdit:
        line = QLineEdit(text, self)
        line.setPlaceholderText(placeholder)
        line.textChanged.connect(lambda _t: self.revalidate())
        row = QHBoxLayout()
        row.addWidget(line, 1)
        unit_label = QLabel(unit, self)
        unit_label.setMinimumWidth(150)
        row.addWidget(unit_label)
        self.add_field(key, label, row)
        return line

    # ---- what was typed ------------------------------------------------------------

    def site_ids(self) -> frozenset[int]:
        ids = set()
        for row in range(self.sites.count()):
            item = self.sites.item(row)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                ids.add(int(item.data(Qt.ItemDataRole.UserRole)))
        return frozenset(ids)

    def values(self) -> object:
        return (
            self.name.text(),
            *(getattr(self, key).text() for key in PRICE_FIELDS),
            self.site_ids(),
        )

    def _checked(self) -> tuple[dict[str, str], Plan | None]:
        problems: dict[str, str | None] = {}
        name = " ".join(self.name.text().split())
        if not name:
            problems["name"] = _tr("A plan needs a name.")
        elif len(name) > NAME_MAX_LENGTH:
            problems["name"] = _tr("At most {n} characters.").format(n=NAME_MAX_LENGTH)
        elif name.casefold() in self._taken:
            problems["name"] = _tr("There is a plan called “{name}” already.").format(name=name)
        digits = minor_digits(self.currency)
        too_much = _tr("That is more than any plan costs: check the decimal point.")
        fee, problems["fee"] = _amount(
            self.fee.text(), digits, MAX_FEE_MINOR, optional=False, too_high=too_much
        )
        included, problems["included"] = _amount(
            self.included.text(),
            3,
            MAX_INCLUDED_WH,
            optional=True,
            too_high=_tr("At most {n} kWh.").format(n=MAX_INCLUDED_WH // 1000),
        )
        price, problems["price"] = _amount(
            self.price.text(), digits, MAX_FEE_MINOR, optional=True, too_high=too_much
        )
        percent = _tr("From 0 to 100 %.")
        discount, problems["discount"] = _amount(
            self.discount.text(), 2, BASIS_POINTS, optional=True, too_high=percent
        )
        vat, problems["vat"] = _amount(
            self.vat.text(), 2, BASIS_POINTS, optional=False, too_high=percent
        )
        found = {key: text for key, text in problems.items() if text}
        if found or fee is None or vat is None:
            return found, None
        try:
            plan = Plan(
                name,
                fee,
                included_wh=included or 0,
                price_per_kwh_minor=price,
                discount_bp=discount or 0,
                currency=self.currency,
                vat_rate_bp=vat,
                site_ids=self.site_ids(),
            )
            if self.plan is not None:
                plan = dataclasses.replace(plan, archived=self.plan.archived, id=self.plan.id)
        except InvalidInput as exc:  # the checks above say it in the operator's words first
            return {"name": str(exc)}, None
        return {}, plan

    def problems(self) -> dict[str, str]:
        return self._checked()[0]

    def hints(self) -> dict[str, str]:
        hints = {"sites": _tr("None ticked: the plan applies at every site.")}
        if self.locked:
            hints["fee"] = _tr(
                "Drivers have subscribed, so the prices are fixed: months already charged "
                "would change with them. Make a new plan for new prices."
            )
        return hints

    def save_call(self) -> SaveCall:
        plan = self._checked()[1]
        assert plan is not None, "OK is enabled only without problems"
        if self.plan is None:
            return lambda s: s.subscriptions.create_plan(plan)
        return lambda s: s.subscriptions.update_plan(plan)


def trimmed(value: int, decimals: int) -> str:
    """12_500, 3 → "12,5": as the operator would type it, without needless decimals."""
    text = scaled_text(value, decimals)
    point = QLocale().decimalPoint()
    if point in text:
        text = text.rstrip("0").rstrip(point)
    return text
