"""Add a driver to a plan, and pause, resume or end a subscription: dates checked as
they are picked, against the subscription's own rules, before anything is sent.

Each dialog is its own confirmation: it says what will happen and its OK button
names the action. The service checks again when it stores (another window may have
changed the subscription meanwhile) and its refusal is shown in the dialog.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget

from app.domain.subscriptions import Plan, Subscription
from app.services.subscriptions import Member
from app.ui.dialogs.validated_form import SaveCall, ValidatedFormDialog
from app.ui.engine_host import EngineHost
from app.ui.views.driver_picker import DriverPicker
from app.ui.views.subscription_tables import SubscriptionsState, pause_text

DATE_FORMAT = "yyyy-MM-dd"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Subscriptions", text)


def date_edit(parent: QWidget, day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    return edit


def picked(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


def period_text(subscription: Subscription) -> str:
    if subscription.ends_on is None:
        return _tr("from {first}, with no end date").format(
            first=subscription.starts_on.isoformat()
        )
    return _tr("{first} to {last}").format(
        first=subscription.starts_on.isoformat(), last=subscription.ends_on.isoformat()
    )


class OptionalDate(QWidget):
    """A date that may be left open: a box to tick ("ends") and the date."""

    def __init__(self, text: str, day: date, parent: QWidget) -> None:
        super().__init__(parent)
        self.enabled = QCheckBox(text, self)
        self.edit = date_edit(self, day)
        self.edit.setEnabled(False)
        self.enabled.toggled.connect(self.edit.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.enabled)
        row.addWidget(self.edit, 1)

    def value(self) -> date | None:
        return picked(self.edit) if self.enabled.isChecked() else None


# ---- add a member ------------------------------------------------------------------------


class AddMemberDialog(ValidatedFormDialog):
    def __init__(
        self,
        host: EngineHost,
        state: SubscriptionsState,
        plan: Plan,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            host,
            _tr("Add a member to “{plan}”").format(plan=plan.name),
            _tr(
                "The driver pays the plan's fee from the first day, pro-rated in a month "
                "they are subscribed only part of. A driver has one subscription on any day."
            ),
            _tr("Add member"),
            parent,
        )
        self.state = state
        self.plan = plan
        self.driver = DriverPicker(self)
        self.driver.set_drivers(state.drivers)
        self.driver.setCurrentIndex(-1)
        self.add_field("driver", _tr("Driver:"), self.driver)
        self.starts = date_edit(self, state.today)
        self.add_field("starts", _tr("First day:"), self.starts)
        self.ends = OptionalDate(_tr("after"), state.today, self)
        self.add_field("ends", _tr("Ends:"), self.ends)
        self.driver.editTextChanged.connect(lambda _t: self.revalidate())
        self.driver.currentIndexChanged.connect(lambda _i: self.revalidate())
        self.starts.dateChanged.connect(lambda _d: self.revalidate())
        self.ends.enabled.toggled.connect(lambda _on: self.revalidate())
        self.ends.edit.dateChanged.connect(lambda _d: self.revalidate())
        self.start()

    def values(self) -> object:
        return (self.driver.driver_id(), picked(self.starts), self.ends.value())

    def hints(self) -> dict[str, str]:
        return {"ends": _tr("Not ticked: no end date.")}

    def problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        driver_id = self.driver.driver_id()
        first, last = picked(self.starts), self.ends.value()
        if driver_id is None:
            problems["driver"] = _tr("Choose a driver from the list.")
        if last is not None and last < first:
            problems["ends"] = _tr("The last day cannot come before the first.")
        if driver_id is not None and not problems:
            for other in self.state.subscriptions_of(driver_id):
                if other.subscription.overlaps(first, last):
                    problems["starts"] = _tr(
                        "{driver} already has “{plan}” {period}; end it first, or start after it."
                    ).format(
                        driver=other.driver_name,
                        plan=other.plan_name,
                        period=period_text(other.subscription),
                    )
                    break
        return problems

    def save_call(self) -> SaveCall:
        driver_id = self.driver.driver_id()
        assert driver_id is not None
        plan_id, first, last = self.plan.id, picked(self.starts), self.ends.value()
        return lambda s: s.subscriptions.subscribe(driver_id, plan_id, first, last)


# ---- pause, resume, end ------------------------------------------------------------------


class Change(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    END = "end"


def _default_day(member: Member, change: Change, today: date) -> date:
    subscription = member.subscription
    if change is Change.RESUME:
        pause = subscription.pause_on(today)
        if pause is None:
            later = [p for p in subscription.pauses if p.from_date > today]
            return later[0].from_date if later else today
        return today
    day = max(today, subscription.starts_on)
    if subscription.ends_on is not None:
        day = min(day, subscription.ends_on)
    return day


class SubscriptionChangeDialog(ValidatedFormDialog):
    """Pause (from a day, to a day or until resumed), resume on a day, or end on a day."""

    def __init__(
        self,
        host: EngineHost,
        member: Member,
        change: Change,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        texts = {
            Change.PAUSE: (
                _tr("Pause subscription"),
                _tr(
                    "While paused, {driver} pays no fee for “{plan}”, has no included energy "
                    "and charges at the tariff's prices."
                ),
            ),
            Change.RESUME: (
                _tr("Resume subscription"),
                _tr("{driver} is on “{plan}” again from this day: fee, energy and prices."),
            ),
            Change.END: (
                _tr("End subscription"),
                _tr(
                    "{driver} pays for “{plan}” up to and including the last day. Sessions "
                    "after it are charged at the tariff's prices."
                ),
            ),
        }
        title, intro = texts[change]
        super().__init__(
            host,
            title,
            intro.format(driver=member.driver_name, plan=member.plan_name),
            title,
            parent,
        )
        self.member = member
        self.change = change
        subscription = member.subscription
        day = _default_day(member, change, today)
        labels = {
            Change.PAUSE: _tr("First paused day:"),
            Change.RESUME: _tr("Active again on:"),
            Change.END: _tr("Last day:"),
        }
        self.day = date_edit(self, day)
        self.add_field("day", labels[change], self.day)
        self.day.dateChanged.connect(lambda _d: self.revalidate())
        self.until: OptionalDate | None = None
        if change is Change.PAUSE:
            self.until = OptionalDate(_tr("the end of"), day, self)
            self.add_field("until", _tr("Until:"), self.until)
            self.until.enabled.toggled.connect(lambda _on: self.revalidate())
            self.until.edit.dateChanged.connect(lambda _d: self.revalidate())
        self.period_hint = _tr("The subscription runs {period}.").format(
            period=period_text(subscription)
        )
        self.start()

    def values(self) -> object:
        return (picked(self.day), None if self.until is None else self.until.value())

    def hints(self) -> dict[str, str]:
        hints = {"day": self.period_hint}
        if self.until is not None:
            hints["until"] = _tr("Not ticked: paused until it is resumed.")
        return hints

    def problems(self) -> dict[str, str]:
        subscription = self.member.subscription
        day = picked(self.day)
        if self.change is Change.END:
            if day < subscription.starts_on:
                return {
                    "day": _tr("It starts on {first}: it cannot end before that.").format(
                        first=subscription.starts_on.isoformat()
                    )
                }
            return {}
        if self.change is Change.RESUME:
            if subscription.pause_on(day) is None:
                pauses = "; ".join(pause_text(p) for p in subscription.pauses) or _tr("never")
                return {
                    "day": _tr("It is not paused on that day (paused: {pauses}).").format(
                        pauses=pauses
                    )
                }
            return {}
        if not subscription.covers(day):
            return {
                "day": _tr("Pick a day the subscription runs: {period}.").format(
                    period=period_text(subscription)
                )
            }
        last = None if self.until is None else self.until.value()
        if last is not None and last < day:
            return {"until": _tr("The last paused day cannot come before the first.")}
        if last is not None and subscription.ends_on is not None and last > subscription.ends_on:
            return {
                "until": _tr("The subscription ends on {last}; pick that day or earlier.").format(
                    last=subscription.ends_on.isoformat()
                )
            }
        for pause in subscription.pauses:
            if pause.from_date <= (last or date.max) and (
                pause.to_date is None or day <= pause.to_date
            ):
                return {
                    "day": _tr("This overlaps the pause {pause}.").format(pause=pause_text(pause))
                }
        return {}

    def save_call(self) -> SaveCall:
        subscription_id = self.member.subscription.id
        day = picked(self.day)
        if self.change is Change.END:
            return lambda s: s.subscriptions.end(subscription_id, day)
        if self.change is Change.RESUME:
            return lambda s: s.subscriptions.resume(subscription_id, day)
        last = None if self.until is None else self.until.value()
        return lambda s: s.subscriptions.pause(subscription_id, day, last)
