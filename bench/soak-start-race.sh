#!/usr/bin/env bash
# Start-race soak (not a test; long): N racing containers that must never get to run a shell,
# against a daemon with a policy that blocks shells by name, using only the kernel backstop
# (cgroup_mkdir templates and the hold for containers the daemon did not know yet), or with
# --hook the start hook: a private dockerd whose default runtime `driftguard docker setup` made
# driftguard-runtime, so that the daemon attaches before each container's first exec.
#   bench/soak-start-race.sh [--hook] [N] [PARALLEL]     (default 1000 containers, 4 at a time)
# Half run `bash -c 'echo ESCAPED'` as their command, half `env bash -c 'echo ESCAPED'` (an allowed
# program that execs a shell at once). Prints escapes, how each was stopped and how many execs were
# held, and the docker run time of an unselected container before and after. Needs root, Docker
# and the test images; figures from one run are kept in bench/NOTES-gaps.md.
set -euo pipefail
cd "$(dirname "$0")/.."
hook=no
if [ "${1:-}" = --hook ]; then hook=yes; shift; fi
n=${1:-1000}
parallel=${2:-4}
image=driftguard-test/shell:1
jar=daemon/target/driftguard.jar
[ -f "$jar" ] && [ -x daemon/target/native/driftguard-runtime ] || mvn -B -q -o -DskipTests package -pl daemon -am
work=$(mktemp -d)
label=dg-soak-$$
. bench/daemon-lib.sh
cleanup() {
  stop_daemon
  docker ps -aq --filter "label=app=$label" | xargs -r docker rm -f >/dev/null 2>&1 || true
  stop_engine
  rm -rf "$work"
}
trap cleanup EXIT

policy=$(cat <<EOF
[[policy]]
name = "NoShells"
match.labels = { app = "$label" }
[[policy.process]]
name = "no-shells"
action = "block"
names = ["sh", "bash", "dash", "ash", "zsh"]
EOF
)
if [ "$hook" = yes ]; then
  start_engine "$work"
  start_daemon "$work" info "$policy" "$(hook_toml)"
  hook_setup "$work"
else
  start_daemon "$work" info "$policy"
fi

race() { # race I: one container; leaves "CONTAINER-ID EXIT OUTCOME" in $work/res.I and its stderr in $work/err.I
  local out=$work/out.$1 err=$work/err.$1 cid=$work/cid.$1 rc=0 outcome=ran
  if [ $(( $1 % 2 )) -eq 0 ]; then
    docker run --rm --network none --cidfile "$cid" --label "app=$label" "$image" bash -c 'echo ESCAPED' >"$out" 2>"$err" || rc=$?
  else
    docker run --rm --network none --cidfile "$cid" --label "app=$label" "$image" env bash -c 'echo ESCAPED' >"$out" 2>"$err" || rc=$?
  fi
  if grep -qx ESCAPED "$out"; then outcome=ESCAPED
  elif grep -q 'not started (fail = closed)' "$err"; then outcome=REFUSED
  fi
  echo "$(cat "$cid" 2>/dev/null || echo none) $rc $outcome" > "$work/res.$1"
  rm -f "$out" "$cid"
  true
}
export -f race
export label image work

start=$(date +%s)
seq 1 "$n" | xargs -P "$parallel" -I{} bash -c 'race {}' || true
took=$(( $(date +%s) - start ))
set +e # counting from here on: a grep that finds nothing must not end the script
sleep 12 # the daemon turns the hook's fallback records into events every 10 s
cat "$work"/res.* > "$work/outcomes"
escapes=$(grep -c ' ESCAPED$' "$work/outcomes" || true)
refused=$(grep -c ' REFUSED$' "$work/outcomes" || true)
killed_file=$(grep -c '"method":"file name"' "$work/daemon.log" || true)
killed_argv0=$(grep -c '"method":"argv\[0\]"' "$work/daemon.log" || true)
blocked=$(grep -c '"action":"blocked"' "$work/daemon.log" || true)
held=$(grep -c 'was held at exec for' "$work/daemon.log" || true)
untemplated=$(grep -o '"message":"[0-9]* container cgroups were made before' "$work/daemon.log" | grep -o '[0-9]*' | paste -sd+ | bc || echo 0)
hooked=$(grep -c 'before its first exec (start hook)' "$work/daemon.log" || true)
# Every container must be accounted for: its shell stopped (an event of its own), or its start
# refused by the hook with a fallback event naming it, or no container made at all (docker run
# failed before create; its error is shown).
{ grep -E '"action":"(blocked|killed)"' "$work/daemon.log" || true; } | grep -o '"container_id":"[0-9a-f]*"' | cut -d'"' -f4 | sort -u > "$work/stopped.ids" || true
{ grep '"fallback":"' "$work/daemon.log" || true; } | grep -o '"container_id":"[0-9a-f]*"' | cut -d'"' -f4 | sort -u > "$work/fallback.ids" || true
not_created=0; stopped=0; fallback=0; unaccounted=0
while read -r i cid rc outcome; do
  if [ "$cid" = none ]; then
    not_created=$((not_created + 1)); echo "container $i: not created (docker run exit $rc): $(head -c 300 "$work/err.$i" | tr '\n' ' ')"
  elif grep -qx "$cid" "$work/stopped.ids"; then
    stopped=$((stopped + 1))
  elif grep -qx "$cid" "$work/fallback.ids"; then
    fallback=$((fallback + 1))
  elif [ "$outcome" != ESCAPED ]; then
    unaccounted=$((unaccounted + 1))
    echo "container $i ($cid): no event (docker run exit $rc, $outcome): $(head -c 300 "$work/err.$i" | tr '\n' ' ')"
    grep -F "$cid" "$work/daemon.log" | grep -o '"message":"[^"]*"' | head -3
  fi
done < <(for f in "$work"/res.*; do echo "${f##*.} $(cat "$f")"; done)
echo "containers: $n ($parallel at a time, ${took}s; start hook: $hook, $hooked attached by it)"
echo "escapes: $escapes"
echo "accounted for: $stopped stopped with an event, $fallback refused with a fallback event, $not_created not created; without either: $unaccounted"
echo "refused by the start hook (fail = closed: no answer in time, or the attach failed): $refused"
grep -o '"message":"The start hook got no answer[^"]*' "$work/daemon.log" | sed 's/container [0-9a-f]*/container C/' | sort | uniq -c | sort -rn | head -5 || true
echo "stopped: killed by the exec program $((killed_file + killed_argv0)) (file name $killed_file, argv[0] $killed_argv0), blocked by fanotify $blocked"
echo "cgroups made before the daemon knew the container: ${untemplated:-0}; execs held until it did: $held"
grep 'was held at exec for' "$work/daemon.log" | grep -o 'for [0-9]* ms' | awk '{print $2}' | sort -n \
  | awk '{a[NR]=$1} END {if (NR) printf "hold time: p50 %d ms, max %d ms\n", a[int((NR+1)/2)], a[NR]}'
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$escapes" -eq 0 ] && [ "$unaccounted" -eq 0 ] || exit 1
