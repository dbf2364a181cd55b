"""`chargedesk tags` and `chargedesk drivers`, against a real temporary database."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.cli.main import main

GOOD = (
    "id_tag;status;driver_name;driver_email;fleet\n"
    "04:a2:b3:c4;Accepted;Anna Berg;anna@depot.se;Buses\n"
    "BUS-17;Blocked;Bo Ek;;Buses\n"
)
BAD = "id_tag,status\nOK-1,Accepted\nOK-1,Blocked\nNOPE-2,Sometimes\n"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def tag_ids(capsys: pytest.CaptureFixture[str], db_url: str) -> list[str]:
    code, out, _ = run_cli(capsys, "tags", "list", "--json", "--db", db_url)
    assert code == 0
    return [t["id_tag"] for t in json.loads(out)]


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "tags.csv"
    path.write_text(GOOD, encoding="utf-8-sig")
    return path


def test_import_without_apply_shows_the_preview_and_writes_nothing(
    db_url: str, good_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "tags", "import", str(good_file), "--db", db_url)
    assert code == 0
    assert "2 rows: 2 new, 0 changed, 0 unchanged, 0 duplicate, 0 invalid" in out
    assert "New fleets: Buses" in out
    assert "04A2B3C4" in out
    assert "Nothing was written. Add --apply to import." in out
    assert tag_ids(capsys, db_url) == []


def test_import_with_apply_writes_everything_and_again_finds_nothing_to_do(
    db_url: str, good_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "tags", "import", str(good_file), "--apply", "--db", db_url)
    assert code == 0
    assert "Imported: 2 tags added, 0 changed; 2 drivers added, 0 changed; 1 fleets added." in out
    assert tag_ids(capsys, db_url) == ["04A2B3C4", "BUS-17"]
    code, out, _ = run_cli(capsys, "tags", "import", str(good_file), "--apply", "--db", db_url)
    assert code == 0
    assert "Nothing to import: every row is as stored." in out


def test_a_file_with_bad_rows_is_refused_with_each_reason(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    code, out, err = run_cli(capsys, "tags", "import", str(path), "--apply", "--db", db_url)
    assert code == 1
    assert "0 new, 0 changed, 0 unchanged, 2 duplicate, 1 invalid" in out
    assert "status 'Sometimes' is not one of Accepted, Blocked, Expired, Invalid" in out
    assert "the same tag OK-1 is also on line 3" in out
    assert "invalid (1) or duplicate (2)" in err
    assert tag_ids(capsys, db_url) == []


def test_import_json_reports_counts_rows_and_the_outcome(
    db_url: str, tmp_path: Path, good_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    code, out, _ = run_cli(capsys, "tags", "import", str(path), "--json", "--db", db_url)
    assert code == 1
    report = json.loads(out)
    assert report["counts"] == {
        "new": 0,
        "changed": 0,
        "unchanged": 0,
        "duplicate": 2,
        "invalid": 1,
    }
    assert report["can_apply"] is False
    assert report["applied"] is False
    assert [(r["line"], r["kind"]) for r in report["rows"]] == [
        (2, "duplicate"),
        (3, "duplicate"),
        (4, "invalid"),
    ]
    code, out, _ = run_cli(
        capsys, "tags", "import", str(good_file), "--json", "--apply", "--db", db_url
    )
    assert code == 0
    report = json.loads(out)
    assert report["applied"] is True
    assert report["result"]["tags_added"] == 2
    assert report["rows"][0]["remarks"] == ["new driver Anna Berg", "new fleet Buses"]


def test_a_file_that_is_no_tag_list_is_refused_and_a_missing_one_is_a_usage_error(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "other.csv"
    path.write_text("name,amount\nx,1\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "tags", "import", str(path), "--db", db_url)
    assert code == 1
    assert "Unknown column 'name', 'amount' in the header" in err
    code, _, err = run_cli(capsys, "tags", "import", str(tmp_path / "nowhere.csv"), "--db", db_url)
    assert code == 2
    assert "cannot read" in err


def test_export_then_import_changes_nothing(
    db_url: str, good_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_cli(capsys, "tags", "import", str(good_file), "--apply", "--db", db_url)
    exported = tmp_path / "export.csv"
    code, out, _ = run_cli(
        capsys, "tags", "export", str(exported), "--delimiter", "semicolon", "--db", db_url
    )
    assert code == 0
    assert f"Exported 2 tags to {exported}" in out
    assert exported.read_bytes().startswith("\ufeffid_tag;status;".encode())
    code, out, _ = run_cli(capsys, "tags", "import", str(exported), "--db", db_url)
    assert "0 new, 0 changed, 2 unchanged" in out
    code, out, _ = run_cli(capsys, "tags", "export", "--db", db_url)
    assert out.splitlines()[0].startswith("id_tag,status,expiry_date,")


def test_tags_block_unblock_and_add_with_a_driver(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(
        capsys,
        "drivers",
        "add",
        "Dan Ny",
        "--email",
        "dan@depot.se",
        "--fleet",
        "Taxis",
        "--tag",
        "dd:01:02",
        "--json",
        "--db",
        db_url,
    )
    assert code == 0
    driver = json.loads(out)
    assert (driver["name"], driver["fleet"], driver["tags"]) == ("Dan Ny", "Taxis", ["DD0102"])
    assert run_cli(capsys, "tags", "block", "dd-01-02", "--db", db_url)[1] == (
        "Id tag DD0102 is now Blocked\n"
    )
    code, out, _ = run_cli(
        capsys, "tags", "add", "SPARE", "--driver", str(driver["id"]), "--json", "--db", db_url
    )
    assert json.loads(out)["driver"] == "Dan Ny"
    code, out, _ = run_cli(capsys, "drivers", "show", str(driver["id"]), "--json", "--db", db_url)
    shown = json.loads(out)
    assert {t["id_tag"]: t["status"] for t in shown["tags"]} == {
        "DD0102": "Blocked",
        "SPARE": "Accepted",
    }
    run_cli(capsys, "tags", "unblock", "DD0102", "--db", db_url)
    code, out, _ = run_cli(capsys, "drivers", "list", "--fleet", "taxis", "--db", db_url)
    assert out.splitlines()[0].split() == [
        "ID",
        "NAME",
        "FLEET",
        "EMAIL",
        "PHONE",
        "ACTIVE",
        "TAGS",
    ]
    assert "DD0102, SPARE" in out
    code, _, err = run_cli(capsys, "tags", "block", "NOBODY", "--db", db_url)
    assert code == 2
    assert "NOBODY" in err


def test_import_asks_before_writing_when_run_in_a_terminal(
    db_url: str, good_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "tags", "import", str(good_file), "--db", db_url],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    os.close(terminal)
    seen = b""
    deadline = time.monotonic() + 30
    while b"[y/N]" not in seen and time.monotonic() < deadline:
        seen += os.read(controller, 4096)
    assert b"Import these changes? [y/N]" in seen
    os.write(controller, b"y\n")
    assert proc.wait(30) == 0
    try:
        while chunk := os.read(controller, 4096):
            seen += chunk
    except OSError:
        pass  # the terminal closed with the process
    os.close(controller)
    assert b"Imported: 2 tags added" in seen
    assert tag_ids(capsys, db_url) == ["04A2B3C4", "BUS-17"]


def test_a_refused_driver_leaves_no_new_fleet_behind(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(
        capsys, "drivers", "add", "Eva", "--email", "eva@", "--fleet", "Ghosts", "--db", db_url
    )
    assert code == 2
    assert "not an email address" in err
    code, _, err = run_cli(capsys, "drivers", "list", "--fleet", "Ghosts", "--db", db_url)
    assert code == 2
    assert "no fleet named 'Ghosts' (fleets: none yet)" in err
