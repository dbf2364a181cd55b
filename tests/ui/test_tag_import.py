"""The tag import dialog and the export action, over a real engine and database."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.domain.model import IdTag, IdTagStatus
from app.domain.tag_import import ImportResult, RowKind
from app.services.container import Services
from app.ui.dialogs import tag_import
from app.ui.dialogs.tag_import import TagImportDialog, export_tags, open_import_dialog
from app.ui.engine_host import EngineHost

MIXED = (
    "id_tag;status;driver_name;driver_email;fleet\n"
    "SPARE-1;Blocked;;;\n"
    "NEW-1;Accepted;Anna Berg;anna@depot.se;Buses\n"
    "NEW-2;Sometimes;;;\n"
    "KEEP-1;Accepted;;;\n"
)
CLEAN = (
    "id_tag,status,driver_name,driver_email,fleet\n"
    "SPARE-1,Blocked,,,\n"
    "NEW-1,Accepted,Anna Berg,anna@depot.se,Buses\n"
    "KEEP-1,Accepted,,,\n"
)


@pytest.fixture
def stored(host: EngineHost) -> EngineHost:
    async def register(services: Services) -> None:
        for tag in ("SPARE-1", "KEEP-1"):
            await services.tags.create(IdTag(tag, IdTagStatus.ACCEPTED))

    host.submit(register).result(10)
    return host


@pytest.fixture
def opened(
    stored: EngineHost, qtbot: QtBot, tmp_path: Path, request: pytest.FixtureRequest
) -> TagImportDialog:
    path = tmp_path / "tags.csv"
    path.write_text(request.param, encoding="utf-8")
    dialog = open_import_dialog(None, stored, str(path))
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    return dialog


@pytest.mark.parametrize("opened", [MIXED], indirect=True)
def test_the_preview_shows_each_row_with_counts_and_a_filter(opened: TagImportDialog) -> None:
    counts = opened.counts.text()
    for words in ("1 new", "1 changed", "1 unchanged", "0 duplicate", "1 invalid"):
        assert words in counts
    shown = [opened.model.row_at(i) for i in range(opened.model.rowCount())]
    assert [(r.id_tag, r.kind) for r in shown] == [
        ("SPARE-1", RowKind.CHANGED),
        ("NEW-1", RowKind.NEW),
        ("NEW-2", RowKind.INVALID),
    ], "unchanged rows are left out until asked for"
    assert "status: Accepted → Blocked" in opened.model.index(0, 4).data()
    assert "New fleets: Buses." in opened.creates.text()
    opened.filter.setCurrentIndex(opened.filter.findData(RowKind.INVALID.value))
    assert opened.model.rowCount() == 1
    assert "status 'Sometimes'" in opened.model.index(0, 4).data()
    opened.filter.setCurrentIndex(opened.filter.findData("all"))
    assert opened.model.rowCount() == 4


@pytest.mark.parametrize("opened", [MIXED], indirect=True)
def test_invalid_rows_keep_the_import_button_off(
    opened: TagImportDialog, stored: EngineHost
) -> None:
    assert not opened.import_button.isEnabled()
    assert "invalid or duplicate rows" in opened.status.text()
    opened.start_import()  # even when asked directly, nothing happens
    assert opened.outcome is None
    assert [t.id_tag for t in stored.submit(lambda s: s.tags.tags()).result(10)] == [
        "KEEP-1",
        "SPARE-1",
    ]


@pytest.mark.parametrize("opened", [CLEAN], indirect=True)
def test_a_clean_import_writes_and_reports_what_it_did(
    opened: TagImportDialog, stored: EngineHost, qtbot: QtBot
) -> None:
    assert opened.import_button.isEnabled()
    with qtbot.waitSignal(opened.imported, timeout=10_000) as done:
        opened.import_button.click()
        assert opened.progress.isVisibleTo(opened)
        assert not opened.import_button.isEnabled()
    result = done.args[0] if done.args else None
    assert result == ImportResult(tags_added=1, tags_changed=1, drivers_added=1, fleets_added=1)
    assert "Imported: 1 tags added and 1 changed" in opened.status.text()
    assert not opened.progress.isVisibleTo(opened)
    assert not opened.import_button.isEnabled(), "an import is done once"
    tags = {t.id_tag: t for t in stored.submit(lambda s: s.tags.tags()).result(10)}
    assert tags["SPARE-1"].status is IdTagStatus.BLOCKED
    assert tags["NEW-1"].driver_id is not None


def test_no_file_chosen_opens_nothing(host: EngineHost, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tag_import, "choose_import_file", lambda _parent: None)
    assert open_import_dialog(None, host) is None


def test_export_saves_the_chosen_file_and_says_so(
    stored: EngineHost, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "export.csv"
    said: list[tuple[str, bool]] = []
    monkeypatch.setattr(tag_import, "choose_export_file", lambda _p: (str(target), ";"))
    monkeypatch.setattr(
        tag_import, "notify", lambda _p, _t, text, *, error=False: said.append((text, error))
    )
    future = export_tags(None, stored)
    assert future is not None
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    assert said == [(f"Saved 2 tags to {target}.", False)]
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("id_tag;status;expiry_date;")
    assert [line.split(";")[0] for line in lines[1:]] == ["KEEP-1", "SPARE-1"]


def test_closing_the_dialog_while_it_compares_is_harmless(
    stored: EngineHost, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "big.csv"
    path.write_text("id_tag\n" + "".join(f"T{i}\n" for i in range(20_000)), encoding="utf-8")
    dialog = open_import_dialog(None, stored, str(path))
    assert dialog is not None
    assert dialog.progress.isVisibleTo(dialog)
    dialog.close()
    qtbot.wait(3000)  # the answer arrives for a dialog that is gone: nothing may raise
