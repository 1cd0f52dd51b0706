#!/usr/bin/env bash
# Exec overhead and attach latency of the daemon's process enforcement (issue 2).
#  1. 2,000 execs of /usr/bin/cat inside a container, without and with a process policy attached
#     (the policy blocks shells by name and blocks drift, so fanotify, the tp_btf exec program's
#     name and drift checks all run; cat is allowed), in alternating rounds; prints the medians of
#     whole rounds, p50 and p99 of single execs (timed by bash around each) and the ratios.
#  2. Time from a container's start (Docker's State.StartedAt) to the daemon's "attached" log line,
#     over 50 containers: p50 and p99.
# Needs root, a Docker engine, the test image (scripts/build-test-images.sh) and the built jar.
set -euo pipefail
cd "$(dirname "$0")/.."
EXECS=${EXECS:-2000}
ROUNDS=${ROUNDS:-5}
CONTAINERS=${CONTAINERS:-50}
IMAGE=driftguard-test/shell:1

work=$(mktemp -d)
names=()
cleanup() {
  [ -n "${daemon_pid:-}" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  [ ${#names[@]} -gt 0 ] && docker rm -f "${names[@]}" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/policies.d"
cat > "$work/driftguard.toml" <<TOML
[policies]
dir = "policies.d"
[store]
path = "state/driftguard.db"
[log]
events = ["stdout"]
[daemon]
control_socket = "state/driftguard.sock"
TOML
cat > "$work/policies.d/bench.toml" <<TOML
[[policy]]
name = "BenchShells"
match.labels = { bench = "on" }
[[policy.process]]
action = "block"
names = ["zsh", "ksh", "dash"]
[policy.drift]
action = "block"
TOML

bin/driftguard daemon --config "$work/driftguard.toml" >"$work/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 100); do grep -q "running;" "$work/daemon.log" && break; sleep 0.2; done

off=dg-bench-off-$$; on=dg-bench-on-$$
names+=("$off" "$on")
docker run -d --network none --name "$off" "$IMAGE" >/dev/null
docker run -d --network none --label bench=on --name "$on" "$IMAGE" >/dev/null
for _ in $(seq 1 100); do grep -q "attached to container $on" "$work/daemon.log" && break; sleep 0.1; done

loop() { # prints "wall cpu" seconds for $EXECS execs of /usr/bin/cat inside container $1 (cpu: children's user+sys)
  docker exec "$1" bash -c "s=\$EPOCHREALTIME; for ((i=0;i<$EXECS;i++)); do /usr/bin/cat /dev/null; done; e=\$EPOCHREALTIME; echo \$s \$e; times" \
    | awk 'NR==1 {wall=$2-$1} NR==3 {split($1,u,"m"); split($2,y,"m"); cpu=u[1]*60+u[2]+y[1]*60+y[2]} END {printf "%.3f %.3f\n", wall, cpu}'
}
each() { # appends to $2 the time of each of $EXECS execs of /usr/bin/cat inside container $1, in microseconds
  docker exec "$1" bash -c "for ((i=0;i<$EXECS;i++)); do s=\$EPOCHREALTIME; /usr/bin/cat /dev/null; e=\$EPOCHREALTIME; echo \$s \$e; done" \
    | awk '{printf "%d\n", ($2 - $1) * 1e6}' >> "$2"
}
walls_off=(); walls_on=(); cpus_off=(); cpus_on=()
for r in $(seq 1 "$ROUNDS"); do
  read -r w c < <(loop "$off"); walls_off+=("$w"); cpus_off+=("$c")
  read -r w c < <(loop "$on"); walls_on+=("$w"); cpus_on+=("$c")
  each "$off" "$work/each.off"; each "$on" "$work/each.on"
done
pcts() { sort -n "$1" | awk '{a[NR]=$1} END {printf "%d %d\n", a[int((NR+1)/2)], a[int(NR*0.99)]}'; }
read -r p50_off p99_off < <(pcts "$work/each.off")
read -r p50_on p99_on < <(pcts "$work/each.on")
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
per() { awk -v t="$1" -v n="$EXECS" 'BEGIN{printf "%.1f", t/n*1e6}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", a/b}'; }
w_off=$(median "${walls_off[@]}"); w_on=$(median "${walls_on[@]}")
c_off=$(median "${cpus_off[@]}"); c_on=$(median "${cpus_on[@]}")
echo "execs per run:        $EXECS of /usr/bin/cat, $ROUNDS alternating rounds, medians"
echo "                      wall us/exec   cpu us/exec (user+sys of the execing processes)"
echo "without policy:       $(per "$w_off")          $(per "$c_off")"
echo "with policy attached: $(per "$w_on")          $(per "$c_on")"
echo "ratio with/without:   $(ratio "$w_on" "$w_off")          $(ratio "$c_on" "$c_off")"
echo "wall per round (s):   off ${walls_off[*]} | on ${walls_on[*]}"
echo "each exec (us, $((EXECS * ROUNDS)) per side): without p50 $p50_off p99 $p99_off | with p50 $p50_on p99 $p99_on | ratio p50 $(ratio "$p50_on" "$p50_off") p99 $(ratio "$p99_on" "$p99_off")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "exec decisions made by the daemon (the rest were ignored in the kernel): $(bin/driftguard status --config "$work/driftguard.toml" --json | grep -o '"decisions":[0-9]*' | head -1 | cut -d: -f2)"

lat=()
for i in $(seq 1 "$CONTAINERS"); do
  n=dg-bench-lat-$$-$i; names+=("$n")
  docker run -d --network none --label bench=on --name "$n" "$IMAGE" >/dev/null
  for _ in $(seq 1 200); do grep -q "attached to container $n " "$work/daemon.log" && break; sleep 0.05; done
  started=$(docker inspect -f '{{.State.StartedAt}}' "$n")
  attached=$(grep "attached to container $n " "$work/daemon.log" | head -1 | cut -d' ' -f1)
  lat+=("$(( ($(date -d "$attached" +%s%N) - $(date -d "$started" +%s%N)) / 1000000 ))")
  docker rm -f "$n" >/dev/null
done
sorted=$(printf '%s\n' "${lat[@]}" | sort -n)
pct() { echo "$sorted" | awk -v p="$1" '{a[NR]=$1} END {i=int(NR*p/100+0.999); if(i<1)i=1; print a[i]}'; }
echo "start -> attached (ms, $CONTAINERS containers): p50 $(pct 50)  p99 $(pct 99)  max $(pct 100)"
