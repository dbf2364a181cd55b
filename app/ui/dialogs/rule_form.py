"""Add or edit an access rule: who may charge, where, on which days, between which times.

The rule is checked by the domain's own `checked_rule` as it is edited, and
read back as a sentence under the fields, so the operator sees what it means
before saving it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from PySide6.QtCore import QCoreApplication, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTimeEdit,
    QWidget,
)

from app.domain.access import WEEKDAYS_ALL, AccessRule, Fleet, Subject
from app.domain.access_forms import checked_rule
from app.domain.errors import InvalidInput
from app.domain.sites import Site
from app.ui.dialogs import field_checks as checks
from app.ui.dialogs.validated_form import SaveCall, ValidatedFormDialog
from app.ui.engine_host import EngineHost
from app.ui.views.access_text import rule_sentence, weekday_names

WORKDAYS = frozenset(range(5))
# The domain names the field first ("weekdays: choose at least one day"); the form's rows.
FIELD_OF = {
    "fleet": "who",
    "place": "where",
    "station": "where",
    "site": "where",
    "weekdays": "days",
    "start": "hours",
    "end": "hours",
    "note": "note",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("DriverForms", text)


def who_key(rule: AccessRule) -> str:
    return f"fleet:{rule.fleet_id}" if rule.subject is Subject.FLEET else rule.subject.value


def parse_who(key: str) -> tuple[Subject, int | None]:
    if key.startswith("fleet:"):
        return Subject.FLEET, int(key.split(":", 1)[1])
    return Subject(key), None


def where_key(rule: AccessRule) -> str:
    if rule.station_id is not None:
        return f"station:{rule.station_id}"
    return f"site:{rule.site_id}" if rule.site_id is not None else ""


def parse_where(key: str) -> tuple[int | None, str | None]:
    kind, _, value = key.partition(":")
    if kind == "site":
        return int(value), None
    return None, (value if kind == "station" else None)


def _messages() -> dict[str, str]:
    return {
        "who": _tr("Choose the fleet this rule is for."),
        "where": _tr("Choose one site or one station, or anywhere."),
        "days": _tr("Choose at least one day."),
        "hours": _tr("Times are whole minutes of the site's local time."),
        "note": checks.notes_problem("x" * 10_000) or "",
    }


class RuleDialog(ValidatedFormDialog):
    def __init__(
        self,
        host: EngineHost,
        fleets: Sequence[Fleet],
        sites: Sequence[Site],
        stations: Sequence[str],
        rule: AccessRule | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            host,
            _tr("Add access rule") if rule is None else _tr("Edit access rule"),
            _tr(
                "Once any rule exists, a tag may charge only where and when some rule "
                "allows it. Times are the site's local time."
            ),
            _tr("Add rule") if rule is None else _tr("Save"),
            parent,
        )
        self.setMinimumWidth(660)
        self.rule = rule
        self._fleets = {f.id: f.name for f in fleets}
        self._sites = {s.id: s.title for s in sites}

        self.who = QComboBox(self)
        self.who.addItem(_tr("Everyone"), Subject.EVERYONE.value)
        for fleet in fleets:
            self.who.addItem(_tr("Fleet {name}").format(name=fleet.name), f"fleet:{fleet.id}")
        self.who.addItem(_tr("Drivers without a fleet and the public"), Subject.NO_FLEET.value)
        self.add_field("who", _tr("Who:"), self.who)

        self.where = QComboBox(self)
        self.where.addItem(_tr("Anywhere"), "")
        for site in sites:
            self.where.addItem(_tr("Site {name}").format(name=site.title), f"site:{site.id}")
        for station in stations:
            self.where.addItem(_tr("Station {id}").format(id=station), f"station:{station}")
        self.add_field("where", _tr("Where:"), self.where)

        self.days: list[QCheckBox] = []
        days_row = QHBoxLayout()
        for name in weekday_names():
            box = QCheckBox(name, self)
            box.toggled.connect(lambda _on: self.revalidate())
            self.days.append(box)
            days_row.addWidget(box)
        days_row.addSpacing(12)
        for text, chosen in ((_tr("Mon–Fri"), WORKDAYS), (_tr("Every day"), WEEKDAYS_ALL)):
            button = QPushButton(text, self)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, d=chosen: self.set_days(d))
            days_row.addWidget(button)
        days_row.addStretch(1)
        self.add_field("days", _tr("Days:"), days_row)

        self.start_time = QTimeEdit(self)
        self.end_time = QTimeEdit(self)
        hours_row = QHBoxLayout()
        for edit in (self.start_time, self.end_time):
            edit.setDisplayFormat("HH:mm")
            edit.timeChanged.connect(lambda _t: self.revalidate())
        hours_row.addWidget(QLabel(_tr("from"), self))
        hours_row.addWidget(self.start_time)
        hours_row.addWidget(QLabel(_tr("until"), self))
        hours_row.addWidget(self.end_time)
        hours_row.addStretch(1)
        self.add_field("hours", _tr("Hours:"), hours_row)

        self.note = QLineEdit(self)
        self.note.setPlaceholderText(_tr("optional: why this rule exists"))
        self.note.textChanged.connect(lambda _t: self.revalidate())
        self.add_field("note", _tr("Note:"), self.note)

        self.sentence = QLabel(self)
        self.sentence.setWordWrap(True)
        self.sentence.setStyleSheet("font-weight: bold;")
        self.add_field("sentence", _tr("In words:"), self.sentence)

        self._show(rule)
        self.who.currentIndexChanged.connect(lambda _i: self.revalidate())
        self.where.currentIndexChanged.connect(lambda _i: self.revalidate())
        self.start()

    def _show(self, rule: AccessRule | None) -> None:
        if rule is None:
            self.set_days(WEEKDAYS_ALL)
            return
        self.who.setCurrentIndex(max(0, self.who.findData(who_key(rule))))
        self.where.setCurrentIndex(max(0, self.where.findData(where_key(rule))))
        self.set_days(rule.weekdays)
        self.start_time.setTime(QTime(rule.start.hour, rule.start.minute))
        self.end_time.setTime(QTime(rule.end.hour, rule.end.minute))
        self.note.setText(rule.note)

    def set_days(self, days: frozenset[int]) -> None:
        for day, box in enumerate(self.days):
            box.setChecked(day in days)

    def rule_value(self) -> AccessRule:
        subject, fleet_id = parse_who(str(self.who.currentData()))
        site_id, station_id = parse_where(str(self.where.currentData()))
        start, end = self.start_time.time(), self.end_time.time()
        return AccessRule(
            id=self.rule.id if self.rule else 0,
            subject=subject,
            fleet_id=fleet_id,
            site_id=site_id,
            station_id=station_id,
            weekdays=frozenset(d for d, box in enumerate(self.days) if box.isChecked()),
            start=time(start.hour(), start.minute()),
            end=time(end.hour(), end.minute()),
            note=self.note.text().strip(),
        )

    def values(self) -> object:
        return self.rule_value()

    def problems(self) -> dict[str, str]:
        try:
            checked_rule(self.rule_value())
        except InvalidInput as exc:
            key = FIELD_OF.get(str(exc).split(":", 1)[0].strip(), "sentence")
            return {key: _messages().get(key, str(exc))}
        return {}

    def hints(self) -> dict[str, str]:
        rule = self.rule_value()
        if rule.start == rule.end:
            return {"hours": _tr("The same time twice: the whole day.")}
        if rule.end < rule.start:
            return {"hours": _tr("Ends the next morning; the night belongs to the day it starts.")}
        return {}

    def revalidate(self) -> None:
        rule = self.rule_value()
        if rule.weekdays:
            self.sentence.setText(rule_sentence(rule, self._fleets, self._sites))
        else:
            self.sentence.setText(_tr("Nobody, on no day."))
        super().revalidate()

    def save_call(self) -> SaveCall:
        rule = self.rule_value()
        if self.rule is None:
            return lambda s: s.access.add_rule(rule)
        return lambda s: s.access.update_rule(rule)
