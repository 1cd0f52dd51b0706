#!/usr/bin/env bash
# Benchmarks of image baselines, drift prevention and file integrity monitoring (issue 6). Prints
# figures; not a timed test. Needs root, Docker, the built jar (mvn -DskipTests package) and the
# test images (scripts/build-test-images.sh). Figures of a run are recorded in bench/NOTES-baseline.md.
#   bench/baseline-bench.sh [EXECS] [WRITES] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
execs=${1:-2000}
writes=${2:-100000}
runs=${3:-3}
image=driftguard-test/web:1
jar=daemon/target/driftguard.jar
work=$(mktemp -d)
daemon_pid=
containers=()

cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  for c in "${containers[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

now_ns() { date +%s%N; }

start_daemon() { # start_daemon POLICY_TOML: a daemon on a fresh store in $work/run
  rm -rf "$work/run"; mkdir -p "$work/run/policies"
  printf '[policies]\ndir = "policies"\n[store]\npath = "state/driftguard.db"\n[log]\nevents = ["stdout"]\n[daemon]\ncontrol_socket = "state/ctl.sock"\n' \
    > "$work/run/driftguard.toml"
  printf '%s\n' "$1" > "$work/run/policies/bench.toml"
  java -jar "$jar" daemon --config "$work/run/driftguard.toml" > "$work/run/daemon.log" 2>&1 &
  daemon_pid=$!
  for _ in $(seq 1 120); do grep -q 'Daemon: running' "$work/run/daemon.log" && return; sleep 0.25; done
  echo "daemon did not start:" >&2; cat "$work/run/daemon.log" >&2; exit 1
}

stop_daemon() {
  kill "$daemon_pid"; wait "$daemon_pid" 2>/dev/null || true; daemon_pid=
}

run_container() { # run_container NAME
  containers+=("$1")
  docker run -d --name "$1" --network none "$image" >/dev/null
}

