#!/usr/bin/env bash
# Benchmark of image scanning (not a test; prints figures):
#  1. `driftguard-scan db import` of a generated OSV archive of ADVISORIES advisories (default
#     50,000, Debian:12, 1 to 3 ranges each, a tenth of them naming source packages of the image,
#     one in 50 of those affecting it);
#  2. `driftguard-scan image` of the Debian 12 test image (driftguard-test/debian12-systemd:1,
#     scripts/build-test-images.sh) pushed by skopeo to a local docker-registry: cold (empty
#     store: every layer downloaded, hashed and read) and warm (layers cached by digest).
# Usage: bench/image-bench.sh [ADVISORIES]
# Needs docker, docker-registry, skopeo, curl, python3 and java; builds the jar if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
advisories=${1:-50000}
image=driftguard-test/debian12-systemd:1

. bench/registry-setup.sh
skopeo copy --quiet --dest-tls-verify=false "docker-daemon:$image" "docker://$reg/bench/debian:12"
layer_bytes=$(curl -fsS -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
  "http://$reg/v2/bench/debian/manifests/12" | python3 -c 'import json,sys; print(sum(l["size"] for l in json.load(sys.stdin)["layers"]))')
packages=$(docker run --rm --network none "$image" dpkg-query -W -f='${Package}\n' | wc -l)

python3 - "$work/all.zip" "$advisories" <<'PY'
import json, random, sys, zipfile
out, n = sys.argv[1], int(sys.argv[2])
random.seed(1)
names = ["openssl", "glibc", "systemd", "zlib", "bash", "coreutils", "util-linux", "dpkg", "tar", "gzip"]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(n):
        pkg = random.choice(names) if i % 10 == 0 else "pkg%05d" % (i % 20000)
        # Image packages are mostly fixed below the installed versions, as in a real feed; one in 50 affects them.
        fixed = "99.%d-1" % (i % 50) if pkg in names and i % 500 == 0 else "0.%d-1" % (i % 50)
        ranges = [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]} for _ in range(random.randint(1, 3))]
        adv = {"id": "DEBIAN-CVE-2090-%06d" % i, "aliases": ["CVE-2090-%06d" % i], "modified": "2026-11-30T00:00:00Z",
               "summary": "generated advisory %d" % i, "details": "x" * 200,
               "affected": [{"package": {"ecosystem": "Debian:12", "name": pkg}, "ranges": ranges}]}
        z.writestr("DEBIAN-CVE-2090-%06d.json" % i, json.dumps(adv))
PY
cat >"$work/driftguard.toml" <<TOML
[store]
path = "$work/driftguard.db"
[scan]
fail_on = "none"
TOML
t() { python3 -c 'import time; print(time.time())'; }
s=$(t); java -jar "$jar" db import --config "$work/driftguard.toml" "$work/all.zip" >/dev/null; e=$(t)
import_s=$(python3 -c "print(round($e-$s,2))")
zip_mib=$(python3 -c "import os; print(round(os.path.getsize('$work/all.zip')/1048576,1))")
db_mib=$(python3 -c "import os; print(round(os.path.getsize('$work/driftguard.db')/1048576,1))")
echo "OSV import: $advisories advisories, archive $zip_mib MiB, in $import_s s (JVM start included); store $db_mib MiB"

scan() {
  local s e
  s=$(t); java -jar "$jar" image --config "$work/driftguard.toml" --json "$reg/bench/debian:12" >"$work/report.json"; e=$(t)
  python3 -c "print(round($e-$s,2))"
}
cold=$(scan)
found=$(python3 -c "import json; r=json.load(open('$work/report.json')); print(len(r['packages']), len(r['findings']))")
warm=$(scan)
mib=$(python3 -c "print(round($layer_bytes/1048576,1))")
echo "image scan of $image: $mib MiB of layers (compressed), $packages packages (dpkg-query), report: ${found% *} packages, ${found#* } findings"
echo "  cold: $cold s = $(python3 -c "print(round($mib/$cold,1))") MiB/s, $(python3 -c "print(round($packages/$cold))") packages/s (JVM start included)"
echo "  warm: $warm s = $(python3 -c "print(round($packages/$warm))") packages/s (layers cached by digest)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
