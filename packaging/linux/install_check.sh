#!/usr/bin/env bash
# Install round-trip of the ChargeDesk .deb on this machine, as a site would do it.
# Needs root on Debian/Ubuntu with apt; the project's .venv (for simulated chargers and
# to turn a database back into the previous schema) makes it complete:
#   sudo bash packaging/linux/install_check.sh [dist/chargedesk_<version>_amd64.deb]
#
# 1. `apt-get install ./the.deb` (its Depends resolved from the archive), files in place;
# 2. `chargedesk --version`; a person's database (`tags add` as a throw-away user);
#    `chargedesk serve` as the service account (as chargedesk.service runs it) on
#    127.0.0.1 and a free port, a simulated charger's transaction stored, SIGTERM -> 0;
# 3. the systemd unit installed (and `systemd-analyze verify`-ed, where there is one);
# 4. `dpkg -r`: the program gone, both databases and the service account kept;
# 5. the person's database turned back one schema revision (the previous release's),
#    then `apt-get install ./the.deb` again: the first start backs it up and migrates
#    it, rows kept; `dpkg -i` over the installed package (the upgrade scripts);
# 6. `dpkg --purge`: the databases in the home directories still kept.
#
# Refuses to run where ChargeDesk is installed or /var/lib/chargedesk exists (it
# removes and purges the package). Cleans up what it made unless KEEP=1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root="$PWD"
deb="${1:-$(ls -t dist/chargedesk_*.deb 2>/dev/null | head -n1)}"
[ -f "$deb" ] || { echo "no .deb: bash packaging/linux/build.sh first" >&2; exit 2; }
deb="$(readlink -f "$deb")"
[ "$(id -u)" -eq 0 ] || { echo "run as root (it installs a package)" >&2; exit 2; }
if dpkg-query -W -f '${Status}' chargedesk 2>/dev/null | grep -q installed \
    || [ -e /var/lib/chargedesk ]; then
    echo "ChargeDesk is installed here (or /var/lib/chargedesk exists): not touching it" >&2
    exit 2
