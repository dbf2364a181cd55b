"""Where each tariff applies: the places and groups the operator picks from, and the dialog.

A tariff is set for everywhere, a site or a station, optionally only for a fleet or
a subscription plan; the most specific one applies (app/domain/tariff_assignments.py).
The names come from the services; the sentences are the screen's, so they translate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QWidget

from app.domain.access import Fleet
from app.domain.sites import Site
from app.domain.subscriptions import Plan
from app.domain.tariff_assignments import StoredTariff, TariffAssignment, TariffScope
from app.services.container import Services
from app.ui.dialogs.base import FormDialog


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tariffs", text)


@dataclass(frozen=True, slots=True)
class TariffsState:
    """Everything the Tariffs screen lists, read in one go."""

    tariffs: list[StoredTariff]
    assignments: list[TariffAssignment]
    sites: list[Site] = field(default_factory=list)
    station_ids: list[str] = field(default_factory=list)
    fleets: list[Fleet] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)

    def tariff_name(self, tariff_id: int) -> str:
        for stored in self.tariffs:
            if stored.id == tariff_id:
                return stored.name
        return _tr("tariff {id}").format(id=tariff_id)

    def place(self, scope: TariffScope) -> str:
        if scope.station_id is not None:
            return _tr("Station: {station}").format(station=scope.station_id)
        if scope.site_id is not None:
            sites = {site.id: site.title for site in self.sites}
            return _tr("Site: {site}").format(site=sites.get(scope.site_id, scope.site_id))
        return _tr("Everywhere")

    def group(self, scope: TariffScope) -> str:
        if scope.plan_id is not None:
            plans = {plan.id: plan.name for plan in self.plans}
            return _tr("Plan: {plan}").format(plan=plans.get(scope.plan_id, scope.plan_id))
        if scope.fleet_id is not None:
            fleets = {fleet.id: fleet.name for fleet in self.fleets}
            return _tr("Fleet: {fleet}").format(fleet=fleets.get(scope.fleet_id, scope.fleet_id))
        return _tr("Everyone")

    def describe(self, scope: TariffScope) -> str:
        """ "Site: Depot, Fleet: Vans"; everyone everywhere is just "Everywhere"."""
        place, group = self.place(scope), self.group(scope)
        if scope.fleet_id is None and scope.plan_id is None:
            return place
        return _tr("{place}, {group}").format(place=place, group=group)

    def places_of(self, tariff_id: int) -> list[str]:
        return [self.describe(a.scope) for a in self.assignments if a.tariff_id == tariff_id]

    def assigned_at(self, scope: TariffScope) -> TariffAssignment | None:
        for assignment in self.assignments:
            if assignment.scope == scope:
                return assignment
        return None


async def load_state(s: Services, include_archived: bool = False) -> TariffsState:
    tariffs = await s.tariffs.list(include_archived=True)
    return TariffsState(
        tariffs=[t for t in tariffs if include_archived or not t.archived],
        assignments=await s.tariffs.assignments(),
        sites=await s.sites.sites(),
        station_ids=sorted(station.id for station in await s.stations.all()),
        fleets=await s.access.fleets(),
        plans=await s.subscriptions.plans(include_archived=True),
    )


class AssignTariffDialog(FormDialog):
    """Pick a tariff, a place and optionally a group; says what it replaces there."""

    def __init__(
        self, state: TariffsState, preferred: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            _tr("Assign a tariff"),
            _tr(
                "The most specific tariff applies: a station's own over its site's, a "
                "site's over the one for everywhere; at the same place a plan's over a "
                "fleet's over the one for everyone."
            ),
            _tr("Assign"),
            parent,
        )
        self.state = state
        self.tariff = QComboBox(self)
        for stored in state.tariffs:
            if not stored.archived:
                self.tariff.addItem(stored.name, stored.id)
        if preferred is not None and self.tariff.findData(preferred) >= 0:
            self.tariff.setCurrentIndex(self.tariff.findData(preferred))
        self.place = QComboBox(self)
        self.place.addItem(_tr("Everywhere"), TariffScope())
        for site in state.sites:
            self.place.addItem(state.place(TariffScope(site_id=site.id)), TariffScope(site.id))
        for station_id in state.station_ids:
            scope = TariffScope(station_id=station_id)
            self.place.addItem(state.place(scope), scope)
        self.group = QComboBox(self)
        self.group.addItem(_tr("Everyone"), TariffScope())
        for fleet in state.fleets:
            scope = TariffScope(fleet_id=fleet.id)
            self.group.addItem(state.group(scope), scope)
        for plan in state.plans:
            if not plan.archived:
                scope = TariffScope(plan_id=plan.id)
                self.group.addItem(state.group(scope), scope)
        self.replaces = QLabel(self)
        self.replaces.setWordWrap(True)
        self.form.addRow(_tr("Tariff:"), self.tariff)
        self.form.addRow(_tr("Where:"), self.place)
        self.form.addRow(_tr("For:"), self.group)
        self.form.addRow("", self.replaces)
        for combo in (self.tariff, self.place, self.group):
            combo.currentIndexChanged.connect(lambda _i: self.revalidate())
        self.revalidate()

    def scope(self) -> TariffScope:
        place: TariffScope = self.place.currentData()
        group: TariffScope = self.group.currentData()
        return TariffScope(place.site_id, place.station_id, group.fleet_id, group.plan_id)

    def tariff_id(self) -> int | None:
        value = self.tariff.currentData()
        return value if isinstance(value, int) else None

    def problem(self) -> str | None:
        if self.tariff_id() is None:
            return _tr("There is no tariff to assign yet: create one first.")
        current = self.state.assigned_at(self.scope())
        if current is None:
            self.replaces.setText("")
        elif current.tariff_id == self.tariff_id():
            return _tr("This tariff already applies there.")
        else:
            self.replaces.setText(
                _tr("This replaces “{tariff}” there.").format(
                    tariff=self.state.tariff_name(current.tariff_id)
                )
            )
        return None


@dataclass(frozen=True, slots=True)
class AssignRequest:
    tariff_id: int
    scope: TariffScope


def choose_assignment(
    parent: QWidget | None, state: TariffsState, preferred: int | None
) -> AssignRequest | None:
    """Ask where a tariff should apply (tests replace this); None when cancelled."""
    dialog = AssignTariffDialog(state, preferred, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    tariff_id = dialog.tariff_id()
    return None if tariff_id is None else AssignRequest(tariff_id, dialog.scope())
