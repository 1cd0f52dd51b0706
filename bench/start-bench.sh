#!/usr/bin/env bash
# Container start time (not a test): `docker run --rm ... true` from start to exit, p50 and p99
# over N containers (default 200), with no daemon, then with the daemon running a policy that
# blocks shells by name: for containers it selects (kernel rules from cgroup_mkdir on, fanotify
# attach on start) and for containers it does not select. Needs root, Docker and the test image;
# figures from one run are kept in bench/NOTES-gaps.md.
#   bench/start-bench.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
image=driftguard-test/shell:1
jar=daemon/target/driftguard.jar
[ -f "$jar" ] || mvn -B -q -o -DskipTests package -pl daemon -am
work=$(mktemp -d)
label=dg-start-$$
daemon_pid=
cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

measure() { # measure NAME LABEL...: prints "NAME p50 p99" in ms
  local name=$1; shift
  local times=()
  for _ in $(seq 1 "$n"); do
    local t0 t1
    t0=$(date +%s%N)
    docker run --rm --network none "$@" "$image" true >/dev/null
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v name="$name" '{a[NR]=$1} END {
    p99 = int(NR * 0.99); if (p99 < 1) p99 = 1
    printf "%-28s p50 %5d ms   p99 %5d ms   (n=%d)\n", name, a[int((NR+1)/2)], a[p99], NR }'
}

measure "no daemon"

mkdir -p "$work/policies.d"
cat > "$work/driftguard.toml" <<EOF
[policies]
dir = "policies.d"
[store]
path = "state/driftguard.db"
[log]
level = "warn"
events = ["stdout"]
[daemon]
control_socket = "state/driftguard.sock"
EOF
cat > "$work/policies.d/start.toml" <<EOF
[[policy]]
name = "NoShells"
match.labels = { app = "$label" }
[[policy.process]]
action = "block"
names = ["sh", "bash", "dash", "ash", "zsh"]
EOF
java -jar "$jar" daemon --config "$work/driftguard.toml" > "$work/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 120); do
  grep -q 'driftguard started' "$work/daemon.log" && break
  sleep 0.5
done
grep -q 'driftguard started' "$work/daemon.log" || { echo "daemon did not start" >&2; exit 1; }

measure "daemon, selected" --label "app=$label"
measure "daemon, not selected"
echo "(no OCI hook: the runtime wrapper is not built yet)"
