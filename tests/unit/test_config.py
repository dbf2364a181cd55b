"""Settings are layered: defaults, then the settings file, then the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import Settings, UnknownStationPolicy, load_settings


def test_defaults_match_the_documented_embedded_setup(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "missing.toml", environ={})
    assert (settings.host, settings.port, settings.path_prefix) == ("0.0.0.0", 9000, "/ocpp")
    assert settings.unknown_stations is UnknownStationPolicy.PENDING
    assert settings.accept_unknown_tags is False
    assert settings.db_url.startswith("sqlite:///")
    assert settings.db_url.endswith(".sqlite3")
    assert settings.command_timeout == 30.0
    assert settings.max_frame_bytes == 64 * 1024


def test_file_then_environment_override_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('port = 9100\nheartbeat_interval = 120\nunknown_stations = "reject"\n')
    settings = load_settings(
        path, environ={"CHARGEDESK_PORT": "9200", "CHARGEDESK_ACCEPT_UNKNOWN_TAGS": "yes"}
    )
    assert settings.port == 9200
    assert settings.heartbeat_interval == 120
    assert settings.unknown_stations is UnknownStationPolicy.REJECT
    assert settings.accept_unknown_tags is True


def test_a_misspelt_setting_is_an_error_not_ignored(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("heartbeat_intervall = 60\n")
    with pytest.raises(ValueError, match="heartbeat_intervall"):
        load_settings(path, environ={})


def test_command_line_overrides_skip_unset_flags() -> None:
    settings = Settings().with_overrides(port=9300, host=None)
    assert settings.port == 9300
    assert settings.host == "0.0.0.0"
