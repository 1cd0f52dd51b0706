#!/usr/bin/env bash
# Benchmark of the authorization plugin (issue 11). Prints figures; not a timed test. Needs root,
# dockerd, the built jar (mvn -DskipTests package), python3 and the shell test image
# (scripts/build-test-images.sh). Runs two private engines (own sockets and roots), one without and
# one with the plugin, and times `docker run --rm true` on each; then the plugin's own answer time
# to AuthZReq for a create request, straight on its socket. Figures in bench/NOTES-admission.md.
#   bench/admission-bench.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
image=driftguard-test/shell:1
jar=daemon/target/driftguard.jar
work=$(mktemp -d /tmp/dg-adm-bench.XXXXXX)
plugin="driftguard-bench$$"
socket="/run/docker/plugins/$plugin.sock"
pids=()

cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

start_engine() { # start_engine NAME [ARGS...]: a private dockerd in $work/NAME with the image loaded
  local name=$1; shift
  mkdir -p "$work/$name"
  dockerd --bridge=none --iptables=false --ip6tables=false --data-root "$work/$name/data" \
    --exec-root "$work/$name/exec" --pidfile "$work/$name/docker.pid" -H "unix://$work/$name/docker.sock" "$@" \
    > "$work/$name/dockerd.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 240); do DOCKER_HOST="unix://$work/$name/docker.sock" docker info >/dev/null 2>&1 && break; sleep 0.25; done
  DOCKER_HOST="unix://$work/$name/docker.sock" docker load -i "$work/image.tar" >/dev/null
}

time_runs() { # time_runs NAME: p50 and p99 of docker run --rm true, in ms
  local host="unix://$work/$1/docker.sock" out="$work/$1/times"
  : > "$out"
  for _ in $(seq 1 "$runs"); do
    local start end
    start=$(date +%s%N)
    DOCKER_HOST=$host docker run --rm --network none --label bench=admission "$image" true >/dev/null
    end=$(date +%s%N)
    echo $(( (end - start) / 1000 )) >> "$out"
  done
  python3 - "$out" <<'PY'
import sys
t = sorted(int(x) / 1000 for x in open(sys.argv[1]))
print(f"  p50 {t[len(t) // 2]:.0f} ms, p99 {t[min(len(t) - 1, int(len(t) * 0.99))]:.0f} ms over {len(t)} runs")
PY
}

docker save -o "$work/image.tar" "$image"
mkdir -p "$work/daemon/policies"
cat > "$work/daemon/driftguard.toml" <<TOML
[policies]
dir = "policies"
[store]
path = "state/driftguard.db"
[log]
events = ["stdout"]
[daemon]
control_socket = "state/ctl.sock"
[admission]
socket = "$socket"
[docker]
socket = "unix://$work/with/docker.sock"
TOML
cat > "$work/daemon/policies/bench.toml" <<'TOML'
[[policy]]
name = "HostHygiene"
match.labels = { bench = "admission" }
[policy.admission]
action = "deny"
privileged = false
host_namespaces = false
capabilities = ["NET_BIND_SERVICE"]
devices = false
host_paths = ["/srv/app-data"]
latest_tag = false
TOML
java -jar "$jar" daemon --config "$work/daemon/driftguard.toml" > "$work/daemon/daemon.log" 2>&1 &
pids+=($!)
start_engine without
start_engine with "--authorization-plugin=$plugin"

echo "docker run --rm --network none $image true, engine without the plugin:"
time_runs without
echo "the same, engine with the plugin (a policy with an admission table selects the container):"
time_runs with

echo "the plugin's answer to AuthZReq for that create request, on its socket (request to answer):"
python3 - "$socket" "$runs" <<'PY'
import base64, json, socket, sys, time
path, runs = sys.argv[1], int(sys.argv[2])
body = json.dumps({"Image": "driftguard-test/shell:1", "Labels": {"bench": "admission"},
                   "HostConfig": {"NetworkMode": "none", "CapAdd": ["NET_BIND_SERVICE"]}}).encode()
msg = json.dumps({"RequestMethod": "POST", "RequestUri": "/v1.41/containers/create?name=bench",
                  "RequestHeaders": {"Content-Type": "application/json"},
                  "RequestBody": base64.b64encode(body).decode()}).encode()
request = b"POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nHost: \r\nContent-Length: %d\r\n\r\n%s" % (len(msg), msg)
times = []
for i in range(runs + 20):
    start = time.perf_counter()
    s = socket.socket(socket.AF_UNIX); s.connect(path); s.sendall(request)
    answer = b""
    while chunk := s.recv(65536):
        answer += chunk
    s.close()
    if i >= 20:  # the first answers warm the JIT
        times.append((time.perf_counter() - start) * 1000)
    assert b'"Allow":true' in answer, answer
times.sort()
print(f"  p50 {times[len(times) // 2]:.2f} ms, p99 {times[int(len(times) * 0.99)]:.2f} ms over {len(times)} requests")
PY
