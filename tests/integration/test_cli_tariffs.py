"""`chargedesk tariffs`: managing tariffs and pricing a session from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.main import main

PEAK_TOML = """
energy_per_kwh_minor = 345
[[bands]]
name = "Peak"
weekdays = [0, 1, 2, 3, 4]
start = "17:00"
end = "20:00"
energy_per_kwh_minor = 500
"""


@pytest.fixture(autouse=True)
def stockholm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARGEDESK_SITE_TIME_ZONE", "Europe/Stockholm")


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_tariff_from_a_file_is_assigned_shown_and_prices_a_session_line_by_line(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "standard.toml"
    spec.write_text(PEAK_TOML, encoding="utf-8")
    code, out, err = run_cli(
        capsys, "tariffs", "create", "Standard", "--file", str(spec), "--start-fee", "5",
        "--db", db_url,
    )  # fmt: skip
    assert code == 0, err
    assert "Created tariff 1 'Standard'" in out
    assert "Band Peak, Mon–Fri 17:00–20:00: 5.00 SEK/kWh" in out
    assert run_cli(capsys, "tariffs", "assign", "standard", "--db", db_url)[1] == (
        "Tariff 'Standard' applies everywhere\n"
    )

    code, out, _ = run_cli(capsys, "tariffs", "list", "--json", "--db", db_url)
    (listed,) = json.loads(out)
    assert (listed["name"], listed["energy"], listed["start_fee"], listed["assigned"]) == (
        "Standard",
        345,
        500,
        ["everywhere"],
    )
    code, out, _ = run_cli(
        capsys, "tariffs", "price", "Standard", "--start", "2026-11-25T17:30", "--minutes", "45",
        "--kwh", "22", "--db", db_url,
    )  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Standard: 45 min from 2026-11-25 17:30 (Europe/Stockholm), 22 kWh"
    assert lines[1].split() == ["Start", "fee", "5.00", "SEK"]
    assert "Energy 22.000 kWh × 5.00 SEK (Peak, Mon–Fri 17:00–20:00)" in lines[2]
    assert lines[-2].split() == ["Total", "115.00", "SEK"]
    assert lines[-1].split() == ["of", "which", "VAT", "25", "%", "23.00", "SEK"]

    code, out, _ = run_cli(
        capsys, "tariffs", "price", "1", "--start", "2026-11-25T21:00", "--minutes", "60",
        "--kwh", "10,5", "--json", "--db", db_url,
    )  # fmt: skip
    priced = json.loads(out)
    assert (priced["tariff"], priced["total_minor"], priced["final"]) == ("Standard", 4123, True)
    assert [line["kind"] for line in priced["lines"]] == ["start_fee", "energy"]


def test_an_update_is_a_new_version_and_archiving_waits_until_it_is_unassigned(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run_cli(capsys, "tariffs", "create", "Night", "--energy", "2.10", "--db", db_url)
    run_cli(capsys, "stations", "add", "CP-1", "--db", db_url)
    run_cli(capsys, "tariffs", "assign", "Night", "--station", "CP-1", "--db", db_url)
    code, out, _ = run_cli(
        capsys, "tariffs", "update", "Night", "--energy", "1,95", "--name", "Night owl",
        "--json", "--db", db_url,
    )  # fmt: skip
    assert code == 0
    updated = json.loads(out)
    assert (updated["id"], updated["name"], updated["energy"]) == (1, "Night owl", 195)
    assert updated["assigned"] == ["station CP-1"]

    code, _, err = run_cli(capsys, "tariffs", "archive", "Night owl", "--db", db_url)
    assert code == 2
    assert err == (
        "chargedesk: tariff 'Night owl' is still assigned (station CP-1): assign another "
        "tariff there or clear those assignments first\n"
    )
    code, out, _ = run_cli(capsys, "tariffs", "unassign", "--station", "CP-1", "--db", db_url)
    assert out == "No tariff set station CP-1 any more\n"
    assert run_cli(capsys, "tariffs", "archive", "1", "--db", db_url)[1] == (
        "Tariff 1 'Night owl' archived\n"
    )
    assert json.loads(run_cli(capsys, "tariffs", "list", "--json", "--db", db_url)[1]) == []


def test_mistakes_get_one_clear_line_and_change_nothing(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"energy_per_kwh_minor": "cheap"}', encoding="utf-8")
    run_cli(capsys, "tariffs", "create", "Standard", "--db", db_url)
    for argv, message in (
        (("create", "STANDARD"), "there is already a tariff named 'Standard'"),
        (("create", "Other", "--energy", "3.456"), "--energy: '3.456' has more than 2 decimals"),
        (("create", "Other", "--file", str(broken)), "energy_per_kwh_minor must be a whole number"),
        (("create", "Other", "--file", "missing.toml"), "--file missing.toml: No such file"),
        (("assign", "Standard", "--site", "Depot"), "--site 'Depot': no such site"),
        (("assign", "Cheap"), "no tariff with id or name 'Cheap'"),
        (("unassign",), "no tariff is set everywhere"),
        (("price", "Standard", "--start", "soon", "--minutes", "5", "--kwh", "1"), "ISO 8601"),
    ):
        code, out, err = run_cli(capsys, "tariffs", *argv, "--db", db_url)
        assert (code, out) == (2, ""), argv
        assert message in err, (argv, err)
        assert "Traceback" not in err
    code, out, _ = run_cli(capsys, "tariffs", "list", "--json", "--all", "--db", db_url)
    assert [(t["name"], t["assigned"]) for t in json.loads(out)] == [("Standard", [])]
