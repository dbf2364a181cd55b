#!/usr/bin/env bash
# Build ChargeDesk for macOS: dist/ChargeDesk.app and dist/ChargeDesk-<version>.dmg.
#   bash packaging/macos/build.sh
# Needs Python 3.11+ (python.org installer or Homebrew) and the Xcode command line
# tools (codesign, hdiutil ship with macOS). Builds for the machine's architecture
# (arm64 on Apple silicon, x86_64 on Intel). The .app is ad-hoc signed: to hand it
# to other Macs without Gatekeeper's warning, sign it with a Developer ID and
# notarize it (SIGN_IDENTITY="Developer ID Application: …" signs it here;
# notarization needs `xcrun notarytool` and an Apple account).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../../scripts/_venv.sh" packaging
py="$PWD/.venv/bin/python"
version="$("$py" -c 'from importlib.metadata import version; print(version("chargedesk"))')"

echo "== PyInstaller: dist/ChargeDesk.app (ChargeDesk $version)"
rm -rf dist/chargedesk dist/ChargeDesk.app
"$py" -m PyInstaller --noconfirm --log-level WARN ${CLEAN:+--clean} \
    --distpath dist --workpath build/pyinstaller packaging/chargedesk.spec
codesign --force --deep --sign "${SIGN_IDENTITY:--}" dist/ChargeDesk.app
dist/ChargeDesk.app/Contents/MacOS/chargedesk --version

echo "== disk image: dist/ChargeDesk-$version.dmg"
stage="build/dmg"
rm -rf "$stage" "dist/ChargeDesk-$version.dmg"
mkdir -p "$stage"
cp -R dist/ChargeDesk.app "$stage/"
ln -s /Applications "$stage/Applications"
hdiutil create -volname "ChargeDesk $version" -srcfolder "$stage" -fs HFS+ \
    -format UDZO -ov "dist/ChargeDesk-$version.dmg"
rm -rf "$stage"
du -sh dist/ChargeDesk.app "dist/ChargeDesk-$version.dmg"
