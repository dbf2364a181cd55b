#!/usr/bin/env bash
# Build ChargeDesk for Linux: the one-folder app (dist/chargedesk/) and its Debian
# package (dist/chargedesk_<version>_amd64.deb). One command, from anywhere:
#   bash packaging/linux/build.sh
# Needs Python 3.11+, dpkg-deb (Debian/Ubuntu), binutils (strip) and file. Installs the
# `packaging` extra (PyInstaller, pinned in constraints.txt) into .venv first.
# CLEAN=1 rebuilds from scratch instead of reusing PyInstaller's cache in build/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Creates/updates .venv with the pins, compiles the translations; cds to the root.
source "$here/../../scripts/_venv.sh" packaging
root="$PWD"
py="$root/.venv/bin/python"

version="$("$py" -c 'from importlib.metadata import version; print(version("chargedesk"))')"
# PEP 440 pre-releases sort before the release in Debian only with a tilde.
deb_version="$(printf '%s' "$version" | sed -E 's/^([0-9.]+)\.?((a|b|rc|dev)[0-9]*)$/\1~\2/')"
arch="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
deb="dist/chargedesk_${deb_version}_${arch}.deb"

echo "== PyInstaller: dist/chargedesk (ChargeDesk $version)"
rm -rf dist/chargedesk
"$py" -m PyInstaller --noconfirm --log-level WARN ${CLEAN:+--clean} \
    --distpath dist --workpath build/pyinstaller packaging/chargedesk.spec
# Drop debug symbols (~25 MB, most of them the interpreter's), but never from the
# libraries auditwheel vendored into wheels (numpy.libs/ …): strip corrupts those
# ("ELF load command address/offset not page-aligned").
find dist/chargedesk/_internal -type f -name '*.so*' ! -path '*.libs/*' -print0 |
    xargs -0 file | grep 'ELF.*not stripped' | cut -d: -f1 | while read -r lib; do
        strip --strip-unneeded "$lib"
    done

echo "== Debian package: $deb"
stage="build/deb/chargedesk"
rm -rf "$stage"
install -d "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
    "$stage/usr/lib/systemd/system" "$stage/usr/share/doc/chargedesk"
cp -a dist/chargedesk "$stage/opt/chargedesk"
ln -s /opt/chargedesk/chargedesk "$stage/usr/bin/chargedesk"
install -m 0644 packaging/linux/chargedesk.desktop "$stage/usr/share/applications/"
install -m 0644 packaging/linux/chargedesk.service "$stage/usr/lib/systemd/system/"
install -d "$stage/usr/share/icons"
cp -r packaging/icons/hicolor "$stage/usr/share/icons/"
install -m 0644 README.md "$stage/usr/share/doc/chargedesk/README.md"
for script in postinst prerm postrm; do
    install -m 0755 "packaging/linux/$script" "$stage/DEBIAN/$script"
done
# Plain permissions whatever the umask: directories 755, files 644, programs 755.
find "$stage" -type d -exec chmod 0755 {} +
find "$stage" -type f ! -perm -u+x -exec chmod 0644 {} +
find "$stage" -type f -perm -u+x -exec chmod 0755 {} +
installed_size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
sed -e "s/@VERSION@/$deb_version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
    packaging/linux/control.in >"$stage/DEBIAN/control"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
rm -rf "$stage"

echo "== done"
du -sh dist/chargedesk "$deb"
