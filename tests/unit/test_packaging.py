"""Cheap invariants of the installers (packaging/), checked without building anything.

The real build and a run of the frozen program are in packaging/check.sh; these
catch the mistakes that would only show there, or on a customer's machine.
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import re
import struct
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "chargedesk.spec"
LINUX = PACKAGING / "linux"
MAINTAINER_SCRIPTS = [LINUX / name for name in ("postinst", "prerm", "postrm")]
BUILD_SCRIPTS = [
    LINUX / "build.sh",
    LINUX / "install_check.sh",
    PACKAGING / "macos" / "build.sh",
    PACKAGING / "check.sh",
]


def _spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def _spec_helpers() -> dict[str, Any]:
    """The spec's plugin filter (constants and keep()), run without PyInstaller."""
    wanted = {
        "DROP_PLUGIN_DIRS", "DROP_PLUGINS", "DROP_QT_LIBS", "QT_LANGUAGES", "keep",
        "DROP_PACKAGE_DATA",
        "SYSTEM_DIRS", "PYTHON_SYSTEM_LIBS", "from_the_system", "QT_UNUSED", "EXCLUDES",
    }  # fmt: skip
    body = []
    for node in _spec_tree().body:
        targets = (
            [t.id for t in node.targets if isinstance(t, ast.Name)]
            if isinstance(node, ast.Assign)
            else [node.name]
            if isinstance(node, ast.FunctionDef)
            else []
        )
        if wanted & set(targets):
            body.append(node)
    namespace: dict[str, Any] = {"Path": Path, "sys": sys, "LANGUAGES": ("sv",)}
    exec(compile(ast.Module(body=body, type_ignores=[]), str(SPEC), "exec"), namespace)
    return namespace


def _load(path: Path) -> ModuleType:
    # packaging/ is no package (and its name is taken by PyPI's `packaging`).
    spec = importlib.util.spec_from_file_location(f"chargedesk_{path.stem}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_spec_is_python_and_bundles_migrations_schemas_translations_resources() -> None:
    text = SPEC.read_text(encoding="utf-8")
    _spec_tree()
    assert '"app/store/migrations"' in text
    assert '"app/ui/translations"' in text
    assert '"app/ui/resources"' in text
    assert re.search(r'collect_data_files\("ocpp", includes=\["\*\*/schemas/\*\.json"\]\)', text)
    assert 'copy_metadata("chargedesk")' in text, "app.__version__ reads the package metadata"
    assert 'copy_metadata("keyring")' in text, "keyring finds its backends by entry points"
    assert 'version("chargedesk")' in text, "the bundle's version comes from the metadata"
    assert "packaging/launcher.py" in text.replace('" / "', "/")


def test_every_data_folder_the_spec_names_exists() -> None:
    for folder in ("app/store/migrations/versions", "app/ui/resources/icons"):
        assert (ROOT / folder).is_dir(), folder
    assert (ROOT / "app/store/migrations/env.py").is_file()
    assert (ROOT / "resources/translations/chargedesk_sv.ts").is_file()


def test_the_spec_excludes_unused_qt_but_none_the_app_imports() -> None:
    helpers = _spec_helpers()
    unused = set(helpers["QT_UNUSED"])
    for heavy in ("QtWebEngineCore", "QtQml", "QtQuick", "Qt3DCore", "QtMultimedia", "QtPdf"):
        assert heavy in unused
    imported = set()
    for path in (ROOT / "app").rglob("*.py"):
        imported |= set(re.findall(r"^\s*from PySide6\.(\w+) import", path.read_text(), re.M))
    assert imported >= {"QtCore", "QtGui", "QtWidgets", "QtSvg"}
    assert not imported & unused, f"the app imports excluded Qt modules: {imported & unused}"
    assert "psycopg" in helpers["EXCLUDES"]


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
        ("PySide6/Qt/lib/libQt6Core.so.6", True),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6", False),
        ("PySide6/Qt/translations/qtbase_sv.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("app/ui/translations/chargedesk_sv.qm", True),
    ],
)
def test_the_spec_keeps_the_qt_plugins_the_control_room_needs(dest: str, kept: bool) -> None:
    assert _spec_helpers()["keep"](dest) is kept


