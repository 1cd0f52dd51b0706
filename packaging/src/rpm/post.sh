# Red Hat's convention: a new installation applies the system's preset (disabled unless a preset
# enables it); the administrator runs `systemctl enable --now driftguard`.
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || :
fi
if [ "$1" -eq 1 ] && command -v systemctl >/dev/null 2>&1; then
  for unit in driftguard-authz.socket driftguard.service driftguard-scan.timer; do
    if [ -e "/usr/lib/systemd/system/$unit" ]; then
      systemctl --no-reload preset "$unit" >/dev/null 2>&1 || :
    fi
  done
fi
