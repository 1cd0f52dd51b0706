# On upgrade: restart the daemon if it runs. Config (%config(noreplace)) and the state in
# /var/lib/driftguard stay after an erase, as rpm keeps changed config and non-empty folders.
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || :
  if [ "$1" -ge 1 ]; then
    systemctl try-restart driftguard.service >/dev/null 2>&1 || :
  fi
fi
