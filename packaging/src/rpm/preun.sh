# On erase (not upgrade): take driftguard out of Docker's daemon.json (Docker refuses every
# request while a configured authorization plugin is away), then disable and stop the units.
if [ "$1" -eq 0 ] && [ -x /usr/bin/driftguard ]; then
  /usr/bin/driftguard docker undo >/dev/null 2>&1 || echo "driftguard: 'driftguard docker undo' failed; check /etc/docker/daemon.json" >&2
fi
if [ "$1" -eq 0 ] && command -v systemctl >/dev/null 2>&1; then
  for unit in driftguard-scan.timer driftguard-scan.service driftguard-authz.socket driftguard.service; do
    if [ -e "/usr/lib/systemd/system/$unit" ]; then
      systemctl --no-reload disable --now "$unit" >/dev/null 2>&1 || :
    fi
  done
fi
