"""Station detail: every control sends the right operation to a real simulated charger
and shows its outcome; controls that make no sense are disabled and say why."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.domain import commands as c
from app.domain.model import Admission, IdTag, IdTagStatus
from app.ui.dialogs.requests import (
    WHOLE_STATION,
    FirmwareRequest,
    LimitScope,
    LimitUnit,
    PowerLimit,
    RemoteStartRequest,
    TriggerRequest,
    sessions_on,
)
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.views.configuration_table import COLUMNS as CONFIG_COLUMNS
from app.ui.views.station_actions import Outcome, outcome_label
from app.ui.views.station_detail import StationDetailView, close_station, open_station
from app.ui.views.station_rules import Control
from tests.fakes.threaded_charger import ThreadedCharger

WAIT_MS = 8000


@dataclass
class ScriptedPrompts:
    """Answers the operator would give; records what was asked."""

    confirm_answer: bool = True
    start: RemoteStartRequest | None = None
    limit: PowerLimit | None = None
    clear: LimitScope | None = None
    trigger: TriggerRequest | None = None
    location: str | None = None
    firmware: FirmwareRequest | None = None
    questions: list[str] = field(default_factory=list)
    offered_tags: list[str] = field(default_factory=list)

    def confirm(self, parent: QWidget, title: str, question: str, action: str) -> bool:
        self.questions.append(question)
        return self.confirm_answer

    def remote_start(
        self,
        parent: QWidget,
        station_id: str,
        connectors: Sequence[int],
        preferred: int | None,
        tags: Sequence[IdTag],
    ) -> RemoteStartRequest | None:
        self.offered_tags = [t.id_tag for t in tags]
        return self.start

    def power_limit(
        self, parent: QWidget, station_id: str, connectors: Sequence[int]
    ) -> PowerLimit | None:
        return self.limit

    def clear_limit(
        self, parent: QWidget, station_id: str, connectors: Sequence[int]
    ) -> LimitScope | None:
        return self.clear

    def trigger_message(
        self, parent: QWidget, station_id: str, connectors: Sequence[int], preferred: int | None
    ) -> TriggerRequest | None:
        return self.trigger

    def diagnostics_location(self, parent: QWidget, station_id: str) -> str | None:
        return self.location

    def firmware_update(
        self, parent: QWidget, station_id: str, current_version: str | None
    ) -> FirmwareRequest | None:
        return self.firmware


@dataclass
class Bench:
    view: StationDetailView
    sim: ThreadedCharger
    prompts: ScriptedPrompts
    qtbot: QtBot

    def click(self, control: Control) -> None:
        button = self.view.controls.buttons[control]
        assert button.isEnabled(), button.toolTip()
        button.click()

    def outcome(self, key: str) -> Outcome | None:
        record = self.view.runner.last(key)
        return record.outcome if record else None

    def wait_outcome(self, key: str, expected: Outcome) -> None:
        def reached() -> None:
            assert self.outcome(key) is expected, self.view.runner.last(key)

        self.qtbot.waitUntil(reached, timeout=WAIT_MS)

    def calls(self, action: str) -> list[dict[str, object]]:
        return [call.payload for call in self.sim.charger.received_calls if call.action == action]

    def status(self, connector: int) -> str:
        row = next(r for r in self.view.connectors.rows if r.connector_id == connector)
        return self.view.connectors.display(row, "status")


@pytest.fixture
def bench(
    window: MainWindow, charger_factory: Callable[..., ThreadedCharger], qtbot: QtBot
) -> Iterator[Bench]:
    sim = charger_factory("CP-DETAIL", connectors=2, reset_pause=0.2)
    qtbot.waitUntil(lambda: window.grid.model.rowCount() == 2, timeout=WAIT_MS)
    view = open_station(window, "CP-DETAIL")
    prompts = ScriptedPrompts()
    view.prompts = prompts
    qtbot.waitUntil(lambda: view.identity.text("vendor") != "—", timeout=WAIT_MS)
    yield Bench(view, sim, prompts, qtbot)
    # Let answers still on their way land before the window goes.
    qtbot.waitUntil(lambda: not any(r.outcome is Outcome.PENDING for r in view.runner.records))


def test_identity_and_live_connectors_are_shown(bench: Bench) -> None:
    view = bench.view
    assert view.identity.text("vendor") == "ChargeDesk"
    assert view.identity.text("model") == "SimCharger"
    assert view.identity.text("serial").startswith("CP-DETAIL-")
    assert view.identity.text("firmware") == "1.0.0"
    assert view.identity.text("last_boot") != "—"
    assert view.identity.text("connection") == "Online"
    assert view.identity.text("admission") == "Accepted"
    assert [r.connector_id for r in view.connectors.rows] == [1, 2]
    assert bench.status(1) == "Available"
    assert view.header.pill.text() == "Online"
    assert view.selected_connector == 1
    stop = view.controls.buttons[Control.REMOTE_STOP]
    assert not stop.isEnabled()
    assert stop.toolTip() == "No session is running on connector 1."


def test_remote_start_with_a_known_tag_charges_and_remote_stop_ends_it(
    bench: Bench, host: EngineHost
) -> None:
    host.submit(lambda s: s.authorization.add_tag(IdTag("T", IdTagStatus.ACCEPTED))).result(5)
    bench.prompts.start = RemoteStartRequest(connector_id=2, id_tag="T")
    bench.view.select_connector(2)
    bench.click(Control.REMOTE_START)
    bench.wait_outcome("remote_start", Outcome.ACCEPTED)
    assert bench.prompts.offered_tags == ["T"]
    assert bench.calls("RemoteStartTransaction") == [{"idTag": "T", "connectorId": 2}]
    bench.qtbot.waitUntil(lambda: bench.status(2) == "Charging", timeout=WAIT_MS)
    row = bench.view.connectors.rows[1]
    assert row.id_tag == "T"
    assert row.transaction_id is not None
    assert "Accepted" in bench.view.status_line.text()

    bench.qtbot.waitUntil(lambda: bench.view.controls.buttons[Control.REMOTE_STOP].isEnabled())
    bench.click(Control.REMOTE_STOP)
    bench.wait_outcome("remote_stop", Outcome.ACCEPTED)
    assert bench.calls("RemoteStopTransaction") == [{"transactionId": row.transaction_id}]
    assert f"Stop session {row.transaction_id} of tag T" in bench.prompts.questions[-1]
    bench.qtbot.waitUntil(lambda: bench.view.connectors.rows[1].transaction_id is None)


def test_reset_is_confirmed_and_cancelling_sends_nothing(bench: Bench) -> None:
    bench.prompts.confirm_answer = False
    bench.click(Control.SOFT_RESET)
    bench.click(Control.HARD_RESET)
    assert bench.view.runner.records == []
    assert len(bench.prompts.questions) == 2
    bench.prompts.confirm_answer = True
    bench.click(Control.HARD_RESET)
    bench.wait_outcome("hard_reset", Outcome.ACCEPTED)
    assert bench.calls("Reset") == [{"type": "Hard"}]
    # The station restarts: offline for a moment, then booted again.
    bench.qtbot.waitUntil(lambda: bench.view.header.pill.text() == "Offline", timeout=WAIT_MS)
    bench.qtbot.waitUntil(lambda: bench.view.header.pill.text() == "Online", timeout=WAIT_MS)


def test_unlock_connector_is_confirmed_and_reports_unlocked(bench: Bench) -> None:
    bench.click(Control.UNLOCK)
    bench.wait_outcome("unlock", Outcome.ACCEPTED)
    assert bench.calls("UnlockConnector") == [{"connectorId": 1}]
    assert "Unlock connector 1" in bench.prompts.questions[0]
    assert "The connector is unlocked." in bench.view.status_line.text()


def test_availability_of_a_connector_and_of_the_station(bench: Bench) -> None:
    view = bench.view
    view.select_connector(2)
    assert not view.controls.buttons[Control.CONNECTOR_AVAILABLE].isEnabled()
    bench.click(Control.CONNECTOR_UNAVAILABLE)
    bench.wait_outcome("connector_unavailable", Outcome.ACCEPTED)
    assert bench.calls("ChangeAvailability") == [{"connectorId": 2, "type": "Inoperative"}]
    bench.qtbot.waitUntil(lambda: bench.status(2) == "Unavailable", timeout=WAIT_MS)
    unavailable = view.controls.buttons[Control.CONNECTOR_UNAVAILABLE]
    assert not unavailable.isEnabled()
    assert unavailable.toolTip() == "Connector 2 is already unavailable."
    bench.click(Control.CONNECTOR_AVAILABLE)
    bench.wait_outcome("connector_available", Outcome.ACCEPTED)
    bench.qtbot.waitUntil(lambda: bench.status(2) == "Available", timeout=WAIT_MS)

    bench.click(Control.STATION_UNAVAILABLE)
    bench.wait_outcome("station_unavailable", Outcome.ACCEPTED)
    assert bench.calls("ChangeAvailability")[-1] == {"connectorId": 0, "type": "Inoperative"}
    assert "Take all of CP-DETAIL out of use" in bench.prompts.questions[-1]
    bench.qtbot.waitUntil(lambda: bench.status(1) == "Unavailable", timeout=WAIT_MS)


def test_trigger_message_sends_the_chosen_message(bench: Bench) -> None:
    bench.prompts.trigger = TriggerRequest(c.TriggerableMessage.STATUS_NOTIFICATION, 2)
    bench.click(Control.TRIGGER)
    bench.wait_outcome("trigger_message", Outcome.ACCEPTED)
    assert bench.calls("TriggerMessage") == [
        {"requestedMessage": "StatusNotification", "connectorId": 2}
    ]


def test_power_limit_is_set_and_cleared_and_a_refusal_is_shown(bench: Bench) -> None:
    bench.prompts.limit = PowerLimit(WHOLE_STATION, 11.0, LimitUnit.KILOWATT)
    bench.click(Control.SET_LIMIT)
    bench.wait_outcome("set_power_limit", Outcome.ACCEPTED)
    sent = bench.calls("SetChargingProfile")[0]
    assert sent["connectorId"] == 0
    profile = sent["csChargingProfiles"]
    assert isinstance(profile, dict)
    assert profile["chargingProfilePurpose"] == "ChargePointMaxProfile"
    assert profile["chargingSchedule"]["chargingRateUnit"] == "W"
    assert profile["chargingSchedule"]["chargingSchedulePeriod"][0]["limit"] == 11000.0

    bench.prompts.limit = PowerLimit(sessions_on(1), 16.0, LimitUnit.AMPERE)
    bench.click(Control.SET_LIMIT)
    bench.qtbot.waitUntil(lambda: len(bench.calls("SetChargingProfile")) == 2)
    bench.wait_outcome("set_power_limit", Outcome.ACCEPTED)
    profile = bench.calls("SetChargingProfile")[1]["csChargingProfiles"]
    assert isinstance(profile, dict)
    assert profile["chargingProfilePurpose"] == "TxDefaultProfile"
    assert profile["chargingSchedule"]["chargingRateUnit"] == "A"

    bench.prompts.clear = WHOLE_STATION
    bench.click(Control.CLEAR_LIMIT)
    bench.wait_outcome("clear_power_limit", Outcome.ACCEPTED)
    assert bench.calls("ClearChargingProfile") == [
        {"connectorId": 0, "chargingProfilePurpose": "ChargePointMaxProfile"}
    ]
    # Nothing left to clear: the station answers Unknown, shown as a refusal.
    bench.click(Control.CLEAR_LIMIT)
    bench.qtbot.waitUntil(lambda: len(bench.calls("ClearChargingProfile")) == 2)
    bench.wait_outcome("clear_power_limit", Outcome.REJECTED)
    assert outcome_label(Outcome.REJECTED) in bench.view.status_line.text()
    assert "Unknown" in bench.view.status_line.text()


def test_diagnostics_and_firmware_update_name_their_locations(bench: Bench) -> None:
    from datetime import UTC, datetime, timedelta

    bench.prompts.location = "ftp://files.example.com/diag/"
    bench.click(Control.DIAGNOSTICS)
    bench.wait_outcome("get_diagnostics", Outcome.ACCEPTED)
    assert bench.calls("GetDiagnostics") == [{"location": "ftp://files.example.com/diag/"}]
    assert "CP-DETAIL-diagnostics" in bench.view.status_line.text()

    later = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    bench.prompts.firmware = FirmwareRequest("https://files.example.com/fw.bin", later)
    bench.click(Control.FIRMWARE)
    bench.wait_outcome("update_firmware", Outcome.ACCEPTED)
    (sent,) = bench.calls("UpdateFirmware")
    assert sent["location"] == "https://files.example.com/fw.bin"
    assert isinstance(sent["retrieveDate"], str)
    assert datetime.fromisoformat(sent["retrieveDate"].replace("Z", "+00:00")) == later


def test_configuration_is_read_flagged_and_edited_with_confirmation(bench: Bench) -> None:
    panel = bench.view.configuration
    panel.read_button.click()
    bench.wait_outcome("read_configuration", Outcome.ACCEPTED)
    assert bench.calls("GetConfiguration") == [{}]
    model = panel.model
    readonly = model.entry("ChargeProfileMaxStackLevel")
    assert readonly is not None
    assert readonly.readonly
    row = model.row_of("ChargeProfileMaxStackLevel")
    value_col = CONFIG_COLUMNS.index("value")
    assert not model.flags(model.index(row, value_col)) & Qt.ItemFlag.ItemIsEditable
    assert model.data(model.index(row, CONFIG_COLUMNS.index("access"))) == "Read-only"
    heartbeat = model.index(model.row_of("HeartbeatInterval"), value_col)
    assert model.flags(heartbeat) & Qt.ItemFlag.ItemIsEditable

    bench.prompts.confirm_answer = False
    model.setData(heartbeat, "120")
    assert bench.calls("ChangeConfiguration") == []
    assert model.data(heartbeat) == "300"

    bench.prompts.confirm_answer = True
    model.setData(heartbeat, "120")
    bench.wait_outcome("change_configuration", Outcome.ACCEPTED)
    assert bench.calls("ChangeConfiguration") == [{"key": "HeartbeatInterval", "value": "120"}]
    assert model.data(heartbeat) == "120"
    assert "from “300” to “120”" in bench.prompts.questions[-1]

    model.setData(model.index(model.row_of("LocalAuthListEnabled"), value_col), "maybe")
    bench.wait_outcome("change_configuration", Outcome.REJECTED)
    assert model.data(model.index(model.row_of("LocalAuthListEnabled"), value_col)) == "true"


def test_reboot_required_is_surfaced_with_an_offer_to_soft_reset(bench: Bench) -> None:
    panel = bench.view.configuration
    panel.read()
    bench.wait_outcome("read_configuration", Outcome.ACCEPTED)
    model = panel.model
    index = model.index(model.row_of("ConnectorPhaseRotation"), CONFIG_COLUMNS.index("value"))
    model.setData(index, "0.RTS")
    bench.wait_outcome("change_configuration", Outcome.ACCEPTED)
    change = bench.view.runner.last("change_configuration")
    assert change is not None
    assert "after a restart" in change.detail
    assert bench.calls("ChangeConfiguration") == [
        {"key": "ConnectorPhaseRotation", "value": "0.RTS"}
    ]
    assert not panel.restart_banner.isHidden()
    assert "ConnectorPhaseRotation" in panel.restart_label.text()
    assert "needs a restart" in bench.prompts.questions[-1]
    bench.wait_outcome("soft_reset", Outcome.ACCEPTED)
    assert bench.calls("Reset") == [{"type": "Soft"}]
    bench.qtbot.waitUntil(lambda: panel.restart_banner.isHidden(), timeout=WAIT_MS)


def test_offline_station_disables_every_action_but_its_password_and_keeps_stored_data(
    bench: Bench, window: MainWindow
) -> None:
    bench.view.configuration.read()
    bench.wait_outcome("read_configuration", Outcome.ACCEPTED)
    bench.sim.do(lambda charger: charger.go_offline())
    bench.qtbot.waitUntil(lambda: bench.view.header.pill.text() == "Offline", timeout=WAIT_MS)
    for control, button in bench.view.controls.buttons.items():
        if control is Control.PASSWORD:
            # A new password can still be issued, to be typed in at the charger.
            assert button.isEnabled()
            continue
        assert not button.isEnabled(), control
        assert "offline" in button.toolTip()
    assert not bench.view.configuration.read_button.isEnabled()
    assert not bench.view.configuration.model.editable
    assert bench.view.identity.text("connection").startswith("Offline")
    bench.view.controls.activate(Control.PASSWORD)
    dialog = bench.view.controls.password_dialog
    assert dialog is not None
    assert dialog.isVisible()
    dialog.close()

    # An action that raced the disconnection says so instead of failing silently.
    bench.view.runner.send("soft_reset", "Soft reset", c.Reset(c.ResetType.SOFT))
    bench.wait_outcome("soft_reset", Outcome.OFFLINE)
    assert "Station offline" in bench.view.status_line.text()

    # Reopened, the view shows what is stored: identity and the last configuration read.
    close_station(window, "CP-DETAIL")
    again = open_station(window, "CP-DETAIL")
    bench.qtbot.waitUntil(lambda: bool(again.configuration.model.entries), timeout=WAIT_MS)
    bench.qtbot.waitUntil(lambda: again.identity.text("vendor") == "ChargeDesk")
    assert "Stored copy" in again.configuration.source.text()
    bench.view = again


def test_pending_station_only_allows_configuration_and_its_password(
    bench: Bench, host: EngineHost
) -> None:
    host.submit(lambda s: s.stations.set_admission("CP-DETAIL", Admission.PENDING)).result(5)
    view = bench.view
    bench.qtbot.waitUntil(
        lambda: view.header.pill.text() == "Online · pending approval", timeout=WAIT_MS
    )
    for control, button in view.controls.buttons.items():
        if control is Control.PASSWORD:  # a ChangeConfiguration, allowed while pending
            assert button.isEnabled()
            continue
        assert not button.isEnabled()
        assert "waiting for approval" in button.toolTip()
    assert view.configuration.read_button.isEnabled()
    view.configuration.read()
    bench.wait_outcome("read_configuration", Outcome.ACCEPTED)
    assert view.configuration.model.editable


def test_recent_events_show_this_station_live_in_plain_words(bench: Bench) -> None:
    bench.sim.do(lambda charger: charger.set_fault(2, "GroundFailure"))
    events = bench.view.events
    bench.qtbot.waitUntil(
        lambda: "Connector 2: Faulted (GroundFailure)" in events.texts(), timeout=WAIT_MS
    )
    assert bench.status(2) == "Faulted (GroundFailure)"
    bench.sim.do(lambda charger: charger.clear_fault(2))
    bench.qtbot.waitUntil(lambda: events.texts()[0] == "Connector 2: Available", timeout=WAIT_MS)
    assert events.texts()[1] == "Connector 2: Faulted (GroundFailure)"  # newest first
    fault = events.item(1, 1)
    assert fault is not None
    assert fault.foreground().color().name() == "#d0342c"


def test_recent_events_keep_the_last_fifty_of_this_station_only(qtbot: QtBot) -> None:
    from datetime import UTC, datetime, timedelta

    from app.domain.events import ConnectorStatusChanged, DomainEvent, MeterValuesReceived
    from app.domain.model import ConnectorStatus
    from app.ui.views.station_events import RecentEventsTable

    table = RecentEventsTable("A")
    qtbot.addWidget(table)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    batch: list[DomainEvent] = [
        ConnectorStatusChanged(
            start + timedelta(seconds=i),
            station,
            1,
            ConnectorStatus.CHARGING,
            None,
            "NoError",
            None,
        )
        for i in range(60)
        for station in ("A", "B")
    ]
    batch.append(MeterValuesReceived(start, "A", 1, None, ()))
    assert table.add_events(batch) == 60
    assert len(table.texts()) == 50
    assert table.rowCount() == 50


def test_open_station_focuses_an_open_tab_and_closing_removes_it(
    window: MainWindow, charger_factory: Callable[..., ThreadedCharger], qtbot: QtBot
) -> None:
    from app.ui.views.station_detail import open_stations_from

    charger_factory("CP-TABS", connectors=1)
    qtbot.waitUntil(lambda: window.grid.model.rowCount() == 1, timeout=WAIT_MS)
    tabs_before = window.tabs.count()
    open_stations_from(window)
    window.grid.station_activated.emit("CP-TABS")
    view = window.views["station:CP-TABS"]
    assert window.tabs.currentWidget() is view
    window.tabs.setCurrentIndex(0)
    assert open_station(window, "CP-TABS") is view
    assert window.tabs.currentWidget() is view
    assert window.tabs.count() == tabs_before + 1
    close_station(window, "CP-TABS")
    assert "station:CP-TABS" not in window.views
    assert window.tabs.count() == tabs_before


def test_named_errors_become_outcomes() -> None:
    from app.domain.errors import (
        CallErrorReceived,
        CommandRejected,
        CommandTimeout,
        NotSupportedByStation,
        StationOffline,
    )
    from app.ui.views.station_actions import describe_refusal, outcome_of

    assert outcome_of(StationOffline("X", "Reset")) is Outcome.OFFLINE
    assert outcome_of(CommandTimeout("X", "Reset", 30)) is Outcome.TIMED_OUT
    assert outcome_of(CommandRejected("X", "Reset", "Rejected")) is Outcome.REJECTED
    unsupported = NotSupportedByStation("X", "UnlockConnector", "NotSupported")
    assert outcome_of(unsupported) is Outcome.REJECTED
    assert describe_refusal(unsupported, "?") == "The station does not support this."
    assert outcome_of(CallErrorReceived("X", "Reset", "InternalError", "")) is Outcome.FAILED
    assert outcome_label(Outcome.TIMED_OUT) == "No answer (timed out)"
