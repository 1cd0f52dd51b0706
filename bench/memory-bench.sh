#!/usr/bin/env bash
# Memory benchmark (not a test): the daemon's resident memory (VmRSS and its peak VmHWM from
# /proc/PID/status), thread count and store size, run from the built jar with the JVM settings
# of bin/driftguard (or DRIFTGUARD_JAVA_OPTS; with -XX:NativeMemoryTracking=summary added, `attached`
# prints the committed memory of each NMT category after each figure).
#   bench/memory-bench.sh attached N...        RSS with N attached containers (e.g. 1 30 100)
#   bench/memory-bench.sh execs TOTAL [LOOPS]  store growth and RSS for TOTAL blocked execs from LOOPS containers (4)
#   bench/memory-bench.sh steady [MINUTES] [CONTAINERS]
#                                              RSS every minute (60 by default) while CONTAINERS (3) each run
#                                              a blocked exec about once a second (the same event again and again,
#                                              so aggregation folds them); prints the series and its slope
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
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-1}
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
stored_blocked() { # how many rows the store holds for blocked execs, and how many execs they stand for
  java -XX:TieredStopAtLevel=1 -jar "$jar" events --json --config "$work/driftguard.toml" --since 2h --action blocked --limit 100000000 2>/dev/null \
    | awk '/"blocked"/ { rows++; if (match($0, /"count":"?[0-9]+/)) { c = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", c); sum += c } else sum++ }
           END { printf "stored blocked-exec events: %d rows standing for %d execs\n", rows, sum }'
}
nmt() { # with -XX:NativeMemoryTracking=summary in the options: where the committed memory goes
  case $opts in *NativeMemoryTracking*) jcmd "$daemon_pid" VM.native_memory summary scale=KB \
    | awk '/^-/ { sub(/^- */, ""); name = $0; sub(/ *\(.*/, "", name); if (match($0, /committed=[0-9]+KB/)) printf "  %-24s %6d kB\n", name, substr($0, RSTART + 10, RLENGTH - 12) }
           /^Total/ { if (match($0, /committed=[0-9]+KB/)) printf "  %-24s %6d kB\n", "total (tracked)", substr($0, RSTART + 10, RLENGTH - 12) }' ;;
  esac
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
      nmt
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
    stored_blocked
    ;;
  steady)
    minutes=${2:-60} loops=${3:-3}
    containers "$loops"; await_attached "$loops"; sleep 5
    for id in $(docker ps -q --filter "label=app=$label"); do
      docker exec -d "$id" /bin/bash -c 'while true; do /tmp/forbidden 2>/dev/null; /bin/sleep 1; done'
    done
    series=()
    for t in $(seq 1 "$minutes"); do
      sleep 60
      series+=("$t $(field VmRSS)")
      echo "after $(printf '%3d' "$t") min of steady events: $(mem)"
    done
    stored_blocked
    # Least-squares slope of RSS (kB) against minutes, in MB an hour, over all samples and over
    # the second half (after start-up garbage and the first aggregation windows have settled).
    printf '%s\n' "${series[@]}" | awk -v half=$(( minutes / 2 )) '
      function slope(n, sx, sy, sxx, sxy) { return n < 2 ? 0 : (n * sxy - sx * sy) / (n * sxx - sx * sx) * 60 / 1024 }
      { a++; ax += $1; ay += $2; axx += $1 * $1; axy += $1 * $2; min = (a == 1 || $2 < min) ? $2 : min; max = $2 > max ? $2 : max }
      $1 > half { b++; bx += $1; by += $2; bxx += $1 * $1; bxy += $1 * $2 }
      END { printf "RSS %d..%d MB; slope %+.2f MB/hour over all %d minutes, %+.2f MB/hour over the second half\n",
              min / 1024, max / 1024, slope(a, ax, ay, axx, axy), a, slope(b, bx, by, bxx, bxy) }'
    ;;
  *) echo "usage: $0 attached N... | execs TOTAL [LOOPS] | steady [MINUTES] [CONTAINERS]" >&2; exit 2 ;;
esac