def test_linux_builds_take_the_desktop_libraries_from_the_system() -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("a Linux rule")
    from_the_system = _spec_helpers()["from_the_system"]
    lib = "/usr/lib/x86_64-linux-gnu/"
    assert from_the_system("libxcb-cursor.so.0", lib + "libxcb-cursor.so.0")
    assert from_the_system("libstdc++.so.6", lib + "libstdc++.so.6")
    assert not from_the_system("libssl.so.3", lib + "libssl.so.3"), "Python's own: bundled"
    assert not from_the_system("libpython3.11.so.1.0", "/opt/python/lib/libpython3.11.so.1.0")


def test_the_desktop_entry_is_valid_looking() -> None:
    entry = configparser.ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(LINUX / "chargedesk.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Name"] == "ChargeDesk"
    assert desktop["Exec"].split()[0] == "chargedesk"
    assert "--demo 0" in desktop["Exec"], "an installed control room starts without a demo"
    assert desktop["Icon"] == "chargedesk"
    assert desktop["Terminal"] == "false"
    assert desktop["Categories"].endswith(";")
    assert (PACKAGING / "icons/hicolor/48x48/apps/chargedesk.png").is_file()


def test_the_systemd_unit_runs_serve_as_its_own_user_and_is_not_enabled() -> None:
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(LINUX / "chargedesk.service", encoding="utf-8")
    assert set(unit.sections()) == {"Unit", "Service", "Install"}
    service = unit["Service"]
    assert service["ExecStart"] == "/opt/chargedesk/chargedesk serve"
    assert service["User"] == service["Group"] == "chargedesk"
    assert service["StateDirectory"] == "chargedesk"
    assert service["Environment"] == "HOME=/var/lib/chargedesk"
    assert service["KillSignal"] == "SIGTERM"
    assert "3" in service["RestartPreventExitStatus"].split(), "a too-new database: no loop"
    assert unit["Install"]["WantedBy"] == "multi-user.target"
    for script in MAINTAINER_SCRIPTS:
        assert "systemctl enable" not in script.read_text(), f"{script.name} enables the service"


@pytest.mark.parametrize("script", BUILD_SCRIPTS + MAINTAINER_SCRIPTS, ids=lambda p: p.name)
def test_scripts_are_executable_and_parse(script: Path) -> None:
    assert os.access(script, os.X_OK), f"chmod +x {script.relative_to(ROOT)}"
    shell = "bash" if script.suffix == ".sh" else "sh"
    subprocess.run([shell, "-n", str(script)], check=True)


@pytest.mark.parametrize("script", MAINTAINER_SCRIPTS, ids=lambda p: p.name)
def test_maintainer_scripts_never_delete_data(script: Path) -> None:
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/sh\n")
    assert "\nset -e\n" in text
    code = "\n".join(line.split("#")[0] for line in text.splitlines())
    assert not re.search(r"\brm\s+-[a-zA-Z]*[rR]", code), "recursive delete"
    assert not re.search(r"\b(userdel|deluser|delgroup|groupdel|shred|truncate)\b", code)
    for command in re.findall(r"\brm\s+[^\n;|&]*", code):
        assert command.split()[-1].startswith("/run/"), f"{script.name} deletes {command}"


