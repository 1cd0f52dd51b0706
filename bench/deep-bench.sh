#!/usr/bin/env bash
# Re-hash benchmark of driftguard-scan against its fair limit (not a test; prints figures): random
# blobs pushed to a local docker-registry, then
#  1. curl of every blob piped into sha256sum, CONCURRENCY at a time (what the registry can serve
#     and a C hasher can hash: the bound for any client);
#  2. driftguard-scan run --once --deep over the same blobs with concurrency = CONCURRENCY.
# The two run back to back in each round, the 1-minute load average beside each round (the host is
# shared: compare the sides of one round, not figures of different moments). Prints both in MiB/s
# and the ratio (the scanner's own run time, and with JVM start) against issue 13's target of 0.9.
# Usage: bench/deep-bench.sh [IMAGES LAYERS LAYER_MIB]   (default 8 4 32: 1 GiB; a run's fixed work
#        (API check, listing, manifests, the first requests of a cold JVM) is about half a second,
#        which would weigh more than the hashing in a few hundred MiB)
#        CONCURRENCY=N (default 4), ROUNDS=N runs of each, best kept (default 3).
# Needs docker-registry, openssl, curl, bc, python3 and java; builds the jar if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
images=${1:-8} layers=${2:-4} layer_mib=${3:-32}
concurrency=${CONCURRENCY:-4} rounds=${ROUNDS:-3}

. bench/registry-setup.sh

echo "== pushing $images images x $layers layers x $layer_mib MiB to $reg"
for i in $(seq 1 "$images"); do make_image bench/big "v$i" "$i" $((layer_mib * 1048576)) "$layers"; done
total_mib=$((images * layers * layer_mib))
for f in "$work"/blobs/bench/big-*; do echo "sha256:$(sha256sum "$f" | cut -d' ' -f1)"; done >"$work/digests"

cat >"$work/big.toml" <<TOML
[store]
path = "big.db"
[[registry]]
url = "http://$reg"
repositories = ["bench/big"]
concurrency = $concurrency
TOML

best() { sort -g | head -1; }
# A first run (into a store of its own) writes the launcher's class data archive, so that every round
# starts the JVM the same way.
sed 's/^path = "big.db"/path = "warm-up.db"/' "$work/big.toml" >"$work/warm-up.toml"
bin/driftguard-scan run --config "$work/warm-up.toml" --once >/dev/null 2>&1
for r in $(seq 1 "$rounds"); do
  round_load=$(load)
  start=$(date +%s.%N)
  xargs -P "$concurrency" -I{} sh -c "curl -fsS 'http://$reg/v2/bench/big/blobs/{}' | sha256sum >/dev/null" <"$work/digests"
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l >>"$work/curl.s"
  start=$(date +%s.%N)
  bin/driftguard-scan run --config "$work/big.toml" --once --deep --json >"$work/big.json"
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l >>"$work/scan.s"
  python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(s["seconds"])' "$work/big.json" >>"$work/run.s"
  bytes=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["registries"][0]["bytes_hashed"])' "$work/big.json")
  echo "   round $r (load $round_load to $(load)): curl|sha256sum $(tail -1 "$work/curl.s") s, driftguard-scan $(tail -1 "$work/scan.s") s" \
    "($(tail -1 "$work/run.s") s the run) = $(echo "$(tail -1 "$work/curl.s")/$(tail -1 "$work/run.s")" | bc -l | cut -c1-4) of curl"
done
curl_s=$(best <"$work/curl.s") scan_s=$(best <"$work/scan.s") run_s=$(best <"$work/run.s")
mib=$(echo "$bytes/1048576" | bc -l)

echo
echo "figures ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), concurrency $concurrency, best of $rounds, $(date -u +%Y-%m-%dT%H:%MZ)):"
printf '  curl | sha256sum       : %6.1f MiB in %6.2f s = %7.1f MiB/s\n' "$total_mib" "$curl_s" "$(echo "$total_mib/$curl_s" | bc -l)"
printf '  driftguard-scan --deep : %6.1f MiB in %6.2f s = %7.1f MiB/s (the run itself) = %.2f of curl\n' \
  "$mib" "$run_s" "$(echo "$mib/$run_s" | bc -l)" "$(echo "($mib/$run_s)/($total_mib/$curl_s)" | bc -l)"
printf '    with JVM start       : %6.1f MiB in %6.2f s = %7.1f MiB/s = %.2f of curl\n' \
  "$mib" "$scan_s" "$(echo "$mib/$scan_s" | bc -l)" "$(echo "($mib/$scan_s)/($total_mib/$curl_s)" | bc -l)"
ratio=$(echo "($mib/$run_s)/($total_mib/$curl_s)" | bc -l)
printf '  target (issue 13)      : 0.90 of curl; the run itself is at %.2f: %s\n' "$ratio" \
  "$(if [ "$(echo "$ratio >= 0.9" | bc -l)" = 1 ]; then echo met; else echo NOT met; fi)"
