#!/usr/bin/env bash
# Fault script: kills (SIGKILL) and stalls (SIGSTOP, SIGCONT) the daemon while a container loops
# over a blocked exec and a blocked connect, then stops it cleanly, and prints what got through.
#   bench/faults.sh [--systemd UNIT] [--down SECONDS] [--stall SECONDS]
# Without --systemd it runs the daemon from the built jar with its own config, control socket and
# pins, and restarts it itself --down seconds (default 1) after the kill, as a supervisor would.
# With --systemd it uses the installed unit and /etc/driftguard (it then writes
# policies.d/90-faults.toml and removes it at the end): systemd restarts the daemon and its
# watchdog ends the stall. Prints, per phase: execs and connects that got through, the longest
# exec wait, time from the fault to full enforcement, and after the clean stop anything left
# (pins, BPF links and programs, fanotify groups, read-only mounts). The last line is
# "faults: through=N leaked=N" (exit 0 either way). Needs root, Docker, bash's /dev/tcp in
# driftguard-test/shell:1; connects go to 127.0.0.2, where nothing listens (bpftool, when there,
# counts programs left on the container's cgroup).
set -euo pipefail
cd "$(dirname "$0")/.."
unit=
down=1
stall=${FAULTS_STALL:-8}
while [ $# -gt 0 ]; do
  case $1 in
    --systemd) unit=$2; shift 2 ;;
    --down) down=$2; shift 2 ;;
    --stall) stall=$2; shift 2 ;;
    *) echo "usage: $0 [--systemd UNIT] [--down SECONDS] [--stall SECONDS]" >&2; exit 2 ;;
  esac
done
image=driftguard-test/shell:1
label=dg-faults-$$
work=$(mktemp -d)
name=$label-loop
port=$(( 20000 + $$ % 20000 ))
cli() { if [ -n "$unit" ]; then driftguard "$@"; else java -XX:TieredStopAtLevel=1 -jar daemon/target/driftguard.jar "$@" --config "$work/driftguard.toml"; fi; }

cleanup() {
  docker rm -f "$name" >/dev/null 2>&1 || true
  if [ -n "$unit" ]; then
    rm -f /etc/driftguard/policies.d/90-faults.toml
  elif [ -n "${daemon_pid:-}" ]; then
    kill -CONT "$daemon_pid" 2>/dev/null || true
    kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

policy=$(cat <<EOF
[[policy]]
name = "Faults"
match.labels = { app = "$label" }
[[policy.process]]
name = "forbidden-file"
action = "block"
paths = ["/tmp/forbidden"]
[[policy.file]]
action = "block"
paths = ["/etc"]
[[policy.network]]
name = "second-loopback"
action = "block"
cidrs = ["127.0.0.2/32"]
protocols = ["tcp"]
EOF
)

daemon_pid=
start_daemon() {
  if [ -n "$unit" ]; then
    systemctl start "$unit"
    daemon_pid=$(systemctl show -p MainPID --value "$unit")
    return
  fi
  java ${DRIFTGUARD_JAVA_OPTS:--XX:+UseSerialGC -Xss512k -XX:TieredStopAtLevel=1} -jar daemon/target/driftguard.jar daemon --config "$work/driftguard.toml" >> "$work/daemon.log" 2>&1 &
  daemon_pid=$!
}

# Milliseconds since the epoch, as the container's bash prints them.
now_ms() { date +%s%3N; }

# Waits until the daemon answers status as ready and attached to the loop container.
await_enforcing() {
  for _ in $(seq 1 600); do
    error=$(cli status --json 2>/dev/null | grep -o "\"container_name\":\"$name\".*" | grep -o '"error":[^,}]*' | head -1 || true)
    if [ "$error" = '"error":null' ]; then
      return 0
    elif [ -n "$error" ]; then
      echo "the daemon cannot attach to $name: $error" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "the daemon did not attach to $name" >&2
  [ -n "$unit" ] && journalctl -u "$unit" -n 30 --no-pager >&2 || tail -30 "$work/daemon.log" >&2
  return 1
}

if [ -n "$unit" ]; then
  printf '%s\n' "$policy" > /etc/driftguard/policies.d/90-faults.toml
  if systemctl is-active -q "$unit"; then systemctl reload "$unit"; else start_daemon; fi
  daemon_pid=$(systemctl show -p MainPID --value "$unit")
else
  mkdir -p "$work/policies.d"
  cat > "$work/driftguard.toml" <<CONF
[policies]
dir = "policies.d"
[store]
path = "state/driftguard.db"
[log]
level = "info"
events = ["stdout"]
[daemon]
control_socket = "state/driftguard.sock"
[admission]
socket = ""
CONF
  printf '%s\n' "$policy" > "$work/policies.d/faults.toml"
  start_daemon
fi

# The loop: each line "E start_ms wait_ms rc" (126 = blocked, 127 = ran: not a busybox applet)
# and "C start_ms rc" (1 = blocked: EPERM; 0 = through: refused, as nothing listens there, or
# connected). bash times itself ($EPOCHREALTIME) and connects with /dev/tcp, so the loop needs no
# exec but the one it tests.
loop=$(cat <<EOF
cp /bin/busybox /tmp/forbidden
while true; do
  t0=\${EPOCHREALTIME/./}; /tmp/forbidden >/dev/null 2>&1; rc=\$?; t1=\${EPOCHREALTIME/./}
  echo "E \$((t0 / 1000)) \$(((t1 - t0) / 1000)) \$rc"
  t0=\${EPOCHREALTIME/./}
  case \$( (exec 3<>/dev/tcp/127.0.0.2/$port) 2>&1 ) in *"not permitted"*) c=1 ;; *) c=0 ;; esac
  echo "C \$((t0 / 1000)) \$c"
  sleep 0.05