fi
venv="$root/.venv/bin"
person=cdinstallcheck
home="/home/$person"
service_db=/var/lib/chargedesk/.local/share/ChargeDesk/chargedesk.sqlite3
person_db="$home/.local/share/ChargeDesk/chargedesk.sqlite3"
made_service_account=0
getent passwd chargedesk >/dev/null || made_service_account=1
step() { echo "== $*"; }
fail() { echo "install check FAILED: $*" >&2; exit 1; }
as_person() { runuser -u "$person" -- env -i HOME="$home" PATH=/usr/bin:/bin LC_ALL=C.UTF-8 "$@"; }
# setpriv execs (runuser forks and, on SIGTERM, ends with 143 whatever the program did),
# so serve in the background is the program itself and `wait` gives its exit status.
as_service() {
    setpriv --reuid chargedesk --regid chargedesk --init-groups -- env -i \
        HOME=/var/lib/chargedesk PATH=/usr/bin:/bin LC_ALL=C.UTF-8 CHARGEDESK_API_PORT="$api_port" "$@"
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
rows() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$@"; }
serve=""
cleanup() {
    [ -n "$serve" ] && kill -TERM "$serve" 2>/dev/null && wait "$serve" 2>/dev/null
    [ -n "${KEEP:-}" ] && { echo "(KEEP=1: left the package state, $home and /var/lib/chargedesk)"; return; }
    dpkg --purge chargedesk >/dev/null 2>&1 || true
    userdel -r "$person" >/dev/null 2>&1 || true
    rm -rf /var/lib/chargedesk
    [ "$made_service_account" = 1 ] && userdel chargedesk >/dev/null 2>&1 || true
}
trap cleanup EXIT
api_port="$(free_port)"  # the service's local API: not the default 9001 on a busy machine
useradd --create-home --shell /bin/sh "$person"

step "1. apt-get install $deb"
apt-get install -y -q "$deb" >/tmp/chargedesk-install.log 2>&1 || { cat /tmp/chargedesk-install.log; fail "apt-get install"; }
for path in /opt/chargedesk/chargedesk /usr/bin/chargedesk /usr/share/applications/chargedesk.desktop \
    /usr/lib/systemd/system/chargedesk.service /usr/share/icons/hicolor/scalable/apps/chargedesk.svg; do
    [ -e "$path" ] || fail "$path is not installed"
done
getent passwd chargedesk >/dev/null || fail "postinst made no service account"
[ "$(stat -c %U:%a /var/lib/chargedesk)" = "chargedesk:750" ] || fail "/var/lib/chargedesk: $(stat -c %U:%a /var/lib/chargedesk)"
echo "   $(dpkg-query -W -f '${Package} ${Version} ${Status}, Installed-Size ${Installed-Size} KiB' chargedesk)"

step "2. the installed program"
version="$(as_person chargedesk --version)" || fail "chargedesk --version"
echo "   chargedesk --version: $version"
as_person chargedesk tags add CHECK0001 >/dev/null || fail "tags add as $person"
[ -f "$person_db" ] || fail "no database at $person_db"
echo "   $person's database: $person_db (head $(as_person chargedesk db current))"
port="$(free_port)"
as_service chargedesk tags add DEMO0001 >/dev/null || fail "tags add as the service account"
log=/tmp/chargedesk-install-serve.log
# Not through the function: a function in the background is a subshell, and $! its PID.
setpriv --reuid chargedesk --regid chargedesk --init-groups -- env -i HOME=/var/lib/chargedesk \
    PATH=/usr/bin:/bin LC_ALL=C.UTF-8 CHARGEDESK_API_PORT="$api_port" \
    chargedesk serve --host 127.0.0.1 --port "$port" --accept-unknown >"$log" 2>&1 &
serve=$!
started=$SECONDS
until listening "$port"; do
    kill -0 "$serve" 2>/dev/null || { cat "$log"; fail "serve exited"; }
    [ $((SECONDS - started)) -lt 120 ] || fail "serve: not listening within 120 s"
    sleep 0.2
done
echo "   serve (as chargedesk) listening on 127.0.0.1:$port after $((SECONDS - started)) s"
if [ -x "$venv/chargedesk" ]; then
    "$venv/chargedesk" simulate --url "ws://127.0.0.1:$port/ocpp" --stations 1 --connectors 1 \
        --speed 600 --meter-interval 1 --tags DEMO0001 >/dev/null 2>&1 &
    sim=$!
    started=$SECONDS
    until [ "$(rows "$service_db" 'SELECT count(*) FROM transactions' 2>/dev/null || echo 0)" -gt 0 ]; do
        [ $((SECONDS - started)) -lt 120 ] || fail "no transaction stored within 120 s"
        sleep 0.5
    done
    kill -INT "$sim"; wait "$sim" || true
    echo "   a simulated charger's transaction is in $service_db"
else
    echo "   (no project .venv: no simulated charger)"
fi
kill -TERM "$serve"
code=0; wait "$serve" || code=$?
serve=""
[ "$code" = 0 ] || { cat "$log"; fail "serve exited with $code after SIGTERM"; }
echo "   SIGTERM: serve stopped with status 0"

step "3. the systemd unit"
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /usr/lib/systemd/system/chargedesk.service || fail "systemd-analyze verify"
    echo "   systemd-analyze verify: clean"
fi
if [ -d /run/systemd/system ]; then
    systemctl is-enabled chargedesk.service 2>/dev/null | grep -qx disabled || fail "the unit is enabled"
    echo "   systemd runs here: the unit is installed, not enabled"
else
    echo "   systemd is not running here (container): the unit file is installed, not started"
fi

step "4. dpkg -r chargedesk"
dpkg -r chargedesk >/dev/null
[ ! -e /opt/chargedesk ] && [ ! -e /usr/bin/chargedesk ] || fail "program files left after removal"
[ -f "$person_db" ] && [ -f "$service_db" ] || fail "a database went with the program"
getent passwd chargedesk >/dev/null || fail "the service account went with the program"
echo "   program gone; kept: $person_db, $service_db, the chargedesk account"

step "5. reinstall over the kept data, the person's database one release older"
if [ -x "$venv/python" ]; then
    "$venv/python" - "$person_db" <<'EOF'
import sys
from alembic import command
from app.store.migrate import alembic_config, current_revision
url = f"sqlite:///{sys.argv[1]}"
command.downgrade(alembic_config(url), "-1")
print(f"   turned back to revision {current_revision(url)} (the previous release's schema)")
EOF
    chown "$person:$person" "$person_db"
else
    echo "   (no project .venv: the database stays at head, no migration to run)"
fi
old_revision="$(rows "$person_db" 'SELECT version_num FROM alembic_version')"
apt-get install -y -q "$deb" >/tmp/chargedesk-install.log 2>&1 || { cat /tmp/chargedesk-install.log; fail "reinstall"; }
as_person chargedesk tags list >/dev/null || fail "the first start after the reinstall"
new_revision="$(as_person chargedesk db current)"
backups="$(find "$(dirname "$person_db")" -maxdepth 1 -name 'chargedesk.backup-*.sqlite3' | wc -l)"
echo "   schema $old_revision -> $new_revision; backups beside it: $backups"
if [ "$old_revision" != "$new_revision" ]; then
    [ "$backups" -ge 1 ] || fail "migrated without a backup"
    backup="$(find "$(dirname "$person_db")" -maxdepth 1 -name 'chargedesk.backup-*.sqlite3' | head -n1)"
    [ "$(rows "$backup" 'SELECT version_num FROM alembic_version')" = "$old_revision" ] \
        || fail "the backup is not the old database"
fi
as_person chargedesk tags list | grep -q CHECK0001 || fail "the tag is gone after the upgrade"
as_service chargedesk tags list | grep -q DEMO0001 || fail "the service's tag is gone"
echo "   tags kept; the service's transactions: $(rows "$service_db" 'SELECT count(*) FROM transactions')"
dpkg -i "$deb" >/tmp/chargedesk-install.log 2>&1 || { cat /tmp/chargedesk-install.log; fail "dpkg -i over the installed package"; }
as_person chargedesk --version >/dev/null || fail "after dpkg -i over itself"
echo "   dpkg -i over the installed package (prerm upgrade, postinst configure <version>): fine"

step "6. dpkg --purge chargedesk"
dpkg --purge chargedesk | sed 's/^/   /'
dpkg-query -W chargedesk >/dev/null 2>&1 && fail "still known to dpkg after purge"
[ -f "$person_db" ] && [ -f "$service_db" ] || fail "a database went with the purge"
echo "   purged; kept: $person_db, $service_db"
echo "install check passed"
