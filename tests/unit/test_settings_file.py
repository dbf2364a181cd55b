"""The settings writer changes chosen keys and keeps the rest of the file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from app.config import load_settings
from app.domain.access import UnknownTagPolicy
from app.settings_file import update_settings_file


def read(path: Path) -> dict[str, object]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def test_a_missing_file_is_created_with_the_keys(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.toml"
    update_settings_file(path, {"unknown_tags": "walk_in", "stop_on_block": True})
    assert read(path) == {"unknown_tags": "walk_in", "stop_on_block": True}


def test_what_is_written_loads_back_as_settings(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    update_settings_file(
        path,
        {
            "unknown_tags": "walk_in",
            "stop_on_block": True,
            "site_time_zone": "Europe/Stockholm",
            "local_auth_sync": False,
        },
    )
    settings = load_settings(path, environ={})
    assert settings.unknown_tag_policy is UnknownTagPolicy.WALK_IN
    assert settings.stop_on_block is True
    assert settings.site_time_zone == "Europe/Stockholm"
    assert settings.local_auth_sync is False


def test_other_keys_and_comments_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        "# our depot\nport = 9100\nstop_on_block = false  # for now\ncommand_timeout = 12.5\n"
        'language = "sv"',
        encoding="utf-8",
    )
    update_settings_file(path, {"stop_on_block": True, "unknown_tags": "reject"})
    assert read(path) == {
        "port": 9100,
        "stop_on_block": True,
        "command_timeout": 12.5,
        "language": "sv",
        "unknown_tags": "reject",
    }
    assert path.read_text(encoding="utf-8").startswith("# our depot\nport = 9100\n")


@pytest.mark.parametrize(
    "value", ['say "hi"', "C:\\depot\\new", "Östra hamnen ⚡ 東京", "tab\there\nline\x7f"]
)
def test_strings_with_quotes_backslashes_and_unicode_read_back_the_same(
    tmp_path: Path, value: str
) -> None:
    path = tmp_path / "settings.toml"
    update_settings_file(path, {"site_time_zone": value})
    assert read(path) == {"site_time_zone": value}


def test_a_multi_line_string_elsewhere_survives(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('api_tls_cert = """\nstop_on_block = true\n"""\n', encoding="utf-8")
    update_settings_file(path, {"stop_on_block": False})
    assert read(path) == {"api_tls_cert": "stop_on_block = true\n", "stop_on_block": False}


def test_a_value_toml_cannot_hold_is_refused_and_the_file_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("port = 9100\n", encoding="utf-8")
    with pytest.raises(TypeError):
        update_settings_file(path, {"port": None})  # type: ignore[dict-item]
    assert path.read_text(encoding="utf-8") == "port = 9100\n"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]
