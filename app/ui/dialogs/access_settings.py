"""Access settings: unknown tags, blocked tags, the sites' time zone, local list sync.

OK writes the settings file first (off the GUI thread); only when that worked
are the unknown-tag policy and stop-on-block applied to the running engine, so
a file that cannot be written changes nothing. The time zone and local list
sync are read by many services when they start: they take effect at the next
start, and the dialog says so.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import tomllib
from dataclasses import dataclass
from functools import cache
from zoneinfo import available_timezones

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.config import ENV_PREFIX, Settings
from app.domain.access import UnknownTagPolicy
from app.domain.errors import ChargeDeskError
from app.domain.operators import Role
from app.services.container import Services
from app.settings_file import update_settings_file
from app.ui.dialogs.validated_form import SaveCall, ValidatedFormDialog, show_dialog
from app.ui.engine_host import EngineHost

ACCESS_KEYS = ("unknown_tags", "stop_on_block", "site_time_zone", "local_auth_sync")


def _tr(text: str) -> str:
    return QCoreApplication.translate("AccessSettings", text)


@cache
def time_zones() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


@dataclass(frozen=True, slots=True)
class AccessSettings:
    unknown_tags: UnknownTagPolicy
    stop_on_block: bool
    site_time_zone: str
    local_auth_sync: bool

    @classmethod
    def of(cls, settings: Settings) -> AccessSettings:
        return cls(
            settings.unknown_tag_policy,
            settings.stop_on_block,
            settings.site_time_zone,
            settings.local_auth_sync,
        )

    def applied_to(self, settings: Settings) -> Settings:
        return dataclasses.replace(
            settings,
            unknown_tags=self.unknown_tags,
            stop_on_block=self.stop_on_block,
            site_time_zone=self.site_time_zone,
            local_auth_sync=self.local_auth_sync,
        )


class AccessSettingsDialog(ValidatedFormDialog):
    def __init__(self, host: EngineHost, parent: QWidget | None = None) -> None:
        intro = _tr("Saved in {path}.").format(path=host.settings_path)
        overridden = [k for k in ACCESS_KEYS if ENV_PREFIX + k.upper() in os.environ]
        if overridden:
            intro += " " + _tr(
                "The environment also sets {names}; at the next start it wins over this file."
            ).format(names=", ".join(ENV_PREFIX + k.upper() for k in overridden))
        super().__init__(host, _tr("Access settings"), intro, _tr("Save"), parent)
        current = AccessSettings.of(host.settings)

        self.refuse_unknown = QRadioButton(_tr("Refuse them"), self)
        self.walk_in = QRadioButton(
            _tr("Accept them as walk-ins, so the desk can take payment"), self
        )
        self.add_field(
            "unknown_tags",
            _tr("Tags nobody registered:"),
            self._choice(
                self.refuse_unknown, self.walk_in, current.unknown_tags is UnknownTagPolicy.WALK_IN
            ),
        )
        self.stop_session = QRadioButton(_tr("Stop the session at once"), self)
        self.let_finish = QRadioButton(_tr("Let the session finish"), self)
        self.add_field(
            "stop_on_block",
            _tr("A tag blocked while it charges:"),
            self._choice(self.let_finish, self.stop_session, current.stop_on_block),
        )

        self.zone = QComboBox(self)
        self.zone.setEditable(True)
        self.zone.addItem("")
        self.zone.addItems(list(time_zones()))
        self.zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.zone.lineEdit()
        assert line is not None
        line.setPlaceholderText(_tr("This computer's time zone"))
        self.zone.setCurrentText(current.site_time_zone)
        self.zone.currentTextChanged.connect(self.revalidate)
        self.add_field("site_time_zone", _tr("Sites' time zone:"), self.zone)

        self.local_sync = QCheckBox(
            _tr("Keep the chargers' local authorization lists in step with access changes"),
            self,
        )
        self.local_sync.setChecked(current.local_auth_sync)
        self.local_sync.toggled.connect(self.revalidate)
        self.add_field("local_auth_sync", _tr("Local lists:"), self.local_sync)
        self.saved.connect(self._remember)
        self.start()

    def _choice(self, off: QRadioButton, on: QRadioButton, is_on: bool) -> QVBoxLayout:
        group = QButtonGroup(self)
        column = QVBoxLayout()
        for button in (off, on):
            group.addButton(button)
            column.addWidget(button)
        (on if is_on else off).setChecked(True)
        group.buttonToggled.connect(self.revalidate)
        return column

    def values(self) -> AccessSettings:
        return AccessSettings(
            UnknownTagPolicy.WALK_IN if self.walk_in.isChecked() else UnknownTagPolicy.REJECT,
            self.stop_session.isChecked(),
            self.zone.currentText().strip(),
            self.local_sync.isChecked(),
        )

    def problems(self) -> dict[str, str]:
        zone = self.zone.currentText().strip()
        if zone and zone not in time_zones():
            return {
                "site_time_zone": _tr(
                    "{zone} is not a time zone; choose one such as Europe/Stockholm, or leave "
                    "it empty for this computer's zone."
                ).format(zone=zone)
            }
        return {}

    def hints(self) -> dict[str, str]:
        later = _tr("Takes effect after ChargeDesk restarts.")
        return {"site_time_zone": later, "local_auth_sync": later}

    def save_call(self) -> SaveCall:
        chosen = self.values()
        path = self._host.settings_path
        changes = {
            "unknown_tags": chosen.unknown_tags.value,
            "stop_on_block": chosen.stop_on_block,
            "site_time_zone": chosen.site_time_zone,
            "local_auth_sync": chosen.local_auth_sync,
        }
        not_written = _tr("{path} could not be written ({reason}); nothing was changed.")

        async def save(services: Services) -> AccessSettings:
            await services.permit(Role.MANAGER, "settings.access")
            try:
                await asyncio.to_thread(update_settings_file, path, changes)
            except (OSError, tomllib.TOMLDecodeError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                raise ChargeDeskError(not_written.format(path=path, reason=reason)) from exc
            services.use_access_policy(
                unknown_tags=chosen.unknown_tags, stop_on_block=chosen.stop_on_block
            )
            return chosen

        return save

    def _remember(self, chosen: object) -> None:
        """What the next dialog and the views read (the engine has its own, from its start)."""
        assert isinstance(chosen, AccessSettings)
        self._host.settings = chosen.applied_to(self._host.settings)


def open_access_settings(parent: QWidget | None, host: EngineHost) -> AccessSettingsDialog:
    dialog = AccessSettingsDialog(host, parent)
    show_dialog(dialog)
    return dialog
