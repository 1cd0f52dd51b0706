#!/usr/bin/env bash
# Benchmark of driftguard-scan against a local docker-registry (not a test; prints figures):
#  1. re-hash throughput: several hundred MiB of random blobs pushed to the registry, scanned with
#     --deep, beside `openssl dgst -sha256` over the same bytes on disk;
#  2. a digest-only pass over 1,000 tags (a later, non-deep run of bin/driftguard-scan, the launcher
#     users get: HEAD per tag, nothing changed), beside a loop of `skopeo inspect --raw` over the
#     same tags, back to back in each of ROUNDS rounds with the load average, and the ratio against
#     issue 13's target (the pass 10 times faster than the loop);
#  3. the same digest-only pass in a scanner that stays up (`run` without --once, [scan] interval of
#     1 s): WARM_PASSES passes after the first, whose JIT-compiled code and open connections a
#     timer's fresh JVM never has, and the process's resident memory.
# Usage: bench/scanner-bench.sh [IMAGES LAYERS LAYER_MIB TAGS]   (default 6 4 16 1000: 384 MiB)
#        CONCURRENCY=N sets the registry's request bound for the re-hash run (default 4),
#        TAG_CONCURRENCY=N the one for the digest-only pass (default 4, the scanner's default),
#        ROUNDS=N rounds of the digest-only pass and the skopeo loop, best kept (default 3),
#        WARM_PASSES=N passes of part 3 (default 5).
# Needs docker-registry, skopeo, openssl, curl, bc, python3 and java; builds the jar if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
images=${1:-6} layers=${2:-4} layer_mib=${3:-16} tags=${4:-1000}

. bench/registry-setup.sh

echo "== pushing $images images x $layers layers x $layer_mib MiB to $reg"
for i in $(seq 1 "$images"); do make_image bench/big "v$i" "$i" $((layer_mib * 1048576)) "$layers"; done
total_mib=$((images * layers * layer_mib))

cat >"$work/big.toml" <<TOML
[store]
path = "big.db"
[[registry]]
url = "http://$reg"
repositories = ["bench/big"]
concurrency = ${CONCURRENCY:-4}
TOML
sync
echo "== re-hash: driftguard-scan run --deep over $total_mib MiB served by the registry"
# The launcher's class data archive is written by a first run (here into a store of its own).
sed 's/^path = "big.db"/path = "warm-up.db"/' "$work/big.toml" >"$work/warm-up.toml"
bin/driftguard-scan run --config "$work/warm-up.toml" --once >/dev/null 2>&1
start=$(date +%s.%N)
bin/driftguard-scan run --config "$work/big.toml" --once --deep --json >"$work/big.json"
end=$(date +%s.%N)
read -r bytes run_s < <(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(s["registries"][0]["bytes_hashed"], s["seconds"])' "$work/big.json")
scan_s=$(echo "$end - $start" | bc -l)
echo "== openssl dgst -sha256 over the same files (page cache warm)"
start=$(date +%s.%N)
openssl dgst -sha256 "$work"/blobs/bench/big-* >/dev/null
end=$(date +%s.%N)
openssl_s=$(echo "$end - $start" | bc -l)

echo "== pushing $tags tags (10 repositories) of one small image"
make_image bench/small0 t0 small 4096 1
pushers=()
for r in $(seq 0 9); do
  (
    for b in small-1 small-config; do
      f="$work/blobs/bench/small0-$b"
      push_blob "bench/small$r" "$f" "sha256:$(sha256sum "$f" | cut -d' ' -f1)"
    done
    for t in $(seq 0 $((tags / 10 - 1))); do
      push_manifest "bench/small$r" "t$t" "$work/manifest-small.json"
    done
  ) &
  pushers+=($!)
done
wait "${pushers[@]}"
cat >"$work/tags.toml" <<TOML
[store]
path = "tags.db"
[[registry]]
url = "http://$reg"
include = "bench/small[0-9]"
concurrency = ${TAG_CONCURRENCY:-4}
TOML
# The first run scans the image and records every tag (and writes the launcher's class data archive).
bin/driftguard-scan run --config "$work/tags.toml" --once --json >"$work/tags-first.json"
rounds=${ROUNDS:-3}
best() { sort -g | head -1; }
: >"$work/pass.s"; : >"$work/pass-run.s"; : >"$work/skopeo.s"
for round in $(seq 1 "$rounds"); do
  round_load=$(load)
  start=$(date +%s.%N)
  bin/driftguard-scan run --config "$work/tags.toml" --once --json >"$work/tags.json"
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l >>"$work/pass.s"
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["seconds"])' "$work/tags.json" >>"$work/pass-run.s"
  scanned=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["tags"])' "$work/tags.json")
  start=$(date +%s.%N)
  for r in $(seq 0 9); do
    for t in $(seq 0 $((tags / 10 - 1))); do
      skopeo inspect --raw --tls-verify=false "docker://$reg/bench/small$r:t$t" >/dev/null
    done
  done
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l >>"$work/skopeo.s"
  echo "   round $round (load $round_load to $(load)): digest-only pass $(tail -1 "$work/pass.s" | cut -c1-6) s" \
    "($(tail -1 "$work/pass-run.s") s the run), skopeo loop $(tail -1 "$work/skopeo.s" | cut -c1-6) s" \
    "= $(echo "$(tail -1 "$work/skopeo.s")/$(tail -1 "$work/pass.s")" | bc -l | cut -c1-5) times faster"
