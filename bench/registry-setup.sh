# Sourced by the scanner benchmarks: a private jar copy and a docker-registry on 127.0.0.1 with
# storage in a temporary folder, both removed on exit. Sets work, jar, reg and registry_pid.
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
