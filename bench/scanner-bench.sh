#!/usr/bin/env bash
# Benchmark of driftguard-scan against a local docker-registry (not a test; prints figures):
#  1. re-hash throughput: several hundred MiB of random blobs pushed to the registry, scanned with
#     --deep, beside `openssl dgst -sha256` over the same bytes on disk;
#  2. a digest-only pass over 1,000 tags (a second, non-deep run: HEAD per tag, nothing changed),
#     beside a loop of `skopeo inspect --raw` over the same tags.
# Usage: bench/scanner-bench.sh [IMAGES LAYERS LAYER_MIB TAGS]   (default 6 4 16 1000: 384 MiB)
#        CONCURRENCY=N sets the registry's request bound for the re-hash run (default 4).
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
start=$(date +%s.%N)
java -jar "$jar" run --config "$work/big.toml" --once --deep --json >"$work/big.json"
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
TOML
java -jar "$jar" run --config "$work/tags.toml" --once --json >"$work/tags-first.json"
echo "== digest-only pass: driftguard-scan run (second run, nothing changed)"
start=$(date +%s.%N)
java -jar "$jar" run --config "$work/tags.toml" --once --json >"$work/tags.json"
end=$(date +%s.%N)
pass_s=$(echo "$end - $start" | bc -l)
pass_run_s=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["seconds"])' "$work/tags.json")
scanned=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["tags"])' "$work/tags.json")
echo "== skopeo inspect --raw over the same $scanned tags, one after the other"
start=$(date +%s.%N)
for r in $(seq 0 9); do
  for t in $(seq 0 $((tags / 10 - 1))); do
    skopeo inspect --raw --tls-verify=false "docker://$reg/bench/small$r:t$t" >/dev/null
  done
done
end=$(date +%s.%N)
skopeo_s=$(echo "$end - $start" | bc -l)

echo
echo "figures ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)):"
printf '  re-hash via registry : %6.1f MiB in %6.2f s = %7.1f MiB/s (driftguard-scan run --deep, JVM start included)\n' \
  "$(echo "$bytes/1048576" | bc -l)" "$scan_s" "$(echo "$bytes/1048576/$scan_s" | bc -l)"
printf '    of which the scan  : %6.1f MiB in %6.2f s = %7.1f MiB/s (the run'"'"'s own time, JVM start excluded)\n' \
  "$(echo "$bytes/1048576" | bc -l)" "$run_s" "$(echo "$bytes/1048576/$run_s" | bc -l)"
printf '  openssl dgst -sha256 : %6d MiB in %6.2f s = %7.1f MiB/s (same bytes, from page cache)\n' \
  "$total_mib" "$openssl_s" "$(echo "$total_mib/$openssl_s" | bc -l)"
printf '  digest-only pass     : %6d tags in %6.2f s (driftguard-scan run, JVM start included; %.2f s the run itself)\n' \
  "$scanned" "$pass_s" "$pass_run_s"
printf '  skopeo inspect --raw : %6d tags in %6.2f s (one process per tag)\n' "$tags" "$skopeo_s"
