#!/usr/bin/env bash
# Memory benchmark (not a test): the daemon's resident memory (VmRSS and its peak VmHWM from
# /proc/PID/status), thread count and store size, run from the built jar with the JVM settings
# of bin/driftguard (or DRIFTGUARD_JAVA_OPTS).
#   bench/memory-bench.sh attached N...        RSS with N attached containers (e.g. 1 30 100)
#   bench/memory-bench.sh execs TOTAL [LOOPS]  store growth and RSS for TOTAL blocked execs from LOOPS containers (4)
#   bench/memory-bench.sh steady SECONDS       RSS every 30 s under a steady 50 blocked execs a second
# Containers are driftguard-test/shell:1 with --network none, selected by a policy that blocks
# /tmp/forbidden (a busybox copy) and a CIDR. Needs root and Docker; figures in bench/NOTES-memory.md.
set -euo pipefail
cd "$(dirname "$0")/.."
image=driftguard-test/shell:1
label=dg-mem-$$
work=$(mktemp -d)
jar=${DRIFTGUARD_JAR:-daemon/target/driftguard.jar}
# The daemon's options as bin/driftguard sets them.
opts=${DRIFTGUARD_JAVA_OPTS:-$(sed -n '/^  daemon) defaults="/,/"/p' bin/driftguard | tr -d '"\n' | sed 's/^ *daemon) defaults=//; s/ *;;$//')}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
daemon_pid=

cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  docker ps -aq --filter "label=app=$label" | xargs -r docker rm -f >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/policies.d"
cat > "$work/driftguard.toml" <<CONF
[policies]
dir = "policies.d"
[store]
path = "state/driftguard.db"
[log]
level = "warn"
events = ["stdout"]
[daemon]
control_socket = "state/driftguard.sock"
[admission]
socket = ""
CONF
cat > "$work/policies.d/bench.toml" <<EOF
[[policy]]
name = "MemoryBench"
match.labels = { app = "$label" }
[[policy.process]]
action = "block"
paths = ["/tmp/forbidden"]
[[policy.network]]
action = "block"
cidrs = ["169.254.169.254/32"]
EOF

status() { java -XX:TieredStopAtLevel=1 -jar "$jar" status --json --config "$work/driftguard.toml" 2>/dev/null; }
field() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$daemon_pid/status"; }
mem() { # a line of figures
  local db=0
  db=$(du -cb "$work"/state/driftguard.db* 2>/dev/null | tail -1 | cut -f1)
  printf 'rss %4d MB  peak %4d MB  threads %3d  store %6.1f MB' $(( $(field VmRSS) / 1024 )) $(( $(field VmHWM) / 1024 )) \
    "$(field Threads)" "$(echo "$db" | awk '{ print $1 / 1048576 }')"
}
attached() { status | grep -o '"attached_containers":[0-9]*' | cut -d: -f2; }

start_daemon() {
  # shellcheck disable=SC2086 # the options are words
  java $opts -jar "$jar" daemon --config "$work/driftguard.toml" > "$work/daemon.log" 2>&1 &
  daemon_pid=$!
  for _ in $(seq 1 300); do status >/dev/null && return 0; sleep 0.5; done
  tail "$work/daemon.log" >&2; return 1
}

containers() { # containers N: N more selected containers, each with /tmp/forbidden
  for _ in $(seq 1 "$1"); do
    docker run -d --network none --label "app=$label" "$image" /bin/bash -c 'cp /bin/busybox /tmp/forbidden; exec /bin/sleep 86400' >/dev/null
  done
}

await_attached() {
  for _ in $(seq 1 600); do [ "$(attached)" = "$1" ] && return 0; sleep 1; done
  echo "only $(attached) of $1 attached" >&2; return 1
}

echo "JVM options: $opts"
start_daemon
sleep 5
echo "idle, 0 containers:        $(mem)"
case ${1:-} in
  attached)
    shift
    have=0
    for n in "$@"; do
      containers $(( n - have )); have=$n
      await_attached "$n"
      sleep 10 # let start-up garbage go
      echo "$n attached containers: $(printf '%4d' "$n") $(mem)"
    done
    ;;
  execs)
    total=$2 loops=${3:-4}
    containers "$loops"; await_attached "$loops"; sleep 5
    echo "before:                    $(mem)"
    each=$(( total / loops ))
    start=$(date +%s)
    for id in $(docker ps -q --filter "label=app=$label"); do
      docker exec -d "$id" /bin/bash -c "for ((i = 0; i < $each; i++)); do /tmp/forbidden 2>/dev/null; done; touch /tmp/done"
    done
    for id in $(docker ps -q --filter "label=app=$label"); do
      until docker exec "$id" /bin/ls /tmp/done >/dev/null 2>&1; do sleep 2; done
    done
    sleep 12 # the aggregation window closes
    echo "after $total blocked execs in $(( $(date +%s) - start )) s: $(mem)"
    java -XX:TieredStopAtLevel=1 -jar "$jar" events --json --config "$work/driftguard.toml" --since 1h 2>/dev/null \
      | awk '/"blocked"/ { rows++; if (match($0, /"count":"?[0-9]+/)) { c = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", c); sum += c } else sum++ }
             END { printf "stored blocked-exec events: %d rows standing for %d execs\n", rows, sum }'
    ;;
  steady)
    seconds=$2
    containers 1; await_attached 1; sleep 5
    id=$(docker ps -q --filter "label=app=$label")
    docker exec -d "$id" /bin/bash -c 'while true; do /tmp/forbidden 2>/dev/null; sleep 0.02; done'
    for t in $(seq 30 30 "$seconds"); do sleep 30; echo "after $(printf '%4d' "$t") s of steady events: $(mem)"; done
    ;;
  *) echo "usage: $0 attached N... | execs TOTAL [LOOPS] | steady SECONDS" >&2; exit 2 ;;
esac