done
EOF
)
await_enforcing_ready() { # before the container exists: the daemon answers
  for _ in $(seq 1 600); do cli status --json >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "the daemon did not start" >&2; return 1
}
await_enforcing_ready
docker run -d --name "$name" --network host --label "app=$label" "$image" /bin/sleep 86400 >/dev/null
await_enforcing
sleep 0.5
docker exec -d "$name" /bin/bash -c "$loop > /tmp/loop.log"
sleep 2

lines() { docker exec "$name" /usr/bin/cat /tmp/loop.log; }
# report PHASE FROM_MS TO_MS FAULT_MS: what the loop saw between FROM and TO
report() {
  local phase=$1 from=$2 to=$3 fault=$4
  lines | awk -v phase="$phase" -v from="$from" -v to="$to" -v fault="$fault" -v tally="$work/through" '
    $2 < from || $2 > to { next }
    $1 == "E" { execs++; if ($4 != 126) { through++; last = $2 } if ($3 > wait) wait = $3 }
    $1 == "C" { connects++; if ($3 == 0) { cthrough++; last = $2 } }
    END {
      full = last ? last - fault : 0
      printf "%-22s execs %5d through %3d | connects %5d through %3d | longest exec wait %6d ms | enforcing again %5d ms after the fault\n",
        phase, execs, through, connects, cthrough, wait, full
      print through + cthrough >> tally
    }'
}

t=$(now_ms); sleep 3
report running "$t" "$(now_ms)" "$t"

# SIGKILL: pinned eBPF rules hold; fanotify (exec) rules hold under systemd's fd store only.
t=$(now_ms)
kill -KILL "$daemon_pid"
if [ -z "$unit" ]; then
  sleep "$down"
  start_daemon
fi
await_enforcing
ready=$(( $(now_ms) - t ))
sleep 2
report "SIGKILL, restart" "$t" "$(now_ms)" "$t"
echo "  daemon back and attached $ready ms after the kill"
[ -n "$unit" ] && daemon_pid=$(systemctl show -p MainPID --value "$unit")

# SIGSTOP: execs wait; the watchdog (systemd) or SIGCONT (elsewhere) ends the wait.
t=$(now_ms)
kill -STOP "$daemon_pid"
sleep "$stall"
kill -CONT "$daemon_pid" 2>/dev/null || true
await_enforcing
sleep 2
report "SIGSTOP ${stall}s, SIGCONT" "$t" "$(now_ms)" "$t"
[ -n "$unit" ] && daemon_pid=$(systemctl show -p MainPID --value "$unit")

# protect's read-only mount of /etc: one, however often the daemon was killed and restarted.
ro_etc() { awk '$5 == "/etc" && $6 ~ /(^|,)ro(,|$)/ { n++ } END { print n + 0 }' "$proc/$(docker inspect -f '{{.State.Pid}}' "$name")/mountinfo"; }
proc=/proc; [ -d /host/proc/1 ] && proc=/host/proc  # the Debian test container sees the host's processes there
echo "read-only mounts at /etc before the stop: $(ro_etc) (1: adopted after each restart, not stacked)"

# Clean stop: nothing of the daemon may stay behind. Other daemons may run on this host, so the
# count is of this daemon's pin folder and of the programs on the loop container's cgroup.
cid=$(docker inspect -f '{{.State.Pid}}' "$name")
cgroup=$(awk -F: '$1 == 0 { print $3 }' "$proc/$cid/cgroup")
if [ -n "$unit" ]; then socket=/run/driftguard/driftguard.sock; else socket=$work/state/driftguard.sock; fi
instance=/sys/fs/bpf/driftguard/$(printf %s "$socket" | sha256sum | cut -c1-16)
if [ -n "$unit" ]; then systemctl stop "$unit"; else kill -TERM "$daemon_pid"; wait "$daemon_pid" 2>/dev/null || true; daemon_pid=; fi
pins=$( (find "$instance" 2>/dev/null || true) | wc -l)
links=0
if command -v bpftool >/dev/null; then
  links=$(bpftool cgroup show "/sys/fs/cgroup/unified$cgroup" 2>/dev/null | grep -c 'dg_' || true)
else # no bpftool: a connect that is no longer refused with EPERM shows that no program is left
  sleep 1
  links=$(lines | tail -4 | awk '$1 == "C" && $3 == 1 { n++ } END { print n + 0 }')
fi
groups=$( (ls -l /proc/1/fd 2>/dev/null || true) | grep -c 'anon_inode:\[fanotify\]' || true)
mounts=$(ro_etc)
echo "after a clean stop: pins $pins, programs on the container's cgroup $links, fanotify groups held by pid 1 $groups, read-only mounts at /etc $mounts"
leaked=$(( pins + links + groups + mounts ))
echo "faults: through=$(awk '{ n += $1 } END { print n + 0 }' "$work/through") leaked=$leaked"