def test_the_package_control_file_declares_the_qt_xcb_libraries() -> None:
    control = (LINUX / "control.in").read_text(encoding="utf-8")
    fields = dict(re.findall(r"^(\w[\w-]*): (.*(?:\n .*)*)", control, re.M))
    assert fields["Package"] == "chargedesk"
    assert {"@VERSION@", "@ARCH@", "@INSTALLED_SIZE@"} <= set(re.findall(r"@\w+@", control))
    depends = {d.strip() for d in re.split(r"[,|]", fields["Depends"].replace("\n", " "))}
    for library in ("libxcb-cursor0", "libxkbcommon-x11-0", "libegl1", "libxcb-icccm4",
                    "libxcb-keysyms1", "libxcb-shape0", "libxcb-render-util0", "libxcb-image0",
                    "libfontconfig1", "libdbus-1-3"):  # fmt: skip
        assert library in depends


def test_the_windows_installer_is_per_user_and_keeps_the_database() -> None:
    iss = (PACKAGING / "windows" / "chargedesk.iss").read_text(encoding="utf-8")
    assert re.search(r"^PrivilegesRequired=lowest$", iss, re.M)
    assert re.search(r"^PrivilegesRequiredOverridesAllowed=.*dialog", iss, re.M)
    assert "{autoprograms}" in iss, "a Start-menu shortcut"
    assert re.search(r'^Name: "\{autostartup\}.*Tasks: startup$', iss, re.M)
    for line in re.findall(r"^.*advfirewall.*$", iss, re.M):
        assert "Check: IsAdminInstallMode" in line, line
    assert "localport={#OcppPort}" in iss
    assert '#define OcppPort "9000"' in iss
    assert not re.search(r"^\[UninstallDelete\]", iss, re.M)
    assert "{localappdata}\\ChargeDesk" not in iss, "the install folder is not the data folder"
    assert 'Source: "..\\..\\dist\\chargedesk\\*"' in iss


def test_the_launcher_opens_the_control_room_without_a_demo_when_given_nothing() -> None:
    launcher = _load(PACKAGING / "launcher.py")
    assert launcher.arguments([]) == ["run", "--demo", "0"]
    assert launcher.arguments(["-psn_0_4711"]) == ["run", "--demo", "0"]
    assert launcher.arguments(["serve", "--port", "9100"]) == ["serve", "--port", "9100"]
    assert launcher.arguments(["--version"]) == ["--version"]


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_icons_are_drawn_from_the_application_svg() -> None:
    icons = PACKAGING / "icons"
    svg = (ROOT / "app/ui/resources/chargedesk.svg").read_bytes()
    assert (icons / "hicolor/scalable/apps/chargedesk.svg").read_bytes() == svg, (
        "run `python packaging/icons.py` after changing the SVG"
    )
    for size in (16, 32, 48, 256, 512):
        png = (icons / f"hicolor/{size}x{size}/apps/chargedesk.png").read_bytes()
        assert _png_size(png) == (size, size)
    ico = (icons / "chargedesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1)
    assert count >= 5
    icns = (icons / "chargedesk.icns").read_bytes()
    assert icns[:4] == b"icns"
    assert struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert b"ic10" in icns, "a 1024 px image for Retina displays"


def test_icons_py_packs_pngs_into_ico_and_icns_without_qt() -> None:
    icons = _load(PACKAGING / "icons.py")  # Qt is imported only to draw, not to pack
    pngs = {size: b"\x89PNG\r\n\x1a\n" + bytes([size % 256]) * size for size in (16, 256)}

    ico = icons.ico(pngs)
    assert struct.unpack("<HHH", ico[:6]) == (0, 1, 2)
    side, _, _, _, _, bits, length, offset = struct.unpack("<BBBBHHII", ico[22:38])
    assert (side, bits, length) == (0, 32, len(pngs[256])), "256 px is written as 0"
    assert ico[offset : offset + length] == pngs[256]

    icns = icons.icns({16: pngs[16], 1024: b"x" * 10})
    assert icns[:4] == b"icns"
    assert struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert icns[8:12] == b"icp4"
    assert icns[-18:-10] == b"ic10" + struct.pack(">I", 18)


def test_build_outputs_are_ignored_and_ci_runs_only_the_tests() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "build/" in ignored
    assert "dist/" in ignored
    assert "packaging" not in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    workflow = (ROOT / ".github/workflows/installers.yml").read_text(encoding="utf-8")
    for needed in ("workflow_dispatch", "tags:", "windows-latest", "macos-latest",
                   "ubuntu-latest", "packaging/check.sh", "packaging\\windows\\build.ps1",
                   "packaging/macos/build.sh"):  # fmt: skip
        assert needed in workflow


def _fake_commands(bin_dir: Path, log: Path, *, user_exists: bool) -> dict[str, str]:
    """Stand-ins for the system commands postinst calls: they only log their arguments."""
    bin_dir.mkdir()
    for name in ("useradd", "install", "systemctl", "update-desktop-database",
                 "gtk-update-icon-cache", "getent"):  # fmt: skip
        status = 0 if name != "getent" or user_exists else 2
        # systemctl: the service is not running (on a machine with systemd, prerm
        # would otherwise stop it for real paths under /run).
        check = '[ "$1" = is-active ] && exit 3\n' if name == "systemctl" else ""
        script = bin_dir / name
        script.write_text(f'#!/bin/sh\necho "{name} $*" >>"{log}"\n{check}exit {status}\n')
        script.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}