done
pass_s=$(best <"$work/pass.s") pass_run_s=$(best <"$work/pass-run.s") skopeo_s=$(best <"$work/skopeo.s")

warm_passes=${WARM_PASSES:-5}
echo "== $warm_passes warm digest-only passes: driftguard-scan run without --once"
{ cat "$work/tags.toml"; printf '[scan]\ninterval = "1s"\n'; } >"$work/warm.toml"
bin/driftguard-scan run --config "$work/warm.toml" --json >"$work/warm.jsonl" 2>/dev/null &
warm_pid=$!
# One JSON report a line, a line a pass; the first pass is as cold as a timer's.
while [ "$(wc -l <"$work/warm.jsonl")" -le "$warm_passes" ] && kill -0 "$warm_pid" 2>/dev/null; do sleep 0.2; done
warm_rss_kib=$(awk '/^VmRSS/{print $2}' "/proc/$warm_pid/status" 2>/dev/null || echo 0)
kill "$warm_pid" 2>/dev/null; wait "$warm_pid" 2>/dev/null || true
tail -n +2 "$work/warm.jsonl" | head -n "$warm_passes" \
  | python3 -c 'import json,sys; [print(json.loads(l)["summary"]["seconds"]) for l in sys.stdin]' | sort -g >"$work/warm.s"
[ -s "$work/warm.s" ] || { echo "scanner-bench: the warm scanner reported no pass" >&2; exit 1; }
warm_s=$(sed -n "$(( ($(wc -l <"$work/warm.s") + 1) / 2 ))p" "$work/warm.s")

echo
echo "figures ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)):"
printf '  re-hash via registry : %6.1f MiB in %6.2f s = %7.1f MiB/s (driftguard-scan run --deep, JVM start included)\n' \
  "$(echo "$bytes/1048576" | bc -l)" "$scan_s" "$(echo "$bytes/1048576/$scan_s" | bc -l)"
printf '    of which the scan  : %6.1f MiB in %6.2f s = %7.1f MiB/s (the run'"'"'s own time, JVM start excluded)\n' \
  "$(echo "$bytes/1048576" | bc -l)" "$run_s" "$(echo "$bytes/1048576/$run_s" | bc -l)"
printf '  openssl dgst -sha256 : %6d MiB in %6.2f s = %7.1f MiB/s (same bytes, from page cache)\n' \
  "$total_mib" "$openssl_s" "$(echo "$total_mib/$openssl_s" | bc -l)"
printf '  digest-only pass     : %6d tags in %6.2f s (bin/driftguard-scan run, JVM start included; %.2f s the run itself; best of %d)\n' \
  "$scanned" "$pass_s" "$pass_run_s" "$rounds"
printf '  skopeo inspect --raw : %6d tags in %6.2f s (one process per tag; best of %d)\n' "$tags" "$skopeo_s" "$rounds"
printf '  warm pass            : %6d tags in %6.2f s (median of %d passes of a scanner that stays up: %s s; %d MiB resident)\n' \
  "$scanned" "$warm_s" "$(wc -l <"$work/warm.s")" "$(paste -sd' ' "$work/warm.s")" "$((warm_rss_kib / 1024))"
met() { if [ "$(echo "$1 >= 10" | bc -l)" = 1 ]; then echo met; else echo NOT met; fi; }
speedup=$(echo "$skopeo_s/$pass_s" | bc -l) warm_speedup=$(echo "$skopeo_s/$warm_s" | bc -l)
printf '  target (issue 13)    : 10 times faster than the loop; the timer'"'"'s pass is %.1f times: %s; a warm pass %.1f times: %s\n' \
  "$speedup" "$(met "$speedup")" "$warm_speedup" "$(met "$warm_speedup")"
