# Sourced by the benchmarks that run the daemon from the built jar (bash):
#   start_daemon WORK LEVEL POLICY_TOML [MORE_TOML]   writes a config in WORK (MORE_TOML appended),
#                                         starts the daemon in the background (pid in $daemon_pid)
#                                         and waits until it runs
#   stop_daemon
#   start_engine WORK   a private dockerd (socket, data, exec root, pidfile and daemon.json in
#                       WORK/engine), DOCKER_HOST exported, the shell test image loaded; for
#                       benchmarks that change Docker's setup (the start hook)
#   stop_engine
start_daemon() {
  local work=$1 level=$2 policy=$3 more=${4:-}
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
$more
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

start_engine() {
  local dir=$1/engine
  mkdir -p "$dir"
  echo '{}' > "$dir/daemon.json"
  dockerd --bridge=none --iptables=false --ip6tables=false --data-root "$dir/data" --exec-root "$dir/exec" \
    --pidfile "$dir/docker.pid" --config-file "$dir/daemon.json" -H "unix://$dir/docker.sock" > "$dir/dockerd.log" 2>&1 &
  engine_pid=$!
  for _ in $(seq 1 120); do
    DOCKER_HOST="unix://$dir/docker.sock" docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker save driftguard-test/shell:1 | DOCKER_HOST="unix://$dir/docker.sock" docker load >/dev/null
  export DOCKER_HOST="unix://$dir/docker.sock"
  engine_dir=$dir
}

stop_engine() {
  if [ -n "${engine_pid:-}" ]; then
    docker ps -aq | xargs -r docker rm -f >/dev/null 2>&1 || true
    kill "$engine_pid" 2>/dev/null && wait "$engine_pid" 2>/dev/null || true
    engine_pid=
    unset DOCKER_HOST
  fi
}

# hook_setup WORK: the daemon of WORK registers the runtime wrapper with the private engine
# (driftguard docker setup, as a user would) and waits until dockerd runs it by default.
hook_setup() {
  java -jar daemon/target/driftguard.jar docker setup --config "$1/driftguard.toml" \
    --daemon-json "$engine_dir/daemon.json" --pidfile "$engine_dir/docker.pid"
  for _ in $(seq 1 60); do
    [ "$(docker info --format '{{.DefaultRuntime}}')" = driftguard ] && return 0
    sleep 0.5
  done
  echo "dockerd did not take up the driftguard runtime" >&2
  return 1
}

# The [docker], [admission] and [runtime] settings of a daemon that serves the private engine's hook.
hook_toml() {
  printf '[docker]\nsocket = "unix://%s/docker.sock"\n[admission]\nsocket = ""\n[runtime]\nbinary = "%s"\n' \
    "$engine_dir" "$PWD/daemon/target/native/driftguard-runtime"
}
