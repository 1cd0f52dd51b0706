# On erase (not upgrade): disable and stop the units.
if [ "$1" -eq 0 ] && command -v systemctl >/dev/null 2>&1; then
  for unit in driftguard-scan.timer driftguard-scan.service driftguard.service; do
    if [ -e "/usr/lib/systemd/system/$unit" ]; then
      systemctl --no-reload disable --now "$unit" >/dev/null 2>&1 || :
    fi
  done
fi
