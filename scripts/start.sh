#!/usr/bin/env bash
# Install everything (first run) and start ChargeDesk with a demo fleet.
# Extra arguments go to `chargedesk run`, e.g. --port 9100 or --demo 0.
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh" ""
exec .venv/bin/chargedesk run "$@"
