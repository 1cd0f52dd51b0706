# Sourced by the benchmarks that run the daemon from the built jar (bash):
#   start_daemon WORK LEVEL POLICY_TOML   writes a config in WORK, starts the daemon in the
#                                         background (pid in $daemon_pid) and waits until it runs
#   stop_daemon
start_daemon() {
  local work=$1 level=$2 policy=$3
  mkdir -p "$work/policies.d"
  cat > "$work/driftguard.toml" <<CONF
[policies]
dir = "policies.d"
[store]
path = "state/driftguard.db"
[log]
level = "$level"
events = ["stdout"]
[daemon]
control_socket = "state/driftguard.sock"
CONF
  printf '%s\n' "$policy" > "$work/policies.d/bench.toml"
  java -jar daemon/target/driftguard.jar daemon --config "$work/driftguard.toml" > "$work/daemon.log" 2>&1 &
  daemon_pid=$!
  for _ in $(seq 1 120); do
    grep -q 'driftguard started' "$work/daemon.log" && return 0
    sleep 0.5
  done
  echo "the daemon did not start:" >&2
  tail "$work/daemon.log" >&2
  return 1
}

stop_daemon() {
  if [ -n "${daemon_pid:-}" ]; then
    kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
    daemon_pid=
  fi
}
