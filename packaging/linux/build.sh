#!/usr/bin/env bash
# Build ChargeDesk for Linux: the one-folder app (dist/chargedesk/) and its Debian
# package (dist/chargedesk_<version>_amd64.deb). One command, from anywhere:
#   bash packaging/linux/build.sh
# Needs Python 3.11+, dpkg-deb (Debian/Ubuntu), binutils (strip, readelf, as, ld), file,
# and for the first build a C/C++ compiler (numpy from source, see below). Installs the
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

# numpy without OpenBLAS: the wheel's numpy links a 25 MB OpenBLAS (+ gfortran) that
# only large matrix products use; pyqtgraph never does those. The same numpy version,
# built once from its source with its own portable loops (lapack_lite) instead, is put
# ahead of the venv's on PyInstaller's path. NUMPY_BLAS=1 bundles the wheel as it is.
numpy_path=""
if [ -z "${NUMPY_BLAS:-}" ]; then
    numpy_version="$("$py" -c 'from importlib.metadata import version; print(version("numpy"))')"
    python_tag="$("$py" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')"
    # A new numpy pin or Python version builds again (delete build/numpy-noblas to force it).
    numpy_path="$root/build/numpy-noblas/site-$numpy_version-$python_tag"
    if [ ! -f "$numpy_path/.complete" ]; then
        echo "== numpy $numpy_version without BLAS, from source (once: 10-20 min on 2 cores)"
        rm -rf "$numpy_path" build/numpy-noblas/wheels
        "$py" -m pip wheel --quiet --disable-pip-version-check --no-cache-dir --no-deps \
            --no-binary numpy "numpy==$numpy_version" -w build/numpy-noblas/wheels \
            -Csetup-args=-Dblas=none -Csetup-args=-Dlapack=none -Csetup-args=-Dcpu-dispatch=none
        "$py" -m pip install --quiet --disable-pip-version-check --no-deps \
            --target "$numpy_path" build/numpy-noblas/wheels/numpy-"$numpy_version"-*.whl
        touch "$numpy_path/.complete"
    fi
fi

echo "== PyInstaller: dist/chargedesk (ChargeDesk $version)"
rm -rf dist/chargedesk
PYTHONPATH="$numpy_path" "$py" -m PyInstaller --noconfirm --log-level WARN ${CLEAN:+--clean} \
    --distpath dist --workpath build/pyinstaller packaging/chargedesk.spec
if [ -n "$numpy_path" ] && [ -e dist/chargedesk/_internal/numpy.libs ]; then
    echo "the bundle has the wheel's numpy (numpy.libs/), not the one from $numpy_path" >&2
    exit 1
fi
# Drop debug symbols (~25 MB, most of them the interpreter's), but never from the
# libraries auditwheel vendored into wheels (numpy.libs/ …): strip corrupts those
# ("ELF load command address/offset not page-aligned").
find dist/chargedesk/_internal -type f -name '*.so*' ! -path '*.libs/*' -print0 |
    xargs -0 file | grep 'ELF.*not stripped' | cut -d: -f1 | while read -r lib; do
        strip --strip-unneeded "$lib"
    done
# ICU's data for the root locale, English and ChargeDesk's languages only, plus every
# language's collation and all codecs: 32 MB -> 12 MB (packaging/icu_trim.py says why).
languages="$("$py" -c 'from app.ui.i18n import LANGUAGES; print(" ".join(LANGUAGES))')"
for icudata in dist/chargedesk/_internal/PySide6/Qt/lib/libicudata.so.*; do
    # shellcheck disable=SC2086  # one argument per language
    "$py" packaging/icu_trim.py "$icudata" en $languages
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
