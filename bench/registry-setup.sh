# Sourced by the scanner benchmarks: a private jar copy and a docker-registry on 127.0.0.1 with
# storage in a temporary folder, both removed on exit. Sets work, jar, reg and registry_pid, exports
# DRIFTGUARD_SCAN_JAR for bin/driftguard-scan, and defines load (the 1-minute load average),
# push_blob, push_manifest and make_image, which push with curl.
jar=registry-scanner/target/driftguard-scan.jar
[ -f "$jar" ] || mvn -B -q -pl registry-scanner -am package -DskipTests -DskipITs
work=$(mktemp -d /tmp/driftguard-bench.XXXXXX)
registry_pid=
cleanup() {
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# A private copy, so that a build running meanwhile cannot swap the jar under a running scan.
cp "$jar" "$work/driftguard-scan.jar"
jar="$work/driftguard-scan.jar"
# bin/driftguard-scan, the launcher users get, runs this copy; its class data archive goes beside it.
export DRIFTGUARD_SCAN_JAR="$jar"
load() { cut -d' ' -f1 /proc/loadavg; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
reg="127.0.0.1:$port"
cat >"$work/registry.yml" <<YAML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/storage
http:
  addr: $reg
  secret: bench
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 100); do curl -fs "http://$reg/v2/" >/dev/null && break; sleep 0.1; done

push_blob() { # repo file digest
  local loc
  loc=$(curl -fsS -X POST -D - -o /dev/null "http://$reg/v2/$1/blobs/uploads/" | tr -d '\r' | awk 'tolower($1)=="location:"{print $2}')
  case "$loc" in http*) ;; *) loc="http://$reg$loc" ;; esac
  case "$loc" in *\?*) sep='&' ;; *) sep='?' ;; esac
  curl -fsS -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$2" "$loc${sep}digest=$3" -o /dev/null
}
push_manifest() { # repo tag file
  curl -fsS -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$3" \
    "http://$reg/v2/$1/manifests/$2" -o /dev/null
}
make_image() { # repo tag index blob-size-bytes layers -> pushes, prints nothing
  local repo=$1 tag=$2 i=$3 size=$4 n=$5 layers_json="" f d
  for l in $(seq 1 "$n"); do
    f="$work/blobs/$repo-$i-$l"
    mkdir -p "$(dirname "$f")"
    openssl rand -out "$f" "$size"
    d="sha256:$(sha256sum "$f" | cut -d' ' -f1)"
    push_blob "$repo" "$f" "$d"
    layers_json="$layers_json${layers_json:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"$d\",\"size\":$size}"
  done
  f="$work/blobs/$repo-$i-config"
  printf '{"architecture":"amd64","os":"linux","config":{"Env":["I=%s"]},"rootfs":{"type":"layers","diff_ids":[]}}' "$i" >"$f"
  d="sha256:$(sha256sum "$f" | cut -d' ' -f1)"
  push_blob "$repo" "$f" "$d"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[%s]}' \
    "$d" "$(stat -c %s "$f")" "$layers_json" >"$work/manifest-$i.json"
  push_manifest "$repo" "$tag" "$work/manifest-$i.json"
}
