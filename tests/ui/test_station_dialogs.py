"""The station dialogs build exactly the request the operator chose, and refuse bad input."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime
from pytestqt.qtbot import QtBot

from app.domain import commands as c
from app.domain.model import IdTag, IdTagStatus
from app.ui.dialogs.file_transfer import DiagnosticsDialog, FirmwareDialog
from app.ui.dialogs.inputs import id_tag_problem, location_problem
from app.ui.dialogs.power_limit import ClearLimitDialog, PowerLimitDialog
from app.ui.dialogs.remote_start import RemoteStartDialog
from app.ui.dialogs.requests import (
    EVERY_NEW_SESSION,
    WHOLE_STATION,
    LimitUnit,
    PowerLimit,
    clear_limit_command,
    sessions_on,
)
from app.ui.dialogs.trigger import TriggerDialog


def test_remote_start_offers_usable_tags_and_needs_one(qtbot: QtBot) -> None:
    tags = [IdTag("B-2", IdTagStatus.ACCEPTED), IdTag("BLOCKED", IdTagStatus.BLOCKED)]
    dialog = RemoteStartDialog("CP", [1, 2], 2, tags)
    qtbot.addWidget(dialog)
    assert [dialog.id_tag.itemText(i) for i in range(dialog.id_tag.count())] == ["B-2"]
    request = dialog.request()
    assert request is not None
    assert (request.connector_id, request.id_tag) == (2, "B-2")
    assert request.command() == c.RemoteStartTransaction(id_tag="B-2", connector_id=2)
    dialog.id_tag.setEditText("  ")
    assert not dialog.ok_button.isEnabled()
    assert dialog.problem_label.text() == "Choose or type an id tag."
    dialog.id_tag.setEditText("TYPED")
    assert dialog.ok_button.isEnabled()
    assert dialog.request() == type(request)(2, "TYPED")


def test_power_limit_dialog_builds_the_profile(qtbot: QtBot) -> None:
    dialog = PowerLimitDialog("CP", [1, 2])
    qtbot.addWidget(dialog)
    assert dialog.request() == PowerLimit(WHOLE_STATION, 11.0, LimitUnit.KILOWATT)
    dialog.scope.setCurrentIndex(3)
    dialog.unit.setCurrentIndex(1)
    dialog.value.setValue(10.5)
    limit = dialog.request()
    assert limit == PowerLimit(sessions_on(2), 10.5, LimitUnit.AMPERE)
    now = datetime(2025, 5, 1, 12, 0, 0, 123, tzinfo=UTC)
    command = limit.command(now)
    profile = command.cs_charging_profiles
    assert command.connector_id == 2
    assert profile.charging_profile_purpose is c.ProfilePurpose.TX_DEFAULT
    assert profile.charging_schedule.charging_rate_unit is c.ChargingRateUnit.AMPERE
    assert profile.charging_schedule.charging_schedule_period[0].limit == 10.5
    assert profile.charging_schedule.start_schedule == now.replace(microsecond=0)
    station = PowerLimit(WHOLE_STATION, 7.4, LimitUnit.KILOWATT).command(now)
    assert station.connector_id == 0
    assert station.cs_charging_profiles.charging_schedule.charging_schedule_period[0].limit == 7400
    assert station.cs_charging_profiles.charging_profile_id != profile.charging_profile_id


def test_clear_limit_dialog_names_what_to_clear(qtbot: QtBot) -> None:
    dialog = ClearLimitDialog("CP", [1])
    qtbot.addWidget(dialog)
    dialog.scope.setCurrentIndex(1)
    assert dialog.request() == EVERY_NEW_SESSION
    assert clear_limit_command(EVERY_NEW_SESSION) == c.ClearChargingProfile(
        connector_id=0, charging_profile_purpose=c.ProfilePurpose.TX_DEFAULT
    )


def test_trigger_dialog_asks_for_a_connector_only_where_it_matters(qtbot: QtBot) -> None:
    dialog = TriggerDialog("CP", [1, 2], 2)
    qtbot.addWidget(dialog)
    request = dialog.request()
    assert request.message is c.TriggerableMessage.STATUS_NOTIFICATION
    assert request.connector_id == 2
    dialog.message.setCurrentIndex(dialog.message.findData(c.TriggerableMessage.HEARTBEAT))
    assert not dialog.connector.isEnabled()
    assert dialog.request().command() == c.TriggerMessage(c.TriggerableMessage.HEARTBEAT, None)


def test_file_server_addresses_are_checked(qtbot: QtBot) -> None:
    diagnostics = DiagnosticsDialog("CP")
    qtbot.addWidget(diagnostics)
    assert not diagnostics.ok_button.isEnabled()
    diagnostics.location.setText("files.example.com/diag")
    assert diagnostics.request() is None
    assert "must start with" in diagnostics.problem_label.text()
    diagnostics.location.setText("ftp://files.example.com/diag/")
    assert diagnostics.request() == "ftp://files.example.com/diag/"

    firmware = FirmwareDialog("CP", "1.0.0")
    qtbot.addWidget(firmware)
    assert "Current version: 1.0.0" in firmware.intro.text()
    firmware.location.setText("https://files.example.com/fw.bin")
    when = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)
    firmware.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(when.timestamp())))
    request = firmware.request()
    assert request is not None
    assert request.retrieve_at == when
    assert request.command() == c.UpdateFirmware("https://files.example.com/fw.bin", when)


def test_input_problems_in_plain_words() -> None:
    assert location_problem("") == "Enter the address of the file server."
    assert location_problem("ftp://") == "The address needs a server name after the scheme."
    assert location_problem("ftp://a b/") == "The address cannot contain spaces."
    assert location_problem("sftp://host/path") is None
    assert id_tag_problem("x" * 21) == "An id tag has at most 20 characters."
    assert id_tag_problem("ABC") is None
