#!/usr/bin/env bash
# Container start time (not a test): `docker run --rm ... true` from start to exit, p50 and p99
# over N containers (default 200), on a private dockerd: with no daemon, then with the daemon
# running a policy that blocks shells by name (kernel rules from cgroup_mkdir on, fanotify attach
# on Docker's start event), then with the start hook (driftguard-runtime as the default runtime,
# the attach done before the first exec); each for containers the policy selects and for ones it
# does not. Needs root, Docker and the test image; figures from one run are kept in bench/NOTES-gaps.md.
#   bench/start-bench.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
image=driftguard-test/shell:1
jar=daemon/target/driftguard.jar
[ -f "$jar" ] && [ -x daemon/target/native/driftguard-runtime ] || mvn -B -q -o -DskipTests package -pl daemon -am
work=$(mktemp -d)
label=dg-start-$$
. bench/daemon-lib.sh
cleanup() {
  stop_daemon
  stop_engine
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

start_engine "$work"
measure "no daemon"

policy=$(cat <<EOF
[[policy]]
name = "NoShells"
match.labels = { app = "$label" }
[[policy.process]]
action = "block"
names = ["sh", "bash", "dash", "ash", "zsh"]
EOF
)
start_daemon "$work" warn "$policy" "$(hook_toml)"

measure "daemon, selected" --label "app=$label"
measure "daemon, not selected"
hook_setup "$work" >/dev/null
measure "hook, selected" --label "app=$label"
measure "hook, not selected"
