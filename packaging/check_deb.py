"""The .deb's part of the packaging check (packaging/check.py): its metadata and file
list, and that every system library the bundle links to belongs to a package its
Depends names."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from check_bundle import BundleCheckFailed as CheckFailed


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise CheckFailed(f"{' '.join(args)}: exit {done.returncode}\n{done.stderr}")
    return done.stdout


def declared_depends(control: str) -> set[str]:
    field = re.search(r"^Depends:(.*(?:\n\s.*)*)", control, re.M)
    names = set()
    for part in re.split(r"[,|]", field.group(1) if field else ""):
        name = part.strip().split(" ")[0].split(":")[0]
        if name:
            names.add(name)
    return names


def system_libraries(bundle: Path) -> dict[str, Path | None]:
    """Libraries the bundle's ELF files name (DT_NEEDED) and load from outside it.

    Only direct needs: what those libraries need in turn, their packages depend on.
    None for a library this machine does not have.
    """
    inside = {p.name for p in bundle.rglob("*")}
    found: dict[str, Path | None] = {}
    for path in sorted(bundle.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        with path.open("rb") as fh:
            if fh.read(4) != b"\x7fELF":
                continue
        dynamic = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True)
        needed = set(re.findall(r"^\s*NEEDED\s+(\S+)$", dynamic.stdout, re.M)) - inside
        if not needed:
            continue
        env = {**os.environ, "LD_LIBRARY_PATH": str(bundle / "_internal")}
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env).stdout
        resolved = dict(re.findall(r"^\s*(\S+) => (\S+)", out, re.M))
        for soname in needed:
            if soname.startswith("ld-linux"):  # the dynamic loader: libc6
                continue
            where = resolved.get(soname, "not")
            found[soname] = None if where == "not" else Path(where)
    return found


def owning_package(library: Path) -> str:
    for candidate in (library, library.resolve()):
        for name in (str(candidate), str(candidate).replace("/usr/lib/", "/lib/", 1)):
            done = subprocess.run(["dpkg", "-S", name], capture_output=True, text=True)
            if done.returncode == 0:
                return done.stdout.split(":")[0].strip()
    return "?"


# Qt loads these plugins only when their libraries are there (a GNOME theme, the
# Wayland session's input methods): the xcb platform itself works without them.
OPTIONAL_LIBRARIES = ("libgtk-3", "libgdk-3")


def check_deb(deb: Path, bundle: Path) -> dict[str, str]:
    env = dict(os.environ)
    info = run(["dpkg-deb", "-I", str(deb)], env)
    listing = run(["dpkg-deb", "-c", str(deb)], env)
    print(info)
    expected = [
        "./opt/chargedesk/chargedesk",
        "./usr/bin/chargedesk -> /opt/chargedesk/chargedesk",
        "./usr/share/applications/chargedesk.desktop",
        "./usr/lib/systemd/system/chargedesk.service",
        "./usr/share/icons/hicolor/256x256/apps/chargedesk.png",
        "./usr/share/icons/hicolor/scalable/apps/chargedesk.svg",
        "./opt/chargedesk/_internal/app/store/migrations/env.py",
        "./opt/chargedesk/_internal/app/ui/translations/chargedesk_sv.qm",
        "./opt/chargedesk/_internal/ocpp/v16/schemas/BootNotification.json",
        "./opt/chargedesk/_internal/PySide6/Qt/plugins/platforms/libqxcb.so",
        "./opt/chargedesk/_internal/PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "./opt/chargedesk/_internal/PySide6/Qt/plugins/imageformats/libqsvg.so",
        "./opt/chargedesk/_internal/PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    ]
    missing = [path for path in expected if path not in listing]
    if missing:
        raise CheckFailed("the .deb lacks: " + ", ".join(missing))
    if re.search(r"^\S+ root/root .*\./(home|root|tmp|var/lib/chargedesk)/", listing, re.M):
        raise CheckFailed("the .deb ships files into a data or home directory")
    if "QtWebEngine" in listing or "libQt6Qml" in listing or "libQt6Quick" in listing:
        raise CheckFailed("the .deb carries Qt modules ChargeDesk does not use")
    print("== system libraries the bundle needs, and the packages that provide them")
    depends = declared_depends("Depends: " + run(["dpkg-deb", "-f", str(deb), "Depends"], env))
    undeclared = []
    for soname, path in sorted(system_libraries(bundle).items()):
        if path is None:
            if not soname.startswith(OPTIONAL_LIBRARIES):
                undeclared.append(f"{soname} (not found on this machine)")
            continue
        package = owning_package(path)
        note = "" if package in depends or package.removesuffix("t64") in depends else "  <-"
        print(f"   {soname:32} {package}{note}")
        if note:
            undeclared.append(f"{soname} ({package})")
    if undeclared:
        raise CheckFailed("not covered by Depends: " + ", ".join(undeclared))
    return {"files": str(listing.count("\n"))}
