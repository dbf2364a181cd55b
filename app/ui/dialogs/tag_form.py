"""Add or edit an id tag: UID (is it free? the tag service is asked), expiry, group, limit.

A UID typed as 04:a2:b3:c4 is shown as it will be stored (04A2B3C4); a UID that
is already registered is refused with the name of its driver, before OK.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QObject, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.domain.access import DriverCard
from app.domain.access_forms import MAX_CONCURRENT_LIMIT
from app.domain.authorization import MAX_ID_TAG_LENGTH, normalise_id_tag
from app.domain.errors import NotFound
from app.domain.model import IdTag, IdTagStatus
from app.services.container import Services
from app.ui.dialogs import field_checks as checks
from app.ui.dialogs.validated_form import SaveCall, ValidatedFormDialog
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp

CHECK_AFTER_MS = 250


def _tr(text: str) -> str:
    return QCoreApplication.translate("DriverForms", text)


# ---- is this UID free? ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TagOwner:
    id_tag: str
    driver_name: str | None


async def registered(s: Services, id_tag: str) -> TagOwner | None:
    """Who has this tag already (None: nobody, the UID is free)."""
    tag = await s.tags.get_or_none(id_tag)
    if tag is None:
        return None
    name = None
    if tag.driver_id is not None:
        try:
            name = (await s.access.driver(tag.driver_id)).driver.name
        except NotFound:
            name = None
    return TagOwner(tag.id_tag, name)


class TagAvailability(QObject):
    """Asks the tag service about a UID a moment after the typing stops; remembers answers."""

    answered = Signal()

    def __init__(self, host: EngineHost, parent: QObject) -> None:
        super().__init__(parent)
        self._host = host
        self._answers: dict[str, TagOwner | None] = {}
        self._asking: set[str] = set()
        self._next: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_AFTER_MS)
        self._timer.timeout.connect(self._ask)

    def check(self, typed: str) -> None:
        key = normalise_id_tag(typed)
        if checks.uid_problem(typed) is not None or key in self._answers:
            self._next = None
            self._timer.stop()
            return
        self._next = key
        self._timer.start()

    def waiting(self, typed: str) -> bool:
        """Is the answer for this UID still to come?"""
        if checks.uid_problem(typed) is not None:
            return False
        return normalise_id_tag(typed) not in self._answers

    def problem(self, typed: str) -> str | None:
        if checks.uid_problem(typed) is not None:
            return None
        owner = self._answers.get(normalise_id_tag(typed))
        if owner is None:
            return None
        if owner.driver_name:
            return _tr("{uid} is registered already, to {driver}.").format(
                uid=owner.id_tag, driver=owner.driver_name
            )
        return _tr("{uid} is registered already (a tag without a driver).").format(uid=owner.id_tag)

    def _ask(self) -> None:
        key = self._next
        if key is None or key in self._asking:
            return
        self._asking.add(key)

        def done(owner: TagOwner | None) -> None:
            if shiboken6.isValid(self):
                self._asking.discard(key)
                self._answers[key] = owner
                self.answered.emit()

        def failed(_message: str, _exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self._asking.discard(key)  # the service checks again on save

        EngineOp(self._host, lambda s: registered(s, key)).success(done).failure(failed).run()


# ---- expiry --------------------------------------------------------------------------


def to_qt(moment: datetime, zone: tzinfo) -> QDateTime:
    local = moment.astimezone(zone)
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))


def from_qt(value: QDateTime, zone: tzinfo) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=zone)


def default_expiry(zone: tzinfo) -> datetime:
    """Midnight a year from today, site time."""
    today = datetime.now(zone).date()
    return datetime(today.year + 1, today.month, min(today.day, 28), tzinfo=zone)


# ---- the dialog ----------------------------------------------------------------------


class TagDialog(ValidatedFormDialog):
    """For a new tag of `card`'s driver, or to edit `tag` (its UID stays)."""

    def __init__(
        self,
        host: EngineHost,
        card: DriverCard,
        zone: tzinfo,
        tag: IdTag | None = None,
        parent: QWidget | None = None,
    ) -> None:
        adding = tag is None
        super().__init__(
            host,
            _tr("Add tag") if tag is None else _tr("Edit tag {uid}").format(uid=tag.id_tag),
            _tr("A tag of {driver}. Chargers accept it until it expires or is blocked.").format(
                driver=card.driver.name
            ),
            _tr("Add tag") if adding else _tr("Save"),
            parent,
        )
        self.card = card
        self.tag = tag
        self.zone = zone
        self.availability = TagAvailability(host, self)
        self.availability.answered.connect(self.revalidate)

        self.uid = QLineEdit(self)
        self.uid.setPlaceholderText(_tr("e.g. 04A2B3C4 or 04:A2:B3:C4"))
        self.uid.setMaxLength(MAX_ID_TAG_LENGTH * 3)  # room for separators between bytes
        if tag is None:
            self.uid.textChanged.connect(self._uid_changed)
            self.add_field("uid", _tr("Tag UID:"), self.uid)
        else:
            self.uid.setText(tag.id_tag)
            self.uid.hide()  # a tag's UID is what it is; another card is another tag
            shown = QLabel(f"<b>{tag.id_tag}</b>", self)
            self.add_field("uid", _tr("Tag UID:"), shown)

        self.expires = QCheckBox(_tr("Expires at"), self)
        self.expiry = QDateTimeEdit(self)
        self.expiry.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.expiry.setCalendarPopup(True)
        start = tag.expiry_date if tag and tag.expiry_date else default_expiry(zone)
        self.expiry.setDateTime(to_qt(start, zone))
        self.expires.setChecked(tag is not None and tag.expiry_date is not None)
        self.expiry.setEnabled(self.expires.isChecked())
        self.expires.toggled.connect(self.expiry.setEnabled)
        self.expires.toggled.connect(lambda _on: self.revalidate())
        self.expiry.dateTimeChanged.connect(lambda _v: self.revalidate())
        expiry_row = QHBoxLayout()
        expiry_row.addWidget(self.expires)
        expiry_row.addWidget(self.expiry, 1)
        self.add_field("expiry", _tr("Validity:"), expiry_row)

        self.group = QLineEdit(tag.parent_id_tag or "" if tag else "", self)
        self.group.setPlaceholderText(_tr("optional: the UID of the group's tag"))
        self.group.textChanged.connect(lambda _t: self.revalidate())
        self.add_field("group", _tr("Group tag:"), self.group)

        self.sessions = QSpinBox(self)
        self.sessions.setRange(1, MAX_CONCURRENT_LIMIT)
        self.sessions.setValue(tag.max_concurrent if tag else 1)
        self.sessions.valueChanged.connect(lambda _v: self.revalidate())
        self.add_field("sessions", _tr("Sessions at once:"), self.sessions)

        self.note = QLineEdit(tag.note if tag else "", self)
        self.note.textChanged.connect(lambda _t: self.revalidate())
        self.add_field("note", _tr("Note:"), self.note)
        self.start()

    def _uid_changed(self, text: str) -> None:
        self.availability.check(text)
        self.revalidate()

    def expiry_value(self) -> datetime | None:
        return from_qt(self.expiry.dateTime(), self.zone) if self.expires.isChecked() else None

    def values(self) -> object:
        return (
            self.uid.text().strip(),
            self.expiry_value(),
            self.group.text().strip(),
            self.sessions.value(),
            self.note.text().strip(),
        )

    def revalidate(self) -> None:
        self.checking = self.tag is None and self.availability.waiting(self.uid.text())
        super().revalidate()

    def problems(self) -> dict[str, str]:
        found: dict[str, str | None] = {
            "expiry": checks.expiry_problem(
                self.expiry_value(), datetime.now(UTC), new=self.tag is None
            ),
            "group": checks.group_problem(self.group.text(), self.uid.text()),
            "sessions": checks.sessions_problem(self.sessions.value()),
            "note": checks.notes_problem(self.note.text()),
        }
        if self.tag is None:
            typed = self.uid.text()
            found["uid"] = checks.uid_problem(typed) or self.availability.problem(typed)
        return {key: text for key, text in found.items() if text}

    def hints(self) -> dict[str, str]:
        found: dict[str, str | None] = {}
        if self.tag is None:
            typed = self.uid.text()
            if self.availability.waiting(typed):
                found["uid"] = _tr("Checking whether the tag is free…")
            else:
                found["uid"] = checks.uid_hint(typed)
        expiry = self.expiry_value()
        now = datetime.now(UTC)
        if expiry is not None and expiry <= now:
            found["expiry"] = _tr("This moment has passed: chargers refuse the tag as expired.")
        elif expiry is not None and expiry - now < timedelta(days=1):
            found["expiry"] = _tr("Chargers refuse the tag from this moment (site time).")
        return {key: text for key, text in found.items() if text}

    def tag_value(self) -> IdTag:
        group = normalise_id_tag(self.group.text()) or None
        if self.tag is not None:
            return dataclasses.replace(
                self.tag,
                expiry_date=self.expiry_value(),
                parent_id_tag=group,
                max_concurrent=self.sessions.value(),
                note=self.note.text().strip(),
            )
        return IdTag(
            normalise_id_tag(self.uid.text()),
            IdTagStatus.ACCEPTED,
            expiry_date=self.expiry_value(),
            parent_id_tag=group,
            note=self.note.text().strip(),
            driver_id=self.card.driver.id,
            max_concurrent=self.sessions.value(),
        )

    def save_call(self) -> SaveCall:
        tag = self.tag_value()
        if self.tag is None:
            return lambda s: s.tags.create(tag)
        return lambda s: s.tags.update(tag)