await_attached() {
  for _ in $(seq 1 240); do grep -q "attached to container $1 " "$work/run/daemon.log" && return; sleep 0.25; done
  echo "not attached: $1" >&2; cat "$work/run/daemon.log" >&2; exit 1
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

cpu_ns() { # cpu_ns CONTAINER: CPU time its cgroup used so far (cgroup v2, else v1 cpuacct)
  local pid cg
  pid=$(docker inspect --format '{{.State.Pid}}' "$1")
  cg=$(awk -F: '$2 == "" {print $3}' "/proc/$pid/cgroup")
  if [ -n "$cg" ] && [ -f "/sys/fs/cgroup$cg/cpu.stat" ]; then
    echo $(( $(awk '$1 == "usage_usec" {print $2}' "/sys/fs/cgroup$cg/cpu.stat") * 1000 ))
  else
    cat "/sys/fs/cgroup/cpuacct$(awk -F: '$2 ~ /cpuacct/ {print $3}' "/proc/$pid/cgroup")/cpuacct.usage"
  fi
}

time_in() { # time_in CONTAINER SCRIPT: "WALL_MS CPU_MS" the script takes inside the container
  local t0 t1 c0 c1
  c0=$(cpu_ns "$1"); t0=$(now_ns); docker exec "$1" sh -c "$2" >/dev/null; t1=$(now_ns); c1=$(cpu_ns "$1")
  echo "$(( (t1 - t0) / 1000000 )) $(( (c1 - c0) / 1000000 ))"
}

drift_policy() { printf '[[policy]]\nname = "BenchDrift"\nmatch.names = ["dg-bl-bench-*"]\n[policy.drift]\naction = "%s"\n' "$1"; }
fim_policy='[[policy]]
name = "BenchFiles"
match.names = ["dg-bl-bench-*"]
[[policy.file]]
paths = ["/etc/nginx/**"]
action = "alert"'

echo "== baseline build ($image, $(docker image inspect --format '{{len .RootFS.Layers}}' $image) layers)"
start_daemon "$(drift_policy block)"
run_container dg-bl-bench-build
await_attached dg-bl-bench-build
built=$(grep -o 'Built the baseline of image [^"]*' "$work/run/daemon.log")
stop_daemon
db=$work/run/state/driftguard.db
echo "  $built"
echo "  SQLite file after the build: $(stat -c %s "$db") bytes ($(( $(stat -c %s "$db") / 1024 )) KiB), WAL checkpointed at close"
docker rm -f dg-bl-bench-build >/dev/null

# Measured on two containers at once, one selected by the policy ("on") and one not ("off"),
# runs interleaved, so that load from elsewhere on the host falls on both alike.
interleaved() { # interleaved LABEL SCRIPT: medians of wall and container CPU time, on and off
  local run
  on=(); off=()
  for run in $(seq "$runs"); do
    if [ $((run % 2)) -eq 1 ]; then  # alternate which container goes first
      off+=("$(time_in dg-bl-plain-off "$2")"); on+=("$(time_in dg-bl-bench-on "$2")")
    else
      on+=("$(time_in dg-bl-bench-on "$2")"); off+=("$(time_in dg-bl-plain-off "$2")")
    fi
  done
  report "$1" on off
}

report() { # report LABEL ON_ARRAY OFF_ARRAY: medians of "wall cpu" samples and their ratios
  local -n samples_on=$2 samples_off=$3
  local won woff con coff
  won=$(printf '%s\n' "${samples_on[@]}" | cut -d' ' -f1 | median)
  woff=$(printf '%s\n' "${samples_off[@]}" | cut -d' ' -f1 | median)
  con=$(printf '%s\n' "${samples_on[@]}" | cut -d' ' -f2 | median)
  coff=$(printf '%s\n' "${samples_off[@]}" | cut -d' ' -f2 | median)
  printf '  %s\n    wall: off %6d ms, on %6d ms, ratio %s\n    container CPU: off %6d ms, on %6d ms, ratio %s\n' "$1" \
    "$woff" "$won" "$(awk "BEGIN {printf \"%.3f\", $won/$woff}")" "$coff" "$con" "$(awk "BEGIN {printf \"%.3f\", $con/$coff}")"
}

loop="i=0; while [ \$i -lt $execs ]; do /usr/bin/cat /dev/null; i=\$((i+1)); done"
added_loop="cp /usr/bin/cat /tmp/cat2; i=0; while [ \$i -lt $execs ]; do /tmp/cat2 /dev/null; i=\$((i+1)); done"
echo "== exec latency: $execs execs per run, median of $runs interleaved runs"
run_container dg-bl-bench-on
run_container dg-bl-plain-off
start_daemon "$(drift_policy block)"
await_attached dg-bl-bench-on
interleaved "drift block, image file /usr/bin/cat:" "$loop"
stop_daemon
start_daemon "$(drift_policy alert)"
await_attached dg-bl-bench-on
interleaved "drift alert, added file (decided every exec):" "$added_loop"
echo "  ($(grep -c '"kind":"drift"' "$work/run/daemon.log" || true) drift events)"
stop_daemon

# Writes slow down as a container accumulates state (dentries of earlier runs), so each run gets a
# fresh pair of containers; the daemon stays up and attaches every "on" container as it starts.
write_loop="mkdir /tmp/w; i=0; while [ \$i -lt $writes ]; do echo x > /tmp/w/\$i; i=\$((i+1)); done"
echo "== file monitoring: $writes small file writes per run outside the watched /etc/nginx, fresh containers per run"
start_daemon "$fim_policy"
on=(); off=()
for run in $(seq "$runs"); do
  run_container "dg-bl-bench-fim-$run"
  run_container "dg-bl-plain-fim-$run"
  await_attached "dg-bl-bench-fim-$run"
  if [ $((run % 2)) -eq 1 ]; then
    off+=("$(time_in "dg-bl-plain-fim-$run" "$write_loop")"); on+=("$(time_in "dg-bl-bench-fim-$run" "$write_loop")")
  else
    on+=("$(time_in "dg-bl-bench-fim-$run" "$write_loop")"); off+=("$(time_in "dg-bl-plain-fim-$run" "$write_loop")")
  fi
  docker rm -f "dg-bl-bench-fim-$run" "dg-bl-plain-fim-$run" >/dev/null
done
report "/etc/nginx/** watched:" on off
echo "  ($(grep -c '"kind":"file"' "$work/run/daemon.log" || true) file events)"
stop_daemon
