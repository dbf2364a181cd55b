#!/usr/bin/env bash
# Packaging check (heavier than the test suite, so not part of .ci/run): build the
# Linux bundle and .deb, then run them as installed (packaging/check.py says how).
#   bash packaging/check.sh            # build, then check
#   SKIP_BUILD=1 bash packaging/check.sh   # check the build already in dist/
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -z "${SKIP_BUILD:-}" ]; then
    bash packaging/linux/build.sh
fi
# The simulated chargers come from the project's venv, not from the bundle.
source scripts/_venv.sh packaging
exec .venv/bin/python packaging/check.py "$@"