def test_postinst_creates_the_service_account_once_and_enables_nothing(tmp_path: Path) -> None:
    postinst = str(LINUX / "postinst")
    log = tmp_path / "calls.log"
    env = _fake_commands(tmp_path / "bin", log, user_exists=False)

    subprocess.run(["sh", postinst, "configure"], env=env, check=True)

    calls = log.read_text().splitlines()
    assert "getent passwd chargedesk" in calls
    (useradd,) = [c for c in calls if c.startswith("useradd ")]
    assert "--system" in useradd
    assert "--home-dir /var/lib/chargedesk" in useradd
    assert useradd.endswith(" chargedesk")
    assert not any("enable" in c or "start" in c for c in calls)

    again = tmp_path / "again"
    again.mkdir()
    log2 = again / "calls.log"
    env = _fake_commands(again / "bin", log2, user_exists=True)
    subprocess.run(["sh", postinst, "configure"], env=env, check=True)
    assert not any(c.startswith("useradd ") for c in log2.read_text().splitlines())


@pytest.mark.parametrize("action", ["remove", "purge", "upgrade"])
def test_removal_scripts_succeed_without_systemd(tmp_path: Path, action: str) -> None:
    env = _fake_commands(tmp_path / "bin", tmp_path / "calls.log", user_exists=True)
    for script in ("prerm", "postrm"):
        done = subprocess.run(
            ["sh", str(LINUX / script), action], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    if action == "purge":
        assert "data kept in /var/lib/chargedesk" in done.stdout


def test_the_package_maintainer_is_the_projects_author() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (author,) = project["authors"]
    control = (LINUX / "control.in").read_text(encoding="utf-8")
    assert f"\nMaintainer: {author['name']} <{author['email']}>\n" in control


def _icu_package(names: list[str]) -> bytes:
    """A small ICU common data package ("CmnD"), items named like the real ones."""
    header = bytearray(32)
    struct.pack_into("<HBB", header, 0, 32, 0xDA, 0x27)
    struct.pack_into("<HH", header, 4, 20, 0)
    header[12:16] = b"CmnD"
    icu_trim = _load(PACKAGING / "icu_trim.py")
    items = [icu_trim.Item(name, name.encode().ljust(32, b"\0")) for name in names]
    return bytes(icu_trim.write_package(bytes(header), items))


def test_icu_trim_keeps_root_the_apps_languages_collation_and_codecs() -> None:
    icu_trim = _load(PACKAGING / "icu_trim.py")
    names = [
        "icudt73l/brkitr/cjdict.dict", "icudt73l/brkitr/root.res", "icudt73l/brkitr/word.brk",
        "icudt73l/coll/da.res", "icudt73l/coll/root.res", "icudt73l/coll/ucadata.icu",
        "icudt73l/curr/pool.res", "icudt73l/de.res", "icudt73l/en_GB.res",
        "icudt73l/ibm-943_P15A-2003.cnv", "icudt73l/ja_JP_TRADITIONAL.res",
        "icudt73l/metaZones.res", "icudt73l/no_NO_NY.res", "icudt73l/pool.res",
        "icudt73l/res_index.res", "icudt73l/root.res", "icudt73l/supplementalData.res",
        "icudt73l/sv_FI.res", "icudt73l/translit/root.res", "icudt73l/zh_Hant_TW.res",
        "icudt73l/zone/es_419.res", "icudt73l/zone/root.res", "icudt73l/zone/sv.res",
        "icudt73l/zoneinfo64.res",
    ]  # fmt: skip
    header, items = icu_trim.read_package(_icu_package(names))
    assert [item.name for item in items] == names
    kept = {item.name for item in items if icu_trim.wanted(item.name, ("en", "sv"))}
    assert kept == {
        "icudt73l/brkitr/root.res", "icudt73l/brkitr/word.brk", "icudt73l/coll/da.res",
        "icudt73l/coll/root.res", "icudt73l/coll/ucadata.icu", "icudt73l/curr/pool.res",
        "icudt73l/en_GB.res", "icudt73l/ibm-943_P15A-2003.cnv", "icudt73l/metaZones.res",
        "icudt73l/pool.res", "icudt73l/res_index.res", "icudt73l/root.res",
        "icudt73l/supplementalData.res", "icudt73l/sv_FI.res", "icudt73l/zone/root.res",
        "icudt73l/zone/sv.res", "icudt73l/zoneinfo64.res",
    }  # fmt: skip
    trimmed = [item for item in items if item.name in kept]
    again = icu_trim.write_package(header, trimmed)
    assert icu_trim.read_package(again) == (header, trimmed)
    (count,) = struct.unpack_from("<I", again, len(header))
    assert count == len(kept)
    offsets = [struct.unpack_from("<II", again, len(header) + 4 + 8 * i)[1] for i in range(count)]
    assert all(offset % 16 == 0 for offset in offsets), "ICU items are 16-byte aligned"


def test_icu_trim_refuses_what_is_not_icu_data() -> None:
    icu_trim = _load(PACKAGING / "icu_trim.py")
    with pytest.raises(ValueError, match="CmnD"):
        icu_trim.read_package(b"\0" * 64)


def test_the_spec_excludes_no_qt_module_pyqtgraph_imports() -> None:
    """pyqtgraph imports QtOpenGL(Widgets) itself: excluded, the graphs fail to load."""
    imported = subprocess.run(
        [sys.executable, "-c", "import sys, pyqtgraph; print(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    ).stdout.split()
    excluded = set(_spec_helpers()["EXCLUDES"])
    qt = [name for name in imported if name.startswith("PySide6.Qt")]
    assert "PySide6.QtOpenGL" in qt
    # QtTest is optional to pyqtgraph (a FailedImport stand-in when it is missing).
    assert excluded & set(qt) <= {"PySide6.QtTest"}


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("pyqtgraph/icons/peegee/peegee_512px@2x.png", False),
        ("pyqtgraph/colors/maps/CET-L1.csv", False),
        ("numpy/random/_generator.cpython-311-x86_64-linux-gnu.so", False),
        ("pyqtgraph/icons/auto.png", True),  # the plot's autoscale button
        ("numpy/fft/_pocketfft_umath.cpython-311-x86_64-linux-gnu.so", True),  # FFT mode
        ("numpy/linalg/_umath_linalg.cpython-311-x86_64-linux-gnu.so", True),
    ],
)
def test_the_spec_drops_package_data_chargedesk_never_reads(dest: str, kept: bool) -> None:
    assert _spec_helpers()["keep"](dest) is kept
